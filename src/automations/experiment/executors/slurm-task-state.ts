// The state of each task of a Slurm job array, told from what can be read about it: the step's
// own status file first, then squeue (still queued or running), then accounting for a task that
// is gone without a status file. Pure: parsing and deciding, no processes and no files.

/** What a task wrote in its step folder (cm-step-status.json). */
export interface StepStatus {
  exitCode: number;
  startedAt: string;
  endedAt: string;
  durationS: number;
}

/** A task as squeue lists it. */
export interface QueuedTask {
  task: number;
  state: string;
  reason: string;
}

/** A finished task as sacct or scontrol remember it. */
export interface AccountedTask {
  task: number;
  state: string;
  /** Slurm's "code:signal". */
  exitCode: string;
  start?: string;
  end?: string;
  source: 'sacct' | 'scontrol';
}

export type TaskState =
  | { kind: 'pending'; reason: string }
  | { kind: 'running' }
  | { kind: 'ended'; status: StepStatus }
  /** Gone from the queue without a readable status file: failed. */
  | { kind: 'lost'; problem: string };

export interface ArrayProgress {
  pending: number;
  running: number;
  done: number;
  failed: number;
  total: number;
  finished: boolean;
  /** Why the pending tasks wait, as squeue says (Resources, Priority, JobArrayTaskLimit ...). */
  pendingReasons: string[];
}

/** The status file's text as a StepStatus, or a sentence saying what is wrong with it. */
export function parseStepStatus(text: string): StepStatus | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return `is not JSON (${(e as Error).message})`;
  }
  const o = (v ?? {}) as Record<string, unknown>;
  const { exit_code, started_at, ended_at, duration_s } = o;
  if (
    typeof exit_code !== 'number' ||
    !Number.isInteger(exit_code) ||
    typeof started_at !== 'string' ||
    typeof ended_at !== 'string' ||
    typeof duration_s !== 'number'
  ) {
    return 'lacks exit_code, started_at, ended_at or duration_s';
  }
  return { exitCode: exit_code, startedAt: started_at, endedAt: ended_at, durationS: duration_s };
}

/** `squeue --noheader --array --format=%K|%T|%r` lines; rows of other jobs' shapes are skipped. */
export function parseSqueue(text: string): QueuedTask[] {
  const tasks: QueuedTask[] = [];
  for (const line of text.split('\n')) {
    const [task, state, reason] = line.trim().split('|');
    if (task === undefined || !/^\d+$/.test(task) || state === undefined) continue;
    tasks.push({ task: Number(task), state, reason: reason ?? '' });
  }
  return tasks;
}

/** `sacct --noheader --parsable2 --allocations --format=JobID,State,ExitCode,Start,End` lines. */
export function parseSacct(text: string): AccountedTask[] {
  const tasks: AccountedTask[] = [];
  for (const line of text.split('\n')) {
    const [id, state, exitCode, start, end] = line.trim().split('|');
    const task = /^\d+_(\d+)$/.exec(id ?? '')?.[1];
    if (task === undefined || state === undefined || exitCode === undefined) continue;
    // sacct writes "CANCELLED by 0".
    const row: AccountedTask = {
      task: Number(task),
      state: state.split(' ')[0]!,
      exitCode,
      source: 'sacct',
    };
    tasks.push(Object.assign(row, datesOf(start, end)));
  }
  return tasks;
}

/** `scontrol --oneliner show job ID` lines (one per task; a pending range is skipped). */
export function parseScontrol(text: string): AccountedTask[] {
  const tasks: AccountedTask[] = [];
  for (const line of text.split('\n')) {
    const field = (name: string) => new RegExp(`(?:^| )${name}=(\\S*)`).exec(line)?.[1];
    const task = field('ArrayTaskId');
    const state = field('JobState');
    const exitCode = field('ExitCode');
    if (task === undefined || !/^\d+$/.test(task) || state === undefined) continue;
    if (exitCode === undefined) continue;
    const row: AccountedTask = { task: Number(task), state, exitCode, source: 'scontrol' };
    tasks.push(Object.assign(row, datesOf(field('StartTime'), field('EndTime'))));
  }
  return tasks;
}

/** Slurm's dates are local times without a zone ("2026-12-06T07:23:40"); "Unknown" is none. */
function datesOf(start?: string, end?: string): { start?: string; end?: string } {
  const iso = (s?: string) => {
    const t = s !== undefined && /^\d{4}-\d\d-\d\dT/.test(s) ? new Date(s) : undefined;
    return t !== undefined && !Number.isNaN(t.getTime()) ? t.toISOString() : undefined;
  };
  const dates: { start?: string; end?: string } = {};
  const s = iso(start);
  const e = iso(end);
  if (s !== undefined) dates.start = s;
  if (e !== undefined) dates.end = e;
  return dates;
}

/** The exit status a shell would report for Slurm's "code:signal" (128 + signal when killed). */
export function exitCodeOf(slurmExitCode: string): number {
  const [code, signal] = slurmExitCode.split(':').map(Number);
  if (code !== undefined && Number.isInteger(code) && code !== 0) return code;
  if (signal !== undefined && Number.isInteger(signal) && signal !== 0) return 128 + signal;
  return 0;
}

/** Pending in squeue's sense: waiting to start (held and requeued tasks included). */
const WAITING = new Set(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESV_DEL_HOLD']);
/** Final states squeue may still show for a moment. */
const FINAL = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'BOOT_FAIL',
  'DEADLINE',
  'PREEMPTED',
  'SPECIAL_EXIT',
  'REVOKED',
]);

/**
 * One task's state. The status file wins (it is written last, so a task that wrote it is over
 * even if squeue, read just before, still lists it); then squeue; else the task is lost.
 */
export function taskStateOf(
  status: StepStatus | string | undefined,
  queued: QueuedTask | undefined,
): TaskState {
  if (typeof status === 'object') return { kind: 'ended', status };
  if (queued !== undefined && WAITING.has(queued.state)) {
    return { kind: 'pending', reason: queued.reason };
  }
  if (queued !== undefined && !FINAL.has(queued.state)) return { kind: 'running' };
  const problem =
    status === undefined ? 'wrote no cm-step-status.json' : `cm-step-status.json ${status}`;
  return { kind: 'lost', problem };
}

export function progressOf(states: readonly TaskState[]): ArrayProgress {
  const p: ArrayProgress = {
    pending: 0,
    running: 0,
    done: 0,
    failed: 0,
    total: states.length,
    finished: false,
    pendingReasons: [],
  };
  const reasons = new Set<string>();
  for (const s of states) {
    if (s.kind === 'pending') {
      p.pending++;
      if (s.reason !== '' && s.reason !== 'None') reasons.add(s.reason);
    } else if (s.kind === 'running') p.running++;
    else if (s.kind === 'ended' && s.status.exitCode === 0) p.done++;
    else p.failed++;
  }
  p.finished = p.pending === 0 && p.running === 0;
  p.pendingReasons = [...reasons].sort();
  return p;
}

/**
 * The exit code and note of a lost task from what accounting remembers of it (if anything):
 * never 0, since the task did not record a success.
 */
export function lostOutcome(
  problem: string,
  accounted: AccountedTask | undefined,
): { exitCode: number; note: string } {
  if (accounted === undefined) {
    return { exitCode: 1, note: `the task ${problem}, and Slurm keeps no record of it` };
  }
  const code = exitCodeOf(accounted.exitCode);
  return {
    exitCode: code === 0 ? 1 : code,
    note:
      `the task ${problem}; Slurm (${accounted.source}) says ${accounted.state}, ` +
      `exit code ${accounted.exitCode}`,
  };
}
