// The `--slurm.*` flags of an experiment run: their shape checked once (values are sbatch's to
// judge), and the sbatch command line that submits a run's steps as one job array.
import { suggest } from '../../../core/did-you-mean.js';
import { CmError } from '../../../core/errors.js';
import { isDict } from '../../../core/merge.js';

export interface SlurmOptions {
  partition?: string;
  time?: string;
  cpusPerTask?: string;
  mem?: string;
  /** At most this many steps run at once (the %K of --array); undefined: no limit. */
  maxParallel?: number;
  jobName?: string;
  /** More sbatch options, passed as they are after CM's own (so they may override them). */
  extra?: string[];
}

type ValueKey = 'partition' | 'time' | 'cpusPerTask' | 'mem' | 'jobName';

/** Input key (as `--slurm.KEY=` writes it, dashes read as underscores) → option. */
const VALUE_KEYS: Record<string, ValueKey> = {
  partition: 'partition',
  time: 'time',
  cpus_per_task: 'cpusPerTask',
  mem: 'mem',
  job_name: 'jobName',
};
const KNOWN_KEYS = [...Object.keys(VALUE_KEYS), 'max_parallel', 'extra'];

function readValue(flag: string, v: unknown, problems: string[]): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '') return v;
  problems.push(`${flag} needs a value (${flag}=VALUE), got ${JSON.stringify(v)}`);
  return undefined;
}

function readMaxParallel(flag: string, v: unknown, problems: string[]): number | undefined {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 1) return n;
  problems.push(`${flag} must be a whole number of at least 1, got ${JSON.stringify(v)}`);
  return undefined;
}

function readExtra(flag: string, v: unknown, problems: string[]): string[] | undefined {
  if (typeof v === 'string' && v !== '') return [v];
  if (Array.isArray(v) && v.every((a) => typeof a === 'string')) return v.filter((a) => a !== '');
  problems.push(`${flag} must be sbatch options (${flag},=--qos=high,--account=me)`);
  return undefined;
}

/**
 * The Slurm options of a run input: `input.slurm` = {partition, time, cpus_per_task, mem,
 * max_parallel, job_name, extra}, values as strings from `--slurm.KEY=VALUE` (or numbers from an
 * @file). Checks the shape only and lists every problem at once; sbatch judges the values.
 */
export function slurmOptionsOf(input: Record<string, unknown>): SlurmOptions {
  const raw = input['slurm'];
  if (raw === undefined) return {};
  if (!isDict(raw)) {
    throw new CmError(
      'bad-input',
      `--slurm must be given as --slurm.KEY=VALUE, got ${JSON.stringify(raw)}`,
      {
        hint: `e.g. --slurm.partition=gpu --slurm.time=1:00:00; keys: ${KNOWN_KEYS.join(', ')}`,
      },
    );
  }
  const opts: SlurmOptions = {};
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const [written, v] of Object.entries(raw)) {
    const key = written.replace(/-/g, '_');
    const flag = `--slurm.${written}`;
    const valueKey = VALUE_KEYS[key];
    if (valueKey !== undefined) {
      const s = readValue(flag, v, problems);
      if (s !== undefined) opts[valueKey] = s;
    } else if (key === 'max_parallel') {
      const n = readMaxParallel(flag, v, problems);
      if (n !== undefined) opts.maxParallel = n;
    } else if (key === 'extra') {
      const extra = readExtra(flag, v, problems);
      if (extra !== undefined) opts.extra = extra;
    } else {
      const near = suggest(key, KNOWN_KEYS, 1)[0];
      unknown.push(key);
      problems.push(`unknown flag ${flag}${near ? ` (did you mean --slurm.${near}?)` : ''}`);
    }
  }
  if (problems.length > 0) {
    throw new CmError('bad-input', problems.join('\n'), {
      hint:
        `the --slurm flags are ${KNOWN_KEYS.map((k) => `--slurm.${k}`).join(', ')}` +
        (unknown.length > 0 ? '; other sbatch options go in --slurm.extra' : ''),
      details: { problems },
    });
  }
  return opts;
}

export interface ArraySubmission {
  /** Number of steps: array tasks 0..count-1. */
  count: number;
  /** The run folder: the jobs' working folder. */
  runDir: string;
  /** Where each task's output goes (sbatch's %A and %a filled in by Slurm). */
  outputPattern: string;
  script: string;
}

/** The sbatch arguments (after `sbatch`) that submit the array; --parsable prints only the id. */
export function sbatchArgs(opts: SlurmOptions, job: ArraySubmission): string[] {
  if (!Number.isSafeInteger(job.count) || job.count < 1) {
    throw new Error(`a job array needs at least one step, got ${job.count}`);
  }
  const limit = opts.maxParallel === undefined ? '' : `%${opts.maxParallel}`;
  const args = [
    '--parsable',
    `--array=0-${job.count - 1}${limit}`,
    `--job-name=${opts.jobName ?? 'cm-experiment'}`,
    `--chdir=${job.runDir}`,
    `--output=${job.outputPattern}`,
  ];
  if (opts.partition !== undefined) args.push(`--partition=${opts.partition}`);
  if (opts.time !== undefined) args.push(`--time=${opts.time}`);
  if (opts.cpusPerTask !== undefined) args.push(`--cpus-per-task=${opts.cpusPerTask}`);
  if (opts.mem !== undefined) args.push(`--mem=${opts.mem}`);
  return [...args, ...(opts.extra ?? []), job.script];
}
