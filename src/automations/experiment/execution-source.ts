// What a sweep runs next. A grid sweep knows all its executions up front (points × repetitions, in
// odometer order, each point's repetitions together); on --resume the ones with a recorded result
// are left out. Tuning proposes points as results come back (tune-source.ts).
import type { Dict } from '../../core/merge.js';
import type { ResultsFile } from './results-file.js';
import { executionKey } from './step-result.js';
import type { SweepInput } from './sweep-input.js';
import type { Point, SweepPlan } from './sweep-plan.js';

export interface Execution {
  /** 1-based position in the sweep (stable across --resume). */
  stepNo: number;
  point: Point;
  /** 1-based repetition of the point. */
  repeat: number;
}

export interface ExecutionSource {
  /** How many executions remain to run, when known. */
  readonly total: number | undefined;
  /** How many the whole sweep has (the "out of" of step lines), when known. */
  readonly planned: number | undefined;
  next(): Execution | 'wait' | undefined;
  /** An execution's recorded result. */
  done(exec: Execution, row: Record<string, unknown>): void;
  /** What to add to the run's record and the action's result at the end (tuning: the front). */
  summary?(): Dict | undefined;
}

/** The keys of executions that already have a result in this run. */
export function recordedKeys(plan: SweepPlan, results: ResultsFile): Set<string> {
  const names = plan.dims.map(([n]) => n);
  return new Set(results.rows().map((r) => executionKey(names, r, r['repeat'] ?? 1)));
}

export function gridSource(
  sweep: SweepInput,
  plan: SweepPlan,
  results: ResultsFile,
): ExecutionSource {
  const names = plan.dims.map(([n]) => n);
  const skip = sweep.resume ? recordedKeys(plan, results) : new Set<string>();
  const todo: Execution[] = [];
  let stepNo = 0;
  for (const point of plan.points)
    for (let repeat = 1; repeat <= sweep.repeat; repeat++) {
      stepNo++;
      if (!skip.has(executionKey(names, point, repeat))) todo.push({ stepNo, point, repeat });
    }
  let at = 0;
  return {
    total: todo.length,
    planned: stepNo,
    next: () => todo[at++],
    done: () => {},
  };
}
