// Runs a sweep's executions on this machine (--parallel=N at once): each gets its step folder, its
// command with {{VAR}} substituted, the lines CM prints for a step, and its result recorded as soon
// as it ends. --fail-fast stops starting new steps after the first failure.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CmContext } from '../context.js';
import { genUid } from '../../db/uid.js';
import { runStepsLocally, type StepOutcome } from './executors/local.js';
import type { Execution, ExecutionSource } from './execution-source.js';
import type { ResultsFile } from './results-file.js';
import type { RunRecord } from './run-record.js';
import type { FailedStep, SweepTally } from './sweep-tally.js';

export type { FailedStep, SweepTally } from './sweep-tally.js';
import { prepareStep, type PreparedStep } from './step-folder.js';
import { stepLockEnv } from './step-lockfiles.js';
import { executionKey, stepResult, type StepFacts } from './step-result.js';
import type { SweepInput } from './sweep-input.js';
import { pointEnv, stepCommand, type SweepPlan } from './sweep-plan.js';
import { formatExploreValue } from '../../core/experiment/explore.js';

export interface SweepContext {
  ctx: CmContext;
  sweep: SweepInput;
  plan: SweepPlan;
  results: ResultsFile;
  record: RunRecord;
  artifactDir: string;
  runDir: string;
  /** --frozen=FILE: the lockfile's absolute path (every step's cm run script runs frozen). */
  frozenPath?: string;
}

/** The lines CM prints before a step (spec §4.1; scripts grep them). */
function stepLines(
  c: SweepContext,
  exec: Execution,
  dir: string,
  command: string,
  planned: number | undefined,
): string {
  const lines = ['='.repeat(64), `Experiment step: ${exec.stepNo} out of ${planned ?? '?'}`];
  const dims = Object.entries(exec.point);
  if (dims.length > 0) {
    lines.push('  Updating ENV variables during exploration:');
    dims.forEach(([k, v], j) =>
      lines.push(`    - Dimension ${j + 1}: "${k}" = ${formatExploreValue(v)}`),
    );
  }
  if (c.sweep.repeat > 1) lines.push(`  Repetition ${exec.repeat} of ${c.sweep.repeat}`);
  lines.push(`Path to experiment step: ${dir}`, 'Generated CMD:', command);
  return lines.join('\n');
}

export interface PreparedExecution {
  exec: Execution;
  step: PreparedStep;
  facts: StepFacts;
}

/** Print the lines of a step that starts now. */
export function announce(c: SweepContext, p: PreparedExecution, planned: number | undefined): void {
  c.ctx.emit({ type: 'info', text: stepLines(c, p.exec, p.step.dir, p.step.command, planned) });
}

/** Make the step folder of an execution (nothing printed: see announce). */
export function prepareExecution(c: SweepContext, exec: Execution): PreparedExecution {
  const uid = genUid();
  const dir = join(c.runDir, uid);
  const env = pointEnv(c.sweep.env, exec.point);
  const builtins = {
    CD: c.ctx.cwd,
    CM_EXPERIMENT_STEP: String(exec.stepNo),
    CM_EXPERIMENT_PATH: c.artifactDir,
    CM_EXPERIMENT_PATH2: c.runDir,
    CM_EXPERIMENT_PATH3: dir,
  };
  const command = stepCommand(c.plan.template, env, builtins);
  const step = prepareStep({
    index: exec.stepNo - 1,
    uid,
    runDir: c.runDir,
    command,
    env,
    // Exported, not substituted: CM_RUN_LOCK / CM_RUN_FROZEN for the step's cm run script.
    builtins: { ...builtins, ...stepLockEnv(c.sweep, dir, c.frozenPath) },
    extra: { step: exec.stepNo, repeat: exec.repeat, point: exec.point },
  });
  const facts: StepFacts = {
    uid,
    dir,
    stepNo: exec.stepNo,
    repeat: exec.repeat,
    point: exec.point,
    command,
  };
  const replayOf =
    c.sweep.replayOf?.[
      executionKey(
        c.plan.dims.map(([n]) => n),
        exec.point,
        exec.repeat,
      )
    ];
  if (replayOf !== undefined) facts.replayOf = replayOf;
  return { exec, step, facts };
}

/** Where a finished step is recorded: its run's results (and provenance record, when running). */
export type StepRecorder = Pick<SweepContext, 'ctx' | 'results'> & {
  record?: Pick<RunRecord, 'noteOutput'>;
};

