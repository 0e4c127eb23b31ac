// `cm run script … --frozen=FILE`: before anything runs, the run is planned and its lockfile
// compared with FILE; any difference (another script, variation, version, script files, repo commit)
// stops it with the list. After the run, the versions that only running could tell are compared too.
import { resolve } from 'node:path';
import { CmError } from '../../../core/errors.js';
import type { Dict } from '../../../core/merge.js';
import type { CmContext } from '../../context.js';
import { runTree } from '../run.js';
import { newShared, type RunNode, type RunShared } from '../run-shared.js';
import { buildLockfile } from './build-lockfile.js';
import { lockDifferences } from './diff-lockfile.js';
import { readLockfile, type Lockfile } from './lockfile.js';
import { pullCommand } from './repro-readme.js';

type Automation = RunShared['automation'];

/** Each repo the lockfile names must be registered here (the hint says how to get it). */
function checkLockedRepos(ctx: CmContext, locked: Lockfile, file: string): void {
  const here = ctx.index.repos();
  for (const [alias, r] of Object.entries(locked.repos)) {
    if (r.kind !== 'registered') continue;
    if (here.some((x) => (r.uid !== '' && x.uid === r.uid) || x.alias === alias)) continue;
    throw new CmError(
      'repo-not-found',
      `repo ${alias}, which ${file} locks, is not registered here`,
      {
        hint: `${
          r.url
            ? pullCommand(r.url, r.commit)
            : 'register it (cm pull repo URL, or cm import repo --path=DIR)'
        }; without network: cm bundle install B.tar (a bundle made with cm bundle create --lock=${file})`,
      },
    );
  }
}

function mismatch(file: string, differences: string[], after: boolean): CmError {
  return new CmError(
    'frozen-mismatch',
    `${after ? 'the run resolved' : 'this run would resolve'} differently from ${file}${after ? '' : ' (nothing was run)'}:\n  ${differences.join('\n  ')}`,
    {
      hint: 'run it without --frozen, or lock the new resolution with --lock=FILE (cm lock diff OLD NEW compares two)',
    },
  );
}

/** The lockfile of a dry-run of `input` (the input as given: not changed; events dropped). */
export async function plannedLockfile(
  ctx: CmContext,
  automation: Automation,
  input: Dict,
): Promise<Lockfile> {
  const quiet = Object.create(ctx, { emit: { value: () => {}, enumerable: true } }) as CmContext;
  // A copy of its own: the run merges its results into its input's env and state.
  const planInput = JSON.parse(JSON.stringify(input)) as Dict;
  planInput['dry_run'] = true;
  for (const k of ['frozen', 'lock', 'repro']) delete planInput[k];
  const root: RunNode = { tags: '', status: 'ran', deps: [] };
  await runTree(newShared(quiet, automation, planInput), planInput, ctx.cwd, root);
  return buildLockfile(ctx, root, input, true);
}

/** Reads `--frozen=FILE` and refuses the run before anything runs if it would resolve differently. */
export async function checkFrozenBeforeRun(
  ctx: CmContext,
  automation: Automation,
  input: Dict,
  file: string,
): Promise<Lockfile> {
  const path = resolve(ctx.cwd, file);
  const locked = readLockfile(path);
  checkLockedRepos(ctx, locked, file);
  const differences = lockDifferences(locked, await plannedLockfile(ctx, automation, input));
  if (differences.length > 0) throw mismatch(file, differences, false);
  return locked;
}

/** After a frozen run, its lockfile `ran`: what only running told (detected versions, downloaded bytes) must match too. */
export function checkFrozenAfterRun(locked: Lockfile, ran: Lockfile, file: string): void {
  const differences = lockDifferences(locked, ran);
  if (differences.length > 0) throw mismatch(file, differences, true);
}
