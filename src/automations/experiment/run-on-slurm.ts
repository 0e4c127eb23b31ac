// --executor=slurm: every step folder is prepared here, then the steps go to Slurm as one job
// array; cme waits (a line per change of pending/running/done/failed; Ctrl-C cancels the array)
// and records the results, or with --detach returns the job id, and `--collect` records them later.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { isDict, type Dict } from '../../core/merge.js';
import type { CmContext } from '../context.js';
import {
  collectArray,
  submitArray,
  waitForArray,
  type ArrayProgress,
} from './executors/slurm-array.js';
import { slurmOptionsOf } from './executors/slurm-options.js';
import { RECORD_FILE } from './executors/slurm-run-files.js';
import type { StepOutcome } from './executors/step-outcome.js';
import type { ExecutionSource } from './execution-source.js';
import { ResultsFile } from './results-file.js';
import {
  announce,
  prepareExecution,
  recordStep,
  type StepRecorder,
  type SweepContext,
  type SweepTally,
} from './run-locally.js';
import { startedRunFolders } from './run-folder.js';
import { STEP_INPUT_FILE, type PreparedStep } from './step-folder.js';
import type { StepFacts } from './step-result.js';
import type { SweepInput } from './sweep-input.js';

function progressText(jobId: string, p: ArrayProgress): string {
  const why = p.pendingReasons.length > 0 ? ` (waiting: ${p.pendingReasons.join(', ')})` : '';
  return `Slurm job ${jobId}: ${p.pending} pending${why}, ${p.running} running, ${p.done} done, ${p.failed} failed of ${p.total}`;
}

/** The environment of sbatch (tasks inherit it): the caller's, plus the steps' secrets. */
function slurmEnv(ctx: CmContext, steps: PreparedStep[]): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...ctx.env };
  for (const s of steps) Object.assign(env, s.secrets);
  return env;
}

export async function runOnSlurm(
  c: SweepContext,
  source: ExecutionSource,
): Promise<{ detached: true; jobId: string } | { detached: false; tally: SweepTally }> {
  const opts = slurmOptionsOf({ slurm: c.sweep.slurm });
  const steps: PreparedStep[] = [];
  const facts = new Map<number, StepFacts>();
  for (let e = source.next(); e !== undefined && e !== 'wait'; e = source.next()) {
    const prepared = prepareExecution(c, e);
    announce(c, prepared, source.planned);
    steps.push(prepared.step);
    facts.set(prepared.step.index, prepared.facts);
  }
  const env = slurmEnv(c.ctx, steps);
  const { jobId } = await submitArray(c.runDir, steps, opts, env);
  c.ctx.emit({
    type: 'info',
    text: `Submitted ${steps.length} steps as the Slurm job array ${jobId}`,
  });
  if (c.sweep.detach) {
    c.ctx.emit({ type: 'output', text: jobId });
    c.ctx.emit({
      type: 'note',
      text: `collect the results later: cm run experiment ${basename(c.artifactDir)} --collect --dir=${basename(c.runDir)}`,
    });
    return { detached: true, jobId };
  }
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  const tally: SweepTally = { done: 0, failed: [], startedMs: Date.now(), lockfiles: [] };
  try {
    const outcomes = await waitForArray(c.runDir, {
      env,
      signal: abort.signal,
      onProgress: (p) => c.ctx.emit({ type: 'info', text: progressText(jobId, p) }),
    });
    for (const o of outcomes) recordOutcome(c, tally, facts.get(o.index), o);
  } finally {
    c.results.flush();
    process.off('SIGINT', onSigint);
  }
  return { detached: false, tally };
}

function recordOutcome(
  c: StepRecorder,
  tally: SweepTally,
  f: StepFacts | undefined,
  o: StepOutcome,
): void {
  if (!f) throw new Error(`Slurm reported step index ${o.index}, which this run did not submit`);
  if (o.note) c.ctx.emit({ type: 'warning', text: `step ${f.stepNo}: ${o.note}` });
  recordStep(c, tally, f, o);
}

/** What a step folder says about its execution (for --collect, in another process). */
function factsOf(runDir: string, uid: string): StepFacts {
  const dir = join(runDir, uid);
  const input: unknown = JSON.parse(readFileSync(join(dir, STEP_INPUT_FILE), 'utf8'));
  if (!isDict(input))
    throw new CmError('bad-input', `${join(dir, STEP_INPUT_FILE)}: not a JSON object`);
  return {
    uid,
    dir,
    stepNo: Number(input['step'] ?? 0),
    repeat: Number(input['repeat'] ?? 1),
    point: (isDict(input['point']) ? input['point'] : {}) as StepFacts['point'],
    command: String(input['command'] ?? ''),
  };
}

/** `cm run experiment NAME --collect [--dir=RUN]`: record the results of a detached Slurm run. */
export async function collectSlurmRun(
  ctx: CmContext,
  artifactDir: string,
  given: SweepInput,
): Promise<Dict> {
  const runs = startedRunFolders(artifactDir).filter(
    (r) => given.dir === undefined || basename(r) === basename(given.dir),
  );
  const withJob = runs.filter((r) => {
    try {
      readFileSync(join(r, RECORD_FILE));
      return true;
    } catch {
      return false;
    }
  });
  const runDir = withJob[withJob.length - 1];
  if (runDir === undefined)
    throw new CmError('bad-input', `no Slurm run to collect in ${artifactDir}`, {
      hint: 'submit one with cme NAME --executor=slurm --detach -- COMMAND',
    });
  const record: unknown = JSON.parse(readFileSync(join(runDir, RECORD_FILE), 'utf8'));
  const stepDirs =
    isDict(record) && Array.isArray(record['steps']) ? (record['steps'] as Dict[]) : [];
  const got = await collectArray(runDir, ctx.env);
  if (!Array.isArray(got)) {
    const p = got.stillRunning;
    ctx.emit({
      type: 'output',
      text: `still running: ${p.pending} pending, ${p.running} running, ${p.done} done, ${p.failed} failed of ${p.total}`,
    });
    return { return: 0, experiment_path2: runDir, still_running: true, progress: p };
  }
  const results = new ResultsFile(runDir);
  const recorded = new Set(results.rows().map((r) => r['uid']));
  const tally: SweepTally = { done: 0, failed: [], startedMs: Date.now(), lockfiles: [] };
  const c: StepRecorder = { ctx, results };
  for (const o of got) {
    const dir = String(stepDirs.find((s) => Number(s['index']) === o.index)?.['dir'] ?? '');
    const uid = basename(dir);
    if (uid === '' || recorded.has(uid)) continue;
    recordOutcome(c, tally, factsOf(runDir, uid), o);
  }
  results.flush();
  ctx.emit({
    type: 'info',
    text: `Collected ${tally.done} results into ${join(runDir, 'cm-result.json')}`,
  });
  return {
    return: 0,
    experiment_path: artifactDir,
    experiment_path2: runDir,
    steps: tally.done,
    failed: tally.failed.length,
  };
}
