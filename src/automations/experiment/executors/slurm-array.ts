// The Slurm executor of experiment runs: the prepared steps go to Slurm as one job array (task i
// runs step i in its folder on a shared file system); progress, waiting, collecting, cancelling.
// Never prints: progress goes to the caller's callback.
import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CmError } from '../../../core/errors.js';
import { writeFileAtomic } from '../../../db/atomic-file.js';
import { arrayScript } from './slurm-array-script.js';
import {
  accountedTasks,
  queuedTasks,
  runSlurmCommand,
  scancel,
  type SlurmEnv,
} from './slurm-commands.js';
import { sbatchArgs, type SlurmOptions } from './slurm-options.js';
import {
  ARRAY_SCRIPT_FILE,
  LOG_DIR,
  readRecord,
  readStepStatus,
  readTail,
  taskLogPath,
  writeRecord,
  type SlurmRecord,
} from './slurm-run-files.js';
import {
  lostOutcome,
  progressOf,
  taskStateOf,
  type ArrayProgress,
  type TaskState,
} from './slurm-task-state.js';
import type { PreparedStep, StepOutcome } from './step-outcome.js';

export type { ArrayProgress } from './slurm-task-state.js';
export type { SlurmEnv } from './slurm-commands.js';

/**
 * Writes the array script and cm-slurm.json into `runDir` and submits `steps` as one job array
 * (task i runs steps[i]). A submission sbatch refuses (a bad --slurm.* value) is an
 * 'executor-failed' CmError whose message holds sbatch's own words.
 */
export async function submitArray(
  runDir: string,
  steps: readonly PreparedStep[],
  opts: SlurmOptions,
  env: SlurmEnv,
): Promise<{ jobId: string }> {
  const dir = resolve(runDir);
  const absolute = steps.map((s) => ({ ...s, dir: resolve(dir, s.dir) }));
  const script = join(dir, ARRAY_SCRIPT_FILE);
  const args = sbatchArgs(opts, {
    count: steps.length,
    runDir: dir,
    outputPattern: join(dir, LOG_DIR, '%A_%a.out'),
    script,
  });
  mkdirSync(join(dir, LOG_DIR), { recursive: true });
  writeFileAtomic(script, arrayScript(absolute));
  chmodSync(script, 0o755);
  const r = await runSlurmCommand('sbatch', args, env);
  if (r.code !== 0) {
    throw new CmError(
      'executor-failed',
      `sbatch refused the job array of ${steps.length} steps:\n${r.stderr.trim() || r.stdout.trim()}`,
      {
        hint:
          'check the --slurm.* values (partition, time, cpus_per_task, mem, extra): `sinfo` lists the partitions and their limits; ' +
          'an array larger than the cluster allows (MaxArraySize in `scontrol show config`) is refused too',
        details: { sbatch_args: args, status: r.code, stderr: r.stderr },
      },
    );
  }
  const jobId = /^(\d+)(;\S*)?$/.exec(r.stdout.trim())?.[1];
  if (jobId === undefined) {
    throw new CmError('executor-failed', `sbatch printed no job id: ${JSON.stringify(r.stdout)}`, {
      details: { sbatch_args: args, stderr: r.stderr },
    });
  }
  writeRecord(dir, {
    jobId,
    submittedAt: new Date().toISOString(),
    sbatchArgs: args,
    steps: absolute.map((s) => ({ index: s.index, dir: s.dir })),
  });
  return { jobId };
}

interface Snapshot {
  record: SlurmRecord;
  states: TaskState[];
  progress: ArrayProgress;
}

/** squeue first, then the status files: a task that ends in between is seen by its file. */
async function snapshot(runDir: string, env: SlurmEnv): Promise<Snapshot> {
  const record = readRecord(runDir);
  const queued = new Map((await queuedTasks(record.jobId, env)).map((t) => [t.task, t]));
  const states = record.steps.map((s, task) =>
    taskStateOf(readStepStatus(s.dir), queued.get(task)),
  );
  return { record, states, progress: progressOf(states) };
}

/** How many of the run's steps are pending, running, done and failed. */
export async function arrayProgress(runDir: string, env: SlurmEnv): Promise<ArrayProgress> {
  return (await snapshot(runDir, env)).progress;
}

