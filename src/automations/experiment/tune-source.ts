// Autotuning as a source of executions: the tuner (core/experiment/tune) proposes points of the
// search space; each runs --repeat times; the median of each objective over the successful
// repetitions is told back. On --resume, points with recorded results are told from the record
// instead of running again, so the same seed proposes the same points. At the end: the Pareto
// front of the evaluated points.
import { CmError } from '../../core/errors.js';
import { parseObjectives } from '../../core/experiment/objectives.js';
import { paretoFront } from '../../core/experiment/pareto.js';
import { statsOf } from '../../core/experiment/stats.js';
import {
  createTuner,
  parseSearchSpace,
  size as spaceSize,
  type Point as TunePoint,
} from '../../core/experiment/tune/index.js';
import type { Dict } from '../../core/merge.js';
import type { Execution, ExecutionSource } from './execution-source.js';
import type { ResultsFile } from './results-file.js';
import { executionKey } from './step-result.js';
import type { SweepInput } from './sweep-input.js';
import type { Point, SweepPlan } from './sweep-plan.js';

type Row = Record<string, unknown>;

interface Evaluated {
  tunePoint: TunePoint;
  point: Point;
  rows: Row[];
  values?: number[];
}

function numberOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

export function tuneSource(
  sweep: SweepInput,
  plan: SweepPlan,
  results: ResultsFile,
): ExecutionSource {
  const tune = sweep.tune!;
  if (plan.dims.length > 0)
    throw new CmError(
      'bad-input',
      `--strategy tunes the variables of space:, explore: cannot be used with it (found ${plan.dims.map(([n]) => n).join(', ')})`,
      {
        hint: 'move the explored variables into space: of the @input file',
      },
    );
  const space = parseSearchSpace(tune.space, 'space: of the input');
  const objectives = parseObjectives(tune.objectives, '--objectives');
  const tuner = createTuner({
    space,
    strategy: tune.strategy,
    objectives,
    ...(tune.budget !== undefined ? { budget: tune.budget } : {}),
    ...(tune.seed !== undefined ? { seed: tune.seed } : {}),
  });
  const names = Object.keys(tune.space as Dict);
  const recorded = new Map<string, Row>();
  if (sweep.resume)
    for (const r of results.rows()) recorded.set(executionKey(names, r, r['repeat'] ?? 1), r);
  const byPoint = new Map<string, Evaluated>();
  const evaluated: Evaluated[] = [];
  const queue: Execution[] = [];
  let stepNo = 0;
  const size = spaceSize(space);
  const planned = tuner.budget * sweep.repeat;

  const tell = (exec: Execution, row: Row): void => {
    const key = executionKey(names, exec.point, 0);
    const ev = byPoint.get(key)!;
    ev.rows.push(row);
    if (ev.rows.length < sweep.repeat) return;
    const ok = ev.rows.filter((r) => r['exit_code'] === 0 || r['exit_code'] === undefined);
    const values = objectives.map((o) => {
      const xs = ok.map((r) => numberOf(r[o.key])).filter((x): x is number => x !== undefined);
      return xs.length > 0 ? statsOf(xs).median : undefined;
    });
    if (values.every((v) => v !== undefined)) ev.values = values as number[];
    tuner.tell(ev.tunePoint, ev.values);
    evaluated.push(ev);
  };

  const propose = (): void => {
    while (queue.length === 0 && !tuner.done) {
      const points = tuner.next(Math.max(1, sweep.parallel));
      if (points.length === 0) return;
      for (const tunePoint of points) {
        const point = tunePoint.values as Point;
        byPoint.set(executionKey(names, point, 0), { tunePoint, point, rows: [] });
        for (let repeat = 1; repeat <= sweep.repeat; repeat++) {
          const exec = { stepNo: ++stepNo, point, repeat };
          const old = recorded.get(executionKey(names, point, repeat));
          if (old) tell(exec, old);
          else queue.push(exec);
        }
      }
    }
  };

  return {
    get total() {
      return undefined;
    },
    planned,
    next() {
      propose();
      return queue.shift() ?? (tuner.done ? undefined : 'wait');
    },
    done: tell,
    summary() {
      const good = evaluated.filter((e) => e.values !== undefined);
      const rows = good.map((e) => {
        const r: Row = { ...e.point };
        objectives.forEach((o, j) => (r[o.key] = e.values![j]));
        return r;
      });
      const front = paretoFront(rows, objectives);
      return {
        tuning: {
          strategy: tune.strategy,
          seed: tune.seed ?? null,
          budget: tune.budget ?? null,
          space_size: size,
          evaluations: evaluated.length,
          failed: evaluated.length - good.length,
          objectives: tune.objectives,
          front: rows.filter((_, i) => front.onFrontier[i]),
        },
      };
    },
  };
}
