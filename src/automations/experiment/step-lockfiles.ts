// Lockfiles of an experiment's steps (cme --lock, --frozen=FILE): the env that asks each step's
// `cm run script` to write its lockfile into the step folder (or to run frozen), the lockfiles a
// step left there, and --lock=FILE, the lockfile of a one-step run copied where the user asked.
import { copyFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CmError } from '../../core/errors.js';
import { readLockfile } from '../script/lockfile/lockfile.js';
import { RUN_FROZEN_ENV, RUN_LOCK_ENV } from '../script/lockfile/run-lockfiles.js';
import type { CmContext } from '../context.js';
import type { SweepInput } from './sweep-input.js';

/** The lockfile a step's first `cm run script` writes; later ones write cm-lock-2.json ... */
export const STEP_LOCKFILE = 'cm-lock.json';

const STEP_LOCKFILE_NAME = /^cm-lock(?:-(\d+))?\.json$/;

/** The env a step's command gets for --lock / --frozen (`frozen`: the lockfile's absolute path). */
export function stepLockEnv(
  sweep: Pick<SweepInput, 'lock' | 'frozen'>,
  stepDir: string,
  frozen: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  // A frozen step records what it ran too: that is how a step that ran no CM script is told apart.
  if (sweep.lock !== undefined || frozen !== undefined)
    env[RUN_LOCK_ENV] = join(stepDir, STEP_LOCKFILE);
  if (frozen !== undefined) env[RUN_FROZEN_ENV] = frozen;
  return env;
}

/** The lockfiles in a step folder, in the order they were written (cm-lock.json, -2, -3 ...). */
export function stepLockfiles(stepDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(stepDir);
  } catch {
    return [];
  }
  const order = (n: string): number => Number(STEP_LOCKFILE_NAME.exec(n)?.[1] ?? 1);
  return names.filter((n) => STEP_LOCKFILE_NAME.test(n)).sort((a, b) => order(a) - order(b));
}

/** What a result records of its step's lockfiles: paths relative to the run folder. */
export function lockfileKeys(runDir: string, stepDir: string): Record<string, unknown> {
  const files = stepLockfiles(stepDir).map((n) => relative(runDir, join(stepDir, n)));
  if (files.length === 0) return {};
  return files.length === 1 ? { lockfile: files[0] } : { lockfile: files[0], lockfiles: files };
}

/**
 * Before anything runs: --lock=FILE needs a run of one step (which lockfile of a sweep would it
 * be?), and --frozen=FILE a readable lockfile. Returns the frozen lockfile's absolute path.
 */
export function checkStepLocks(
  ctx: CmContext,
  sweep: SweepInput,
  steps: number | undefined,
): string | undefined {
  if (typeof sweep.lock === 'string' && steps !== 1)
    throw new CmError(
      'bad-input',
      `--lock=${sweep.lock} takes the lockfile of a run of one step; this run has ${steps ?? 'an open number of'} steps`,
      {
        hint: `use --lock: each step's lockfile is kept in its step folder (${STEP_LOCKFILE}) and named in its result's "lockfile"; cm generate appendix experiment NAME gathers them`,
      },
    );
  if (sweep.frozen === undefined) return undefined;
  const path = resolve(ctx.cwd, sweep.frozen);
  readLockfile(path);
  return path;
}

/** --lock=FILE after the run: the one step's lockfile copied to FILE. */
export function writeRunLockfile(ctx: CmContext, target: string, stepLocks: string[]): void {
  if (stepLocks.length !== 1)
    throw new CmError(
      'bad-input',
      stepLocks.length === 0
        ? `--lock=${target}: the step ran no cm run script, so there is no lockfile to write`
        : `--lock=${target}: the step ran ${stepLocks.length} cm run script commands, each with its lockfile (${stepLocks.join(', ')}): which one is meant?`,
      {
        hint:
          stepLocks.length === 0
            ? 'the command should run a CM script: cme NAME --lock=FILE -- cmr "TAGS"'
            : 'the run is recorded: copy the one you mean, or give each cm run script its own --lock=FILE',
      },
    );
  const path = resolve(ctx.cwd, target);
  copyFileSync(stepLocks[0]!, path);
  ctx.emit({ type: 'note', text: `lockfile ${path} written` });
}
