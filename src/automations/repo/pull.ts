// `cm pull repo owner@name | URL | --url=URL [--branch=B] [--checkout=SHA] [--depth=N]`: clone or
// update a git repo into $CM_REPOS/repos/<alias>, register it, then pull the repos it depends on.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { resolveRepoSource } from '../../core/repo-url.js';
import { genUid } from '../../db/uid.js';
import { tmpSuffix } from '../../core/uid.js';
import { acquireLock, tokenPid, tryAcquireLock, type Lock } from '../../db/lock.js';
import { findRepoMetaFile, readRepoMeta, writeRepoMeta, type RepoMeta } from '../../db/repo.js';
import type { ActionSpec } from '../action.js';
import type { CmContext } from '../context.js';
import { str } from '../input.js';
import { git } from './git.js';
import { registerRepo } from './register.js';

interface PullRequest {
  spec: string;
  branch?: string;
  checkout?: string;
  depth?: string;
}

/**
 * Hold the repo's folder while it is cloned, checked out and registered: of several `cm pull repo`
 * of one URL, one clones and the others wait, then find the clone made (and do not pull again).
 */
function lockRepoFolder(ctx: CmContext, alias: string): { lock: Lock; waited: boolean } {
  const path = join(ctx.paths.locksDir, `pull-${alias}.lock`);
  const first = tryAcquireLock(path);
  if ('lock' in first) return { lock: first.lock, waited: false };
  ctx.emit({
    type: 'info',
    text: `waiting for another cm pull of ${alias} (pid ${tokenPid(first.holder)})`,
  });
  return { lock: acquireLock(path, 3600_000), waited: true };
}

/** Clone into a folder beside `path`, renamed into place only once complete. */
function cloneInto(ctx: CmContext, req: PullRequest, url: string, path: string): void {
  if (existsSync(path)) {
    throw new CmError('target-exists', `${path} exists but is not a git clone`, {
      hint: `move it away, or register it as is with: cm import repo --path=${path}`,
    });
  }
  const tmp = `${path}.cloning-${tmpSuffix()}`;
  const args = ['clone', ...(req.depth ? ['--depth', req.depth] : []), '--', url, tmp];
  try {
    git(ctx, args, ctx.paths.reposDir, `repository was not cloned from ${url}`);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (e instanceof CmError) {
      throw new CmError('git-failed', e.message, {
        hint: 'check that the URL (or owner@name) names a git repository you can reach',
      });
    }
    throw e;
  }
}

function pullOne(
  ctx: CmContext,
  req: PullRequest,
  seen: Set<string>,
): { path: string; meta: RepoMeta } {
  const source = resolveRepoSource(req.spec, {
    hasBranchOrCheckout: req.branch !== undefined || req.checkout !== undefined,
  });
  if (source.warning) ctx.emit({ type: 'warning', text: source.warning });
  const path = join(ctx.paths.reposDir, source.alias);
  ctx.emit({
    type: 'info',
    text: `Alias: ${source.alias}\nURL: ${source.url}\nLocal path: ${path}`,
  });
  mkdirSync(ctx.paths.reposDir, { recursive: true });
  const { lock, waited } = lockRepoFolder(ctx, source.alias);
  let meta: RepoMeta;
  try {
    meta = pullLocked(ctx, req, { url: source.url, alias: source.alias, path, waited });
  } finally {
    lock.release();
  }
  seen.add(meta.alias);
  // Outside the lock: two repos that depend on each other, pulled from both ends, never wait on
  // each other.
  pullDeps(ctx, meta, seen);
  return { path, meta };
}

