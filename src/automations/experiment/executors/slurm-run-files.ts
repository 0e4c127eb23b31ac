// The files a Slurm-executed run keeps in its run folder: cm-slurm.json (the job id and which
// array task runs which step), the array script, the tasks' logs and the steps' status files.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../../core/errors.js';
import { writeFileAtomic } from '../../../db/atomic-file.js';
import { STEP_STATUS_FILE } from './slurm-array-script.js';
import { parseStepStatus, type StepStatus } from './slurm-task-state.js';

export const RECORD_FILE = 'cm-slurm.json';
export const ARRAY_SCRIPT_FILE = 'cm-slurm-array.sh';
export const LOG_DIR = 'slurm-logs';

/** What cm-slurm.json holds: array task i ran steps[i]. */
export interface SlurmRecord {
  jobId: string;
  submittedAt: string;
  steps: Array<{ index: number; dir: string }>;
  sbatchArgs: string[];
}

export function writeRecord(runDir: string, record: SlurmRecord): void {
  const json = {
    job_id: record.jobId,
    submitted_at: record.submittedAt,
    sbatch_args: record.sbatchArgs,
    steps: record.steps,
  };
  writeFileAtomic(join(runDir, RECORD_FILE), `${JSON.stringify(json, null, 2)}\n`);
}

export function readRecord(runDir: string): SlurmRecord {
  const path = join(runDir, RECORD_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CmError('file-not-found', `${path} does not exist: this run was not sent to Slurm`, {
      hint: 'only a run started with --executor=slurm can be collected or cancelled',
    });
  }
  const bad = (why: string) =>
    new CmError('bad-meta', `${path}: ${why}`, {
      hint: `the file is written by CM when it submits the job array; restore it or rerun`,
    });
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw bad(`not JSON (${(e as Error).message})`);
  }
  const { job_id, submitted_at, steps, sbatch_args } = o ?? {};
  if (typeof job_id !== 'string' || !/^\d+$/.test(job_id)) throw bad('job_id must be a job id');
  if (!Array.isArray(steps)) throw bad('steps must be a list');
  steps.forEach((s: { index?: unknown; dir?: unknown }, i) => {
    if (typeof s?.index !== 'number' || typeof s?.dir !== 'string') {
      throw bad(`steps[${i}] must be {index, dir}`);
    }
  });
  return {
    jobId: job_id,
    submittedAt: typeof submitted_at === 'string' ? submitted_at : '',
    steps: steps as SlurmRecord['steps'],
    sbatchArgs: Array.isArray(sbatch_args) ? (sbatch_args as string[]) : [],
  };
}

/** The step's status file: undefined when there is none (yet), a sentence when it is broken. */
export function readStepStatus(stepDir: string): StepStatus | string | undefined {
  let text: string;
  try {
    text = readFileSync(join(stepDir, STEP_STATUS_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `cannot be read (${(e as Error).message})`;
  }
  return parseStepStatus(text);
}

/** The output file of array task `task` (sbatch --output=slurm-logs/%A_%a.out). */
export function taskLogPath(runDir: string, jobId: string, task: number): string {
  return join(runDir, LOG_DIR, `${jobId}_${task}.out`);
}

/** The last `lines` lines of a file (read from its last 64 KiB), or undefined when it is absent. */
export function readTail(path: string, lines = 20): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    const all = buf.toString('utf8').replace(/\n$/, '').split('\n');
    // A cut first line is not shown: it started before the window.
    const whole = length < size ? all.slice(1) : all;
    return whole.slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}