/** One outcome per step, by step index; lost tasks are explained by Slurm's accounting. */
async function outcomesOf(runDir: string, s: Snapshot, env: SlurmEnv): Promise<StepOutcome[]> {
  const { record, states } = s;
  const hasLost = states.some((t) => t.kind === 'lost');
  const accounted = hasLost ? await accountedTasks(record.jobId, env) : [];
  const outcomes = states.map((state, task): StepOutcome => {
    const index = record.steps[task]!.index;
    let outcome: StepOutcome;
    if (state.kind === 'ended') {
      outcome = { index, ...state.status };
    } else if (state.kind === 'lost') {
      const a = accounted.find((t) => t.task === task);
      const { exitCode, note } = lostOutcome(state.problem, a);
      const startedAt = a?.start ?? record.submittedAt;
      const endedAt = a?.end ?? startedAt;
      const durationS = Math.max(0, (Date.parse(endedAt) - Date.parse(startedAt)) / 1000) || 0;
      outcome = { index, exitCode, durationS, startedAt, endedAt, note };
    } else {
      throw new Error(`task ${task} of job ${record.jobId} is not finished`);
    }
    if (outcome.exitCode !== 0) {
      const tail = readTail(taskLogPath(runDir, record.jobId, task));
      if (tail !== undefined) outcome.logTail = tail;
    }
    return outcome;
  });
  return outcomes.sort((a, b) => a.index - b.index);
}

export interface WaitOptions {
  env: SlurmEnv;
  /** Called with the first progress and with every change. */
  onProgress?(p: ArrayProgress): void;
  /** Aborting cancels the job array (scancel), then the wait fails saying so. */
  signal?: AbortSignal;
  /** Time between two looks at squeue and the status files (default 2000 ms). */
  pollMs?: number;
}

/** How long a task gone without a status file is looked at again before it counts as failed. */
const LOST_GRACE_MS = 3000;

/**
 * Waits until every task of the run's array is over; the outcomes in step order. A task gone
 * without a status file is looked at again for LOST_GRACE_MS (a shared file system may show the
 * file late) before it counts as failed.
 */
export async function waitForArray(runDir: string, options: WaitOptions): Promise<StepOutcome[]> {
  const { env, onProgress, signal } = options;
  const pollMs = options.pollMs ?? 2000;
  let last = '';
  let lostSince: number | undefined;
  for (;;) {
    if (signal?.aborted) return cancelled(runDir, env);
    const s = await snapshot(runDir, env);
    const shown = JSON.stringify(s.progress);
    if (shown !== last) onProgress?.(s.progress);
    last = shown;
    if (s.progress.finished) {
      const isLost = s.states.some((t) => t.kind === 'lost');
      if (isLost) lostSince ??= Date.now();
      if (!isLost || Date.now() - lostSince! >= LOST_GRACE_MS) return outcomesOf(runDir, s, env);
    }
    try {
      await sleep(pollMs, undefined, signal ? { signal } : {});
    } catch (e) {
      if (!signal?.aborted) throw e;
    }
  }
}

async function cancelled(runDir: string, env: SlurmEnv): Promise<never> {
  await cancelArray(runDir, env);
  const { record, progress } = await snapshot(runDir, env);
  throw new CmError(
    'executor-failed',
    `the Slurm job array ${record.jobId} was cancelled (scancel ${record.jobId}): ` +
      `${progress.done} steps done, ${progress.failed} failed or stopped, ` +
      `${progress.pending + progress.running} not finished`,
    {
      hint: `the steps that finished keep their results in ${runDir}`,
      details: { cancelled: true, job_id: record.jobId, progress },
    },
  );
}

/** For --collect: the outcomes of a finished array, or its progress while it still runs. */
export async function collectArray(
  runDir: string,
  env: SlurmEnv,
): Promise<StepOutcome[] | { stillRunning: ArrayProgress }> {
  const s = await snapshot(runDir, env);
  if (!s.progress.finished) return { stillRunning: s.progress };
  return outcomesOf(runDir, s, env);
}

/**
 * Cancels the run's job array and waits (up to `waitMs`, default 60 s) until squeue no longer
 * lists any of its tasks; a job that is already over is left as it is.
 */
export async function cancelArray(
  runDir: string,
  env: SlurmEnv,
  { waitMs = 60_000 }: { waitMs?: number } = {},
): Promise<void> {
  const { jobId } = readRecord(runDir);
  await scancel(jobId, env);
  const until = Date.now() + waitMs;
  while ((await queuedTasks(jobId, env)).length > 0 && Date.now() < until) await sleep(250);
}