/** The lockfiles a result names (relative to its run folder). */
function lockfilesOf(row: Record<string, unknown>): string[] {
  if (Array.isArray(row['lockfiles'])) return row['lockfiles'].map(String);
  return typeof row['lockfile'] === 'string' ? [row['lockfile']] : [];
}

/** Record a finished step: its result, the run's provenance, the tally. */
export function recordStep(
  c: StepRecorder,
  tally: SweepTally,
  facts: StepFacts,
  outcome: StepOutcome,
): Record<string, unknown> {
  const { row, output, problem } = stepResult(facts, outcome);
  c.results.appendSoon(row);
  c.record?.noteOutput(output);
  for (const k of lockfilesOf(row)) tally.lockfiles.push(join(dirname(facts.dir), k));
  if (problem !== undefined)
    c.ctx.emit({ type: 'warning', text: `step ${facts.stepNo}: ${problem} (recorded without it)` });
  tally.done++;
  if (outcome.exitCode !== 0) {
    const f: FailedStep = { stepNo: facts.stepNo, uid: facts.uid, exitCode: outcome.exitCode };
    if (outcome.logTail !== undefined) f.logTail = outcome.logTail;
    tally.failed.push(f);
    c.ctx.emit({
      type: 'warning',
      text: `step ${facts.stepNo} failed with exit code ${outcome.exitCode} (recorded)`,
    });
  }
  return row;
}

export function progress(
  c: SweepContext,
  tally: SweepTally,
  total: number | undefined,
  finished = false,
): void {
  const failed = tally.failed.length;
  const seconds = (Date.now() - tally.startedMs) / 1000;
  c.ctx.emit({
    type: 'progress',
    id: `experiment:${c.runDir}`,
    label: failed > 0 ? `steps (${failed} failed)` : 'steps',
    done: tally.done,
    total,
    unit: 'steps',
    ...(tally.done > 0 && seconds > 0 ? { rate: tally.done / seconds } : {}),
    finished,
    transient: true,
  });
}

/**
 * What runs next, prepared one step ahead when the sweep is known in advance: the next step folder
 * is written while the current step runs, not between two steps. A folder prepared but never run
 * (fail-fast) is removed.
 */
function aheadOf(c: SweepContext, source: ExecutionSource, stopped: () => boolean) {
  let ahead: PreparedExecution | undefined;
  const take = (): PreparedExecution | 'wait' | undefined => {
    const exec = source.next();
    return exec === undefined || exec === 'wait' ? exec : prepareExecution(c, exec);
  };
  return {
    next(): PreparedExecution | 'wait' | undefined {
      const got = ahead ?? take();
      ahead = undefined;
      if (got !== undefined && got !== 'wait' && source.total !== undefined)
        setImmediate(() => {
          if (ahead !== undefined || stopped()) return;
          const n = take();
          if (n !== undefined && n !== 'wait') ahead = n;
        });
      return got;
    },
    discard(): void {
      if (ahead) rmSync(ahead.step.dir, { recursive: true, force: true });
      ahead = undefined;
    },
  };
}

export async function runLocally(c: SweepContext, source: ExecutionSource): Promise<SweepTally> {
  const tally: SweepTally = { done: 0, failed: [], startedMs: Date.now(), lockfiles: [] };
  const pending = new Map<PreparedStep, PreparedExecution>();
  const planned = source.planned;
  let stopped = false;
  const steps = aheadOf(c, source, () => stopped);
  try {
    await runStepsLocally(
      () => {
        const p = steps.next();
        if (p === undefined || p === 'wait') return p;
        announce(c, p, planned);
        pending.set(p.step, p);
        return p.step;
      },
      {
        parallel: c.sweep.parallel,
        emit: c.ctx.emit,
        processEnv: c.ctx.env,
        shouldStop: () => stopped,
        onDone: (step, outcome) => {
          const { exec, facts } = pending.get(step)!;
          pending.delete(step);
          const row = recordStep(c, tally, facts, outcome);
          source.done(exec, row);
          progress(c, tally, source.total);
          if (outcome.exitCode !== 0 && c.sweep.failFast && !stopped) {
            stopped = true;
            tally.interrupted = `--fail-fast: step ${facts.stepNo} failed`;
          }
        },
      },
    );
  } finally {
    steps.discard();
    c.results.flush();
  }
  progress(c, tally, source.total, true);
  return tally;
}
