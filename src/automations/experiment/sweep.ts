// `cm run experiment` (cme): resolve the artifact and the run folder, plan the sweep (nothing runs
// if any part of it is wrong), then run its steps through an executor, recording every result as
// it comes, and the run's provenance.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { isDict, type Dict } from '../../core/merge.js';
import { buildTable, formatTable } from '../../core/experiment/table.js';
import { tryAcquireLock, type Lock } from '../../db/lock.js';
import type { AutomationHandle } from '../action.js';
import type { CmContext } from '../context.js';
import { chooseRunFolder, readRunInput, type RunMode } from './choose-run.js';
import { resolveExperiment } from './experiment-artifact.js';
import { ResultsFile } from './results-file.js';
import { RUN_INPUT_FILE, SWEEP_LOCK } from './run-folder.js';
import { readSweepInput, type SweepInput } from './sweep-input.js';
import { planSweep, type SweepPlan } from './sweep-plan.js';
import { gridSource, type ExecutionSource } from './execution-source.js';
import { runLocally, type SweepTally } from './run-locally.js';
import { tuneSource } from './tune-source.js';
import { RunRecord } from './run-record.js';
import { checkStepLocks, writeRunLockfile } from './step-lockfiles.js';

/** Keys of the CLI's own bookkeeping, not part of a run's input. */
const NOT_RECORDED = ['parsed_artifact', 'parsed_automation', 'cmd'];

function recordedInput(input: Dict): Dict {
  const out: Dict = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === 'cmd' && typeof v === 'string') out[k] = v;
    else if (!NOT_RECORDED.includes(k)) out[k] = v;
  }
  return out;
}

function holdRun(runDir: string): Lock {
  const got = tryAcquireLock(join(runDir, SWEEP_LOCK));
  if ('lock' in got) return got.lock;
  throw new CmError(
    'locked',
    `another cme is recording into ${runDir} (${got.holder.split(' ')[0] ? `pid ${got.holder.split(' ')[0]}` : 'a live process'})`,
    {
      hint: 'wait for it to finish, or record into a new run (without --dir/--rerun/--resume)',
    },
  );
}

/** On --resume the sweep is the one recorded; how to run it (parallel, fail-fast ...) is today's. */
function sweepToRun(input: Dict, given: SweepInput, runDir: string, mode: RunMode): SweepInput {
  if (mode !== 'resume') return given;
  const stored = readSweepInput({ ...readRunInput(runDir), collect: false });
  return {
    ...stored,
    parallel: given.parallel,
    failFast: given.failFast,
    executor: given.executor,
    resume: true,
    detach: given.detach,
  };
}

/** How many steps a sweep runs (undefined: autotuning decides as it goes). */
function stepCount(sweep: SweepInput, plan: SweepPlan): number | undefined {
  return sweep.tune ? undefined : plan.points.length * sweep.repeat;
}

/** After the run, what --lock and --frozen ask of the lockfiles its steps wrote. */
function finishStepLocks(ctx: CmContext, sweep: SweepInput, tally: SweepTally): void {
  if (tally.failed.length > 0 || tally.interrupted) return;
  if (sweep.frozen !== undefined && tally.done > 0 && tally.lockfiles.length === 0)
    ctx.emit({
      type: 'warning',
      text: `--frozen=${sweep.frozen} checked nothing: no step ran a cm run script`,
    });
  if (typeof sweep.lock === 'string') writeRunLockfile(ctx, sweep.lock, tally.lockfiles);
}

function sourceOf(sweep: SweepInput, plan: SweepPlan, results: ResultsFile): ExecutionSource {
  return sweep.tune ? tuneSource(sweep, plan, results) : gridSource(sweep, plan, results);
}

