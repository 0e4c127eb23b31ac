// The repos of a bundle installed: each planned (kept when registered here at the same commit,
// refused when registered at another, else placed where `cm pull repo URL` would clone it), cloned
// from its git bundle into the scratch folder, then moved into $CM_REPOS/repos and registered;
// a failure while registering takes back the repos it had registered.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CmError, isCmError } from '../../core/errors.js';
import { aliasFromUrl } from '../../core/repo-url.js';
import { updateRegisteredRepoPaths } from '../../db/home.js';
import { findRepoMetaFile, readRepoMeta, writeRepoMeta } from '../../db/repo.js';
import type { CmContext } from '../context.js';
import { gitQuiet } from '../repo/git.js';
import { registerRepo } from '../repo/register.js';
import { cloneGitBundle } from './git-bundle.js';
import type { BundledRepo } from './manifest.js';

export type RepoPlan =
  { repo: BundledRepo; kept: string } | { repo: BundledRepo; target: string; clone: string };

/** The folder `cm pull repo URL` clones into (the alias when there is no URL to name it). */
function folderOf(repo: BundledRepo): string {
  if (repo.url === undefined) return repo.alias;
  try {
    return aliasFromUrl(repo.url);
  } catch (e) {
    if (!isCmError(e)) throw e;
    return repo.alias;
  }
}

/** Where each repo goes, or that it is here already; refuses a clash before anything moves. */
export function planRepos(
  ctx: CmContext,
  repos: readonly BundledRepo[],
  scratch: string,
): RepoPlan[] {
  const taken = new Set<string>();
  return repos.map((repo, n) => {
    const known = ctx.index
      .repos()
      .find((x) => (repo.uid !== '' && x.uid === repo.uid) || x.alias === repo.alias);
    if (known) {
      const head = gitQuiet(ctx, ['rev-parse', 'HEAD'], known.path);
      if (head === repo.commit) return { repo, kept: known.path };
      throw new CmError(
        'repo-exists',
        `repo ${repo.alias} is already registered here (${known.path})${head ? ` at commit ${head}` : ''}, not at the bundle's commit ${repo.commit}`,
        {
          hint: `check out the bundle's commit there (git -C ${known.path} checkout ${repo.commit}), or remove it (cm rm repo ${repo.alias} -f) and install again`,
        },
      );
    }
    const target = join(ctx.paths.reposDir, folderOf(repo));
    if (existsSync(target) || taken.has(target))
      throw new CmError('target-exists', `${target}, where repo ${repo.alias} would go, exists`, {
        hint: `move it away (it is not a registered repo), then install again`,
      });
    taken.add(target);
    return { repo, target, clone: join(scratch, `repo-${n}`) };
  });
}

/** Clones each planned repo from its git bundle (in `packed`) into the scratch folder. */
export function cloneRepos(ctx: CmContext, plans: readonly RepoPlan[], packed: string): void {
  for (const p of plans) {
    if ('kept' in p) continue;
    const { repo } = p;
    cloneGitBundle(ctx, {
      bundle: join(packed, repo.file),
      dir: p.clone,
      commit: repo.commit,
      url: repo.url,
    });
    // As cm pull: a repo without its own cmr.yaml gets one (the alias and uid locked).
    if (!findRepoMetaFile(p.clone))
      writeRepoMeta(p.clone, { alias: repo.alias, uid: repo.uid, git: true });
  }
}

/** Moves the clones into place and registers them; all or none (those done are taken back). */
export function registerRepos(ctx: CmContext, plans: readonly RepoPlan[]): void {
  const placed: string[] = [];
  const registered: string[] = [];
  try {
    for (const p of plans) {
      if ('kept' in p) {
        ctx.emit({
          type: 'info',
          text: `repo ${p.repo.alias} is registered here at commit ${p.repo.commit} already (${p.kept})`,
        });
        continue;
      }
      renameSync(p.clone, p.target);
      placed.push(p.target);
      registerRepo(ctx, p.target, readRepoMeta(p.target).meta);
      registered.push(p.target);
      ctx.emit({
        type: 'info',
        text: `Registered repo ${p.repo.alias} at ${p.target} (commit ${p.repo.commit})`,
      });
    }
  } catch (e) {
    updateRegisteredRepoPaths(ctx.paths, (list) => list.filter((x) => !registered.includes(x)));
    for (const path of placed) rmSync(path, { recursive: true, force: true });
    ctx.index.markStale();
    throw e;
  }
}
