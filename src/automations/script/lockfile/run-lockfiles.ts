// What a `cm run script` does with lockfiles around its run: --lock=FILE and --frozen=FILE read
// and checked up front (the input kept as given: the run merges its results into input.env and
// input.state), and after the run one lockfile of the tree, checked against the frozen one, written
// to --lock's file, and with --repro written as cm-lock.json beside README-repro.md.
import { join, resolve } from 'node:path';
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

export interface LockRequest {
  frozen?: string;
  lockTo?: string;
  repro: boolean;
  /** A deep copy of the input as given. */
  given: Dict;
}

/** What the run asks of lockfiles, or undefined when nothing (--lock, --frozen, --repro). */
export function lockRequestOf(input: Dict): LockRequest | undefined {
  const frozen = str(input, 'frozen');
  const lockTo = str(input, 'lock');
  for (const [flag, value] of [
    ['frozen', frozen],
    ['lock', lockTo],
  ] as const)
    if (value === '')
      throw new CmError('bad-input', `--${flag} needs a file: --${flag}=FILE`, {
        hint: '--lock=FILE writes the resolved tree; --frozen=FILE runs exactly that tree',
      });
  const repro = isTrue(input['repro']);
  if (frozen === undefined && lockTo === undefined && !repro) return undefined;
  // Plain data (a command line or JSON): a JSON round trip is a deep copy.
  const given = JSON.parse(JSON.stringify(input)) as Dict;
  return {
    ...(frozen !== undefined ? { frozen } : {}),
    ...(lockTo !== undefined ? { lockTo } : {}),
    repro,
    given,
  };
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
  if (!(locked && !plan) && req.lockTo === undefined && !repro) return;
  const lock = await buildLockfile(ctx, root, req.given, plan);
  if (locked && !plan) checkFrozenAfterRun(locked, lock, req.frozen!);
  if (req.lockTo !== undefined) writeLockfile(ctx, resolve(ctx.cwd, req.lockTo), lock);
  if (repro) {
    // How to obtain it elsewhere: the lockfile, and the commands that use it.
    writeLockfile(ctx, join(ctx.cwd, REPRO_LOCKFILE), lock);
    writeFileAtomic(join(ctx.cwd, 'README-repro.md'), reproReadme(lock, REPRO_LOCKFILE));
  }
}