/** Clone (or update), check out and register; the caller holds the repo's folder. */
function pullLocked(
  ctx: CmContext,
  req: PullRequest,
  source: { url: string; alias: string; path: string; waited: boolean },
): RepoMeta {
  const { path } = source;
  if (existsSync(join(path, '.git'))) {
    if (source.waited)
      ctx.emit({
        type: 'info',
        text: `${source.alias} was just cloned by another cm pull: using it`,
      });
    else git(ctx, ['pull'], path, `updating ${source.alias}`);
  } else {
    cloneInto(ctx, req, source.url, path);
  }
  if (req.branch !== undefined && req.checkout !== undefined) {
    git(ctx, ['checkout', '-B', req.branch, req.checkout], path, `checking out ${req.checkout}`);
  } else if (req.branch !== undefined) {
    git(ctx, ['fetch', 'origin'], path, 'fetching branches');
    git(ctx, ['checkout', req.branch, '--'], path, `checking out branch ${req.branch}`);
    git(ctx, ['pull', '--ff-only'], path, `updating branch ${req.branch}`);
  } else if (req.checkout !== undefined) {
    git(ctx, ['checkout', req.checkout, '--'], path, `checking out ${req.checkout}`);
  }
  if (!findRepoMetaFile(path)) {
    writeRepoMeta(path, { alias: source.alias, uid: genUid(), git: true });
    ctx.emit({
      type: 'info',
      text: `No cmr.yaml in the clone: created one with alias ${source.alias}`,
    });
  }
  const { meta } = readRepoMeta(path);
  if (meta.prefix !== '') mkdirSync(join(path, meta.prefix), { recursive: true });
  registerRepo(ctx, path, meta);
  ctx.emit({ type: 'info', text: `CM alias for this repository: ${meta.alias}` });
  return meta;
}

function pullDeps(ctx: CmContext, meta: RepoMeta, seen: Set<string>): void {
  for (const dep of meta.deps) {
    if (dep.conflict || seen.has(dep.alias)) continue;
    const known = ctx.index
      .repos()
      .find((r) => r.alias === dep.alias || (dep.uid !== undefined && r.uid === dep.uid));
    if (known) continue;
    ctx.emit({ type: 'info', text: `Pulling repo ${dep.alias} needed by ${meta.alias}` });
    seen.add(dep.alias);
    pullOne(ctx, { spec: dep.url ?? dep.alias }, seen);
  }
}

export const pull: ActionSpec = {
  summary:
    'clone (or update) a git repo of artifacts and register it; without a name, git pull every git repo',
  usage: 'cm pull repo [owner@name | URL | --url=URL] [--branch=B] [--checkout=SHA] [--depth=N]',
  flags: [
    ['--url=URL', 'git URL (https, ssh, file://)'],
    ['--branch=B', 'check out branch B'],
    ['--checkout=SHA', 'check out a commit or tag'],
    ['--depth=N', 'shallow clone'],
  ],
  run(input, ctx) {
    const spec = str(input, 'url') || str(input, 'artifact');
    if (!spec) {
      const updated: string[] = [];
      for (const r of ctx.index.repos()) {
        // Git clones flagged git, or made by cm pull (in the CM home): never a checkout of the
        // user's own elsewhere that only happens to be registered.
        const cloned = dirname(r.path) === ctx.paths.reposDir;
        if (!existsSync(join(r.path, '.git')) || !(r.git || cloned)) continue;
        git(ctx, ['pull'], r.path, `updating ${r.alias}`);
        updated.push(r.alias);
      }
      ctx.index.markStale();
      return { updated };
    }
    const req: PullRequest = { spec };
    const branch = str(input, 'branch');
    const checkout = str(input, 'checkout');
    const depth = str(input, 'depth');
    for (const [flag, v] of [
      ['branch', branch],
      ['checkout', checkout],
    ] as const) {
      if (v !== undefined && (v.startsWith('-') || v.trim() === '')) {
        throw new CmError(
          'bad-input',
          `--${flag}=${v} is not a valid git ${flag === 'branch' ? 'branch' : 'revision'}`,
        );
      }
    }
    if (branch) req.branch = branch;
    if (checkout) req.checkout = checkout;
    if (depth) {
      if (!/^\d+$/.test(depth))
        throw new CmError('bad-input', `--depth must be a number (found "${depth}")`);
      req.depth = depth;
    }
    const seen = new Set<string>();
    const { path, meta } = pullOne(ctx, req, seen);
    return { path, alias: meta.alias, uid: meta.uid, pulled: [...seen] };
  },
};
