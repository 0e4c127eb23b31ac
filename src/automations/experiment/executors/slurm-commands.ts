// Running the Slurm client programs (sbatch, squeue, scancel, sacct, scontrol) through argv, never
// a shell, with the caller's environment (SLURM_CONF and PATH come from there).
import { childProcess } from '../../child-process.js';
import { CmError } from '../../../core/errors.js';
import {
  parseSacct,
  parseScontrol,
  parseSqueue,
  type AccountedTask,
  type QueuedTask,
} from './slurm-task-state.js';

export type SlurmEnv = Readonly<Record<string, string | undefined>>;

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A Slurm client that does not answer within this time is taken as failed. */
const TIMEOUT_MS = 120_000;

/** Runs `program args`; a program that cannot be started is an 'executor-failed' CmError. */
export function runSlurmCommand(
  program: string,
  args: readonly string[],
  env: SlurmEnv,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(program, args, {
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      const missing = e.code === 'ENOENT';
      reject(
        new CmError('executor-failed', `cannot run ${program}: ${e.message}`, {
          hint: missing
            ? 'the Slurm executor needs the Slurm client programs on PATH (Debian: apt-get install slurm-client), or run with --executor=local'
            : undefined,
          cause: e,
        }),
      );
    });
    child.on('close', (code, signal) => {
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

function failure(program: string, args: readonly string[], r: CommandResult): CmError {
  return new CmError(
    'executor-failed',
    `${program} ${args.join(' ')} exited with status ${r.code}:\n${(r.stderr || r.stdout).trim()}`,
    {
      hint: 'is the Slurm controller up? `sinfo` should list its partitions',
      details: { program, args, status: r.code, stderr: r.stderr },
    },
  );
}

/** Slurm's answer about a job it no longer knows (finished long enough ago, or never there). */
const UNKNOWN_JOB = /Invalid job id specified/i;

/** The job's array tasks squeue still lists (none when Slurm has forgotten the job). */
export async function queuedTasks(jobId: string, env: SlurmEnv): Promise<QueuedTask[]> {
  const args = ['--noheader', '--array', `--jobs=${jobId}`, '--format=%K|%T|%r'];
  const r = await runSlurmCommand('squeue', args, env);
  if (r.code !== 0) {
    if (UNKNOWN_JOB.test(r.stderr)) return [];
    throw failure('squeue', args, r);
  }
  return parseSqueue(r.stdout);
}

/**
 * What Slurm remembers of the job's finished tasks: sacct when accounting is kept, else scontrol
 * (which knows a job for MinJobAge after it ends), else nothing. Never fails: this only explains
 * tasks that left no status file.
 */
export async function accountedTasks(jobId: string, env: SlurmEnv): Promise<AccountedTask[]> {
  const tries = [
    {
      program: 'sacct',
      args: [
        '--noheader',
        '--parsable2',
        '--allocations',
        `--jobs=${jobId}`,
        '--format=JobID,State,ExitCode,Start,End',
      ],
      parse: parseSacct,
    },
    { program: 'scontrol', args: ['--oneliner', 'show', 'job', jobId], parse: parseScontrol },
  ];
  for (const t of tries) {
    const r = await runSlurmCommand(t.program, t.args, env).catch(() => undefined);
    const tasks = r?.code === 0 ? t.parse(r.stdout) : [];
    if (tasks.length > 0) return tasks;
  }
  return [];
}

/** Cancels every task of the job; a job that is already over is not an error. */
export async function scancel(jobId: string, env: SlurmEnv): Promise<void> {
  const args = [jobId];
  const r = await runSlurmCommand('scancel', args, env);
  if (
    r.code !== 0 &&
    !UNKNOWN_JOB.test(r.stderr) &&
    !/already completing or completed/i.test(r.stderr)
  ) {
    throw failure('scancel', args, r);
  }
}
