// What a `cm run script` does with lockfiles around its run: --lock=FILE and --frozen=FILE read
// and checked up front (the input kept as given: the run merges its results into input.env and
// input.state), and after the run one lockfile of the tree, checked against the frozen one, written
// to --lock's file, and with --repro written as cm-lock.json beside README-repro.md.
// CM_RUN_LOCK / CM_RUN_FROZEN in the env ask the same of the run that sees them (cme --lock sets
// them for its steps); the processes below that run do not see them.
import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { CmError } from '../../../core/errors.js';
import type { Dict } from '../../../core/merge.js';
import { isTrue } from '../../../core/script/env.js';
import { writeFileAtomic } from '../../../db/atomic-file.js';
import type { CmContext } from '../../context.js';
import { str } from '../../input.js';
import type { RunNode } from '../run-shared.js';
import { buildLockfile } from './build-lockfile.js';
import { checkFrozenAfterRun } from './frozen.js';
import type { Lockfile } from './lockfile.js';
import { reproReadme } from './repro-readme.js';
import { writeLockfile } from './write-lockfile.js';

/** The lockfile --repro writes beside cm-output.json and README-repro.md. */
const REPRO_LOCKFILE = 'cm-lock.json';

/** Env equivalents of --lock and --frozen for the run that sees them (an experiment step's). */
export const RUN_LOCK_ENV = 'CM_RUN_LOCK';
export const RUN_FROZEN_ENV = 'CM_RUN_FROZEN';

export interface LockRequest {
  frozen?: string;
  lockTo?: string;
  /** CM_RUN_LOCK: written there, or beside it as NAME-2.json ... when a run before wrote it. */
  lockToFree?: string;
  repro: boolean;
  /** A deep copy of the input as given. */
  given: Dict;
}

/** What the run asks of lockfiles, or undefined when nothing (--lock, --frozen, --repro, the env). */
export function lockRequestOf(
  input: Dict,
  env: Readonly<Record<string, string | undefined>>,
): LockRequest | undefined {
  const frozen = str(input, 'frozen') ?? (env[RUN_FROZEN_ENV] || undefined);
  const lockTo = str(input, 'lock');
  const lockToFree = env[RUN_LOCK_ENV] || undefined;
  for (const [flag, value] of [
    ['frozen', frozen],
    ['lock', lockTo],
  ] as const)
    if (value === '')
      throw new CmError('bad-input', `--${flag} needs a file: --${flag}=FILE`, {
        hint: '--lock=FILE writes the resolved tree; --frozen=FILE runs exactly that tree',
      });
  const repro = isTrue(input['repro']);
  if (frozen === undefined && lockTo === undefined && lockToFree === undefined && !repro)
    return undefined;
  // Plain data (a command line or JSON): a JSON round trip is a deep copy.
  const given = JSON.parse(JSON.stringify(input)) as Dict;
  return {
    ...(frozen !== undefined ? { frozen } : {}),
    ...(lockTo !== undefined ? { lockTo } : {}),
    ...(lockToFree !== undefined ? { lockToFree } : {}),
    repro,
    given,
  };
}

/** `path`, or NAME-2.EXT, NAME-3.EXT ... when taken: each run of a step keeps its own lockfile. */
function freePath(path: string): string {
  if (!existsSync(path)) return path;
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  for (let n = 2; ; n++) if (!existsSync(`${stem}-${n}${ext}`)) return `${stem}-${n}${ext}`;
}

/**
 * `ctx` as the processes and nested calls below this run see it: without CM_RUN_LOCK and
 * CM_RUN_FROZEN, which were asked of this run only (a script that runs cm itself must not
 * write its own lockfile there, or be checked against this run's).
 */
export function withoutRunLockEnv(ctx: CmContext): CmContext {
  if (ctx.env[RUN_LOCK_ENV] === undefined && ctx.env[RUN_FROZEN_ENV] === undefined) return ctx;
  const env = { ...ctx.env };
  delete env[RUN_LOCK_ENV];
  delete env[RUN_FROZEN_ENV];
  return Object.create(ctx, { env: { value: env, enumerable: true } }) as CmContext;
}

/** After the run (or the plan) of `root`: the tree's one lockfile, checked and written. */
export async function finishLockfiles(
  ctx: CmContext,
  req: LockRequest,
  locked: Lockfile | undefined,
  root: RunNode,
  plan: boolean,
): Promise<void> {
  const repro = req.repro && !plan;
  if (!(locked && !plan) && req.lockTo === undefined && req.lockToFree === undefined && !repro)
    return;
  const lock = await buildLockfile(ctx, root, req.given, plan);
  if (locked && !plan) checkFrozenAfterRun(locked, lock, req.frozen!);
  if (req.lockTo !== undefined) writeLockfile(ctx, resolve(ctx.cwd, req.lockTo), lock);
  if (req.lockToFree !== undefined)
    writeLockfile(ctx, freePath(resolve(ctx.cwd, req.lockToFree)), lock);
  if (repro) {
    // How to obtain it elsewhere: the lockfile, and the commands that use it.
    writeLockfile(ctx, join(ctx.cwd, REPRO_LOCKFILE), lock);
    writeFileAtomic(join(ctx.cwd, 'README-repro.md'), reproReadme(lock, REPRO_LOCKFILE));
  }
}
