// The lockfile of a run (or of its plan): the run tree with, for every script, where it came from
// (its repo at its commit), what it resolved (variations, version) and a fingerprint of its files.
import { sep } from 'node:path';
import { isDict, type Dict } from '../../../core/merge.js';
import { maskUrlUserinfo, withoutSecrets, type KnownSecrets } from '../../../core/secrets.js';
import type { Repo } from '../../../db/repo.js';
import { scriptFingerprint } from '../../cache/store.js';
import type { CmContext } from '../../context.js';
import { gitQuiet } from '../../repo/git.js';
import { isGitRepo } from '../../repo/manage.js';
import type { RunNode } from '../run-shared.js';
import { lockedDownload } from './downloads.js';
import { LOCKFILE_VERSION, type LockedNode, type LockedRepo, type Lockfile } from './lockfile.js';

/** Input keys that steer CM itself, not the run's resolution. */
const NOT_LOCKED = new Set([
  'action',
  'automation',
  'out',
  'lock',
  'frozen',
  'cmd',
  'parsed_artifact',
  'parsed_automation',
  'dry_run',
  'dryrun',
  'plan',
  'j',
  'json',
  's',
  'silent',
  'quiet',
  'v',
  'verbose',
  'explain',
  'repro',
]);

/** A repo's state: git remote, commit and whether its work tree has changes. */
export function lockedRepo(ctx: CmContext, r: Repo): LockedRepo {
  const out: LockedRepo = { alias: r.alias, uid: r.uid, kind: r.kind };
  if (r.kind === 'internal') out.cm_version = ctx.version;
  else if (isGitRepo(r)) {
    const url = gitQuiet(ctx, ['config', '--get', 'remote.origin.url'], r.path);
    if (url) out.url = maskUrlUserinfo(url);
    const commit = gitQuiet(ctx, ['rev-parse', 'HEAD'], r.path);
    if (commit) out.commit = commit;
    const status = gitQuiet(ctx, ['status', '--porcelain'], r.path);
    if (status !== undefined) out.dirty = status !== '';
  }
  return out;
}

function runInput(input: Dict, known: KnownSecrets): Dict {
  const out: Dict = {};
  for (const [k, v] of Object.entries(input)) if (!NOT_LOCKED.has(k)) out[k] = v;
  const masked = withoutSecrets(out, known);
  return isDict(masked) ? masked : {};
}

/** The lockfile of run tree `root` (`planned`: made by a dry-run). */
export async function buildLockfile(
  ctx: CmContext,
  root: RunNode,
  input: Dict,
  planned: boolean,
): Promise<Lockfile> {
  const repos = [...ctx.index.repos()].sort((a, b) => b.path.length - a.path.length);
  const used: Record<string, LockedRepo> = {};
  const repoOf = (path: string): string | undefined => {
    const r = repos.find((x) => path === x.path || path.startsWith(x.path + sep));
    if (!r) return undefined;
    used[r.alias] ??= lockedRepo(ctx, r);
    return r.alias;
  };
  // One node after the other (not all at once): the repos are recorded in tree order.
  const lockNode = async (n: RunNode): Promise<LockedNode> => {
    const out: LockedNode = { asked: n.tags, status: n.status, deps: [] };
    if (n.list && n.list !== 'deps') out.list = n.list;
    if (n.script !== undefined) {
      out.script = n.script;
      out.uid = n.uid ?? '';
      const repo = n.path ? repoOf(n.path) : undefined;
      if (repo !== undefined) out.repo = repo;
      out.variations = (n.variations ?? []).map((v) => v.name);
      out.version = n.version ?? '';
      if (n.path) out.fingerprint = scriptFingerprint(n.path);
      if (n.key) out.cache_key = n.key;
      if (n.downloads) {
        out.downloads = [];
        for (const d of n.downloads) out.downloads.push(await lockedDownload(d));
      }
    }
    for (const d of n.deps) out.deps.push(await lockNode(d));
    return out;
  };
  const tree = await lockNode(root);
  return {
    cm_lockfile: LOCKFILE_VERSION,
    created: new Date().toISOString(),
    cm_version: ctx.version,
    input: runInput(input, ctx.secrets),
    planned,
    platform: { os: process.platform, arch: process.arch, node: process.version },
    repos: used,
    tree,
  };
}
