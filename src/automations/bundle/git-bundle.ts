// A repo in a bundle is a `git bundle` of its locked commit alone (one ref, refs/heads/cm-locked):
// made from the repo's objects without touching its refs or work tree, and cloned back, checked
// out at that commit, with the lockfile's URL as origin (as `cm pull repo URL --checkout=` leaves it).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CmContext } from '../context.js';
import { git } from '../repo/git.js';

const LOCKED_REF = 'refs/heads/cm-locked';

/**
 * Writes git bundle `into` of commit `commit` of the repo at `repoPath` (and its history), through
 * a scratch bare repo in `work`: git bundles refs, and the repo's own refs are left alone.
 */
export function writeGitBundle(
  ctx: CmContext,
  o: { repoPath: string; commit: string; into: string; work: string },
): void {
  mkdirSync(o.work, { recursive: true });
  git(ctx, ['init', '-q', '--bare', o.work], o.work, 'preparing the bundle of a repo');
  git(
    ctx,
    ['fetch', '-q', '--no-tags', o.repoPath, `${o.commit}:${LOCKED_REF}`],
    o.work,
    `taking commit ${o.commit} of ${o.repoPath}`,
  );
  git(ctx, ['bundle', 'create', '-q', o.into, LOCKED_REF], o.work, `bundling ${o.repoPath}`);
}

/** Clones git bundle `bundle` into `dir`, at `commit`, its origin `url` (none when undefined). */
export function cloneGitBundle(
  ctx: CmContext,
  o: { bundle: string; dir: string; commit: string; url: string | undefined },
): void {
  git(ctx, ['clone', '-q', '--no-checkout', o.bundle, o.dir], join(o.dir, '..'), 'unbundling');
  git(ctx, ['checkout', '-q', '--detach', o.commit], o.dir, `checking out ${o.commit}`);
  if (o.url !== undefined)
    git(ctx, ['remote', 'set-url', 'origin', o.url], o.dir, 'recording the remote URL');
  else git(ctx, ['remote', 'remove', 'origin'], o.dir, 'dropping the bundle as remote');
}