export async function runExperiment(
  input: Dict,
  ctx: CmContext,
  automation: AutomationHandle,
): Promise<Dict> {
  const given = readSweepInput(input);
  const tuneNames = given.tune ? Object.keys(given.tune.space ?? {}) : [];
  // Planned before anything is made, so that a bad sweep changes nothing; --resume plans the
  // recorded sweep once its run is known.
  const early = !given.resume && !given.collect ? planSweep(given, tuneNames) : undefined;
  const frozenEarly = early ? checkStepLocks(ctx, given, stepCount(given, early)) : undefined;
  const { entry } = await resolveExperiment(
    ctx,
    automation,
    { tags: given.tags, ...(given.artifact ? { artifact: given.artifact } : {}) },
    true,
  );
  ctx.emit({ type: 'info', text: `Path to CM experiment artifact: ${entry.path}` });
  if (given.collect) {
    const { collectSlurmRun } = await import('./run-on-slurm.js');
    return collectSlurmRun(ctx, entry.path, given);
  }
  const { runDir, mode } = await chooseRunFolder(ctx, entry.path, given);
  ctx.emit({ type: 'info', text: `Path to experiment: ${runDir}` });
  const lock = holdRun(runDir);
  try {
    const sweep = sweepToRun(input, given, runDir, mode);
    const plan = early ?? planSweep(sweep, sweep.tune ? Object.keys(sweep.tune.space ?? {}) : []);
    const frozenPath = early ? frozenEarly : checkStepLocks(ctx, sweep, stepCount(sweep, plan));
    if (plan.points.length === 0 && !sweep.tune) {
      ctx.emit({
        type: 'warning',
        text: 'a dimension of the exploration has no values: nothing to run',
      });
      return {
        return: 0,
        experiment_path: entry.path,
        experiment_path2: runDir,
        steps: 0,
        failed: 0,
      };
    }
    if (mode !== 'resume')
      writeFileSync(
        join(runDir, RUN_INPUT_FILE),
        JSON.stringify(recordedInput(input), null, 2) + '\n',
      );
    const results = new ResultsFile(runDir);
    const record = new RunRecord(runDir, { ctx, env: sweep.env, mode, sweep });
    const source = sourceOf(sweep, plan, results);
    const context = {
      ctx,
      sweep,
      plan,
      results,
      record,
      artifactDir: entry.path,
      runDir,
      ...(frozenPath !== undefined ? { frozenPath } : {}),
    };
    let tally: SweepTally;
    if (sweep.executor === 'slurm') {
      if (sweep.tune)
        throw new CmError('bad-input', '--strategy runs on this machine: drop --executor=slurm');
      const { runOnSlurm } = await import('./run-on-slurm.js');
      const r = await runOnSlurm(context, source);
      if (r.detached)
        return {
          return: 0,
          experiment_path: entry.path,
          experiment_path2: runDir,
          job_id: r.jobId,
        };
      tally = r.tally;
    } else tally = await runLocally(context, source);
    record.finish(tally, source.summary?.());
    finishStepLocks(ctx, sweep, tally);
    return finish(ctx, entry.path, runDir, tally, source);
  } finally {
    lock.release();
  }
}

/** Print the Pareto front a tuning run found (it is also in the result and in cm-run.json). */
function showFront(ctx: CmContext, tuning: Dict): void {
  const front = Array.isArray(tuning['front'])
    ? (tuning['front'] as Array<Record<string, unknown>>)
    : [];
  const head = `Pareto front (${String(tuning['objectives'])}) of ${String(tuning['evaluations'])} evaluated points (${String(tuning['strategy'])}, seed ${String(tuning['seed'] ?? 'default')}):`;
  if (front.length === 0) {
    ctx.emit({ type: 'output', text: `${head} none (no point gave every objective)` });
    return;
  }
  ctx.emit({
    type: 'output',
    text: `${head}\n${formatTable(buildTable(front, {}), 'text').replace(/\n$/, '')}`,
  });
}

function finish(
  ctx: CmContext,
  artifactDir: string,
  runDir: string,
  tally: SweepTally,
  source: ExecutionSource,
): Dict {
  const out: Dict = {
    return: 0,
    experiment_path: artifactDir,
    experiment_path2: runDir,
    steps: tally.done,
    failed: tally.failed.length,
  };
  if (tally.lockfiles.length > 0) out['lockfiles'] = tally.lockfiles;
  const summary = source.summary?.();
  if (summary) Object.assign(out, summary);
  if (isDict(summary?.['tuning'])) showFront(ctx, summary['tuning']);
  if (tally.interrupted)
    throw new CmError(
      'script-failed',
      `the sweep stopped after ${tally.done} steps (${tally.interrupted})`,
      {
        hint: `cme --resume --dir=${runDir.split(/[\\/]/).pop()} ... runs the steps that have no result yet`,
      },
    );
  if (tally.failed.length > 0) {
    const first = tally.failed[0]!;
    const list = tally.failed
      .slice(0, 10)
      .map((f) => `${f.stepNo} (exit ${f.exitCode})`)
      .join(', ');
    throw new CmError(
      'script-failed',
      `${tally.failed.length} of ${tally.done} steps failed: step ${list}${tally.failed.length > 10 ? ' ...' : ''}`,
      {
        hint: `their results are recorded in ${join(runDir, 'cm-result.json')}${first.logTail ? `; the first one's output ended with:\n${first.logTail}` : ''}`,
      },
    );
  }
  return out;
}
