// Registering and unregistering repos in repos.json, with the reference's duplicate checks.
import { dirname, resolve } from 'node:path';
import { CmError } from '../../core/errors.js';
import { updateRegisteredRepoPaths } from '../../db/home.js';
import { findRepoMetaFile, readRepoMeta, type Repo, type RepoMeta } from '../../db/repo.js';
import type { CmContext } from '../context.js';

/** Walk up from `start` to the folder holding cmr.yaml / cmr.json. */
export function findRepoRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (findRepoMetaFile(dir)) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function registerRepo(ctx: CmContext, root: string, meta: RepoMeta): void {
  const clash = ctx.index
    .repos()
    .find(
      (r) => r.path !== root && (r.alias === meta.alias || (meta.uid !== '' && r.uid === meta.uid)),
    );
  if (clash) {
    throw new CmError(
      'repo-exists',
      `CM repository with the same alias "${meta.alias}" and/or uid "${meta.uid}" already exists in ${clash.path}`,
      {
        hint: `remove it first (cm rm repo ${clash.alias} -f) or change alias/uid in ${root}/cmr.yaml`,
      },
    );
  }
  for (const dep of meta.deps.filter((d) => d.conflict)) {
    const c = ctx.index
      .repos()
      .find((r) => r.alias === dep.alias || (dep.uid !== undefined && r.uid === dep.uid));
    if (c)
      throw new CmError(
        'repo-conflict',
        `repo ${meta.alias} conflicts with the registered repo ${c.alias} (${c.path})`,
      );
  }
  updateRegisteredRepoPaths(ctx.paths, (list) => (list.includes(root) ? list : [...list, root]));
  ctx.index.markStale();
}

export function unregisterRepo(ctx: CmContext, repo: Repo): void {
  updateRegisteredRepoPaths(ctx.paths, (list) => list.filter((p) => p !== repo.path));
  ctx.index.markStale();
}

export function isRegistered(ctx: CmContext, root: string): boolean {
  return ctx.index.repos().some((r) => r.path === root);
}

export function readRoot(root: string): RepoMeta {
  return readRepoMeta(root).meta;
}
