// Which repos of a lockfile a bundle packs: the registered git repos, each at its locked commit,
// found here and checked before anything is written (a repo that had uncommitted changes, has no
// commit, is not registered here or lacks that commit is refused, saying why). The internal repo
// ships with CM itself; the local repo is the user's scratch space and is not packed.
import { CmError } from '../../core/errors.js';
import type { CmContext } from '../context.js';
import { gitQuiet } from '../repo/git.js';
import { isCommitId } from './manifest.js';
import type { LockedRepo, Lockfile } from '../script/lockfile/lockfile.js';

export interface RepoToPack {
  alias: string;
  uid: string;
  url?: string;
  commit: string;
  /** Where it is registered here. */
  path: string;
}

function checkedRepo(
  ctx: CmContext,
  alias: string,
  r: LockedRepo,
  lockName: string,
  allowDirty: boolean,
): RepoToPack {
  if (r.commit === undefined || !isCommitId(r.commit))
    throw new CmError(
      'bad-input',
      `repo ${alias} is not locked at a git commit in ${lockName}${r.commit === undefined ? '' : ` ("${r.commit}" is not a commit id)`}: a bundle packs repos by commit`,
      { hint: `make ${alias} a git repo, commit its files, then lock the run again (--lock=FILE)` },
    );
  if (r.dirty === true && !allowDirty)
    throw new CmError(
      'bad-input',
      `repo ${alias} had uncommitted changes when ${lockName} was written: the bundle would pack commit ${r.commit} without them, and the run elsewhere would not be the one locked`,
      {
        hint: 'commit the changes and lock the run again, or add --allow-dirty to pack the commit as it is',
      },
    );
  const here = ctx.index
    .repos()
    .find((x) => (r.uid !== '' && x.uid === r.uid) || x.alias === alias);
  if (!here)
    throw new CmError(
      'repo-not-found',
      `repo ${alias}, which ${lockName} locks, is not registered here`,
      {
        hint: r.url
          ? `cm pull repo ${r.url} --checkout=${r.commit}`
          : 'register it (cm import repo --path=DIR)',
      },
    );
  if (gitQuiet(ctx, ['cat-file', '-e', `${r.commit}^{commit}`], here.path) === undefined)
    throw new CmError(
      'repo-not-found',
      `repo ${alias} (${here.path}) has no commit ${r.commit}, which ${lockName} locks`,
      { hint: `fetch it: git -C ${here.path} fetch origin (or cm pull repo ${alias})` },
    );
  return {
    alias,
    uid: r.uid,
    ...(r.url !== undefined ? { url: r.url } : {}),
    commit: r.commit,
    path: here.path,
  };
}

/** The repos of `lock` to pack, in its order; a warning for scripts of the local repo. */
export function reposToPack(
  ctx: CmContext,
  lock: Lockfile,
  lockName: string,
  allowDirty: boolean,
): RepoToPack[] {
  const out: RepoToPack[] = [];
  for (const [alias, r] of Object.entries(lock.repos)) {
    if (r.kind === 'registered') out.push(checkedRepo(ctx, alias, r, lockName, allowDirty));
    else if (r.kind === 'local')
      ctx.emit({
        type: 'warning',
        text: `${lockName} uses scripts of the local repo, which a bundle does not pack: copy them into a repo of their own (cm init repo) to take them along`,
      });
  }
  return out;
}
