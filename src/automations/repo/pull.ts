// `cm pull repo owner@name | URL | --url=URL [--branch=B] [--checkout=SHA] [--depth=N]`: clone or
// update a git repo into $CM_REPOS/repos/<alias>, register it, then pull the repos it depends on.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { resolveRepoSource } from '../../core/repo-url.js';
import { genUid } from '../../core/uid.js';
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

function pullOne(ctx: CmContext, req: PullRequest, seen: Set<string>): { path: string; meta: RepoMeta } {
  const source = resolveRepoSource(req.spec, { hasBranchOrCheckout: req.branch !== undefined || req.checkout !== undefined });
  if (source.warning) ctx.emit({ type: 'warning', text: source.warning });
  const path = join(ctx.paths.reposDir, source.alias);
  ctx.emit({ type: 'info', text: `Alias: ${source.alias}\nURL: ${source.url}\nLocal path: ${path}` });
  mkdirSync(ctx.paths.reposDir, { recursive: true });
  if (existsSync(join(path, '.git'))) {
    git(ctx, ['pull'], path, `updating ${source.alias}`);
  } else {
    if (existsSync(path)) {
      throw new CmError('target-exists', `${path} exists but is not a git clone`, {
        hint: `move it away, or register it as is with: cm import repo --path=${path}`,
      });
    }
    const args = ['clone', ...(req.depth ? ['--depth', req.depth] : []), '--', source.url, path];
    try {
      git(ctx, args, ctx.paths.reposDir, `repository was not cloned from ${source.url}`);
    } catch (e) {
      rmSync(path, { recursive: true, force: true });
      if (e instanceof CmError) {
        throw new CmError('git-failed', e.message, {
          hint: 'check that the URL (or owner@name) names a git repository you can reach',
        });
      }
      throw e;
    }
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
    ctx.emit({ type: 'info', text: `No cmr.yaml in the clone: created one with alias ${source.alias}` });
  }
  const { meta } = readRepoMeta(path);
  if (meta.prefix !== '') mkdirSync(join(path, meta.prefix), { recursive: true });
  registerRepo(ctx, path, meta);
  ctx.emit({ type: 'info', text: `CM alias for this repository: ${meta.alias}` });
  seen.add(meta.alias);
  pullDeps(ctx, meta, seen);
  return { path, meta };
}

function pullDeps(ctx: CmContext, meta: RepoMeta, seen: Set<string>): void {
  for (const dep of meta.deps) {
    if (dep.conflict || seen.has(dep.alias)) continue;
    const known = ctx.index.repos().find((r) => r.alias === dep.alias || (dep.uid !== undefined && r.uid === dep.uid));
    if (known) continue;
    ctx.emit({ type: 'info', text: `Pulling repo ${dep.alias} needed by ${meta.alias}` });
    seen.add(dep.alias);
    pullOne(ctx, { spec: dep.url ?? dep.alias }, seen);
  }
}

export const pull: ActionSpec = {
  summary: 'clone (or update) a git repo of artifacts and register it; without a name, git pull every git repo',
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
        if (!r.git || !existsSync(join(r.path, '.git'))) continue;
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
    for (const [flag, v] of [['branch', branch], ['checkout', checkout]] as const) {
      if (v !== undefined && (v.startsWith('-') || v.trim() === '')) {
        throw new CmError('bad-input', `--${flag}=${v} is not a valid git ${flag === 'branch' ? 'branch' : 'revision'}`);
      }
    }
    if (branch) req.branch = branch;
    if (checkout) req.checkout = checkout;
    if (depth) {
      if (!/^\d+$/.test(depth)) throw new CmError('bad-input', `--depth must be a number (found "${depth}")`);
      req.depth = depth;
    }
    const seen = new Set<string>();
    const { path, meta } = pullOne(ctx, req, seen);
    return { path, alias: meta.alias, uid: meta.uid, pulled: [...seen] };
  },
};
