// The `cache` automation (uid 541d6f712a6b464e): entries of cached script runs. Generic find/rm
// work on them; `show` lists them readably and `prune` removes the ones nobody can trust.
import { existsSync } from 'node:fs';
import type { Dict } from '../../core/merge.js';
import { parseTagQuery } from '../../core/tags.js';
import { readArtifactMeta } from '../../db/artifact.js';
import { removeArtifactDir } from '../../db/artifact-write.js';
import { CmError } from '../../core/errors.js';
import type { ActionTable } from '../action.js';
import { notFound, select } from '../generic/select.js';
import { artifactNames, isForce } from '../input.js';
import { isTrue } from '../../core/script/env.js';
import { SCRIPT_FILTER } from '../script/select.js';
import { rejectionSentence } from './reasons.js';
import { CACHE_FILTER, entryInfo, infoProblem, isLockHeld, readCachedState } from './store.js';

function entries(ctx: Parameters<ActionTable[string]['run']>[1], input: Dict) {
  return ctx.index.query({ automation: CACHE_FILTER, tags: parseTagQuery(input['tags']) });
}

/** `cm show cache --why "TAGS"`: the plan's cache decisions (the run engine loads only here). */
async function why(tags: unknown, ctx: Parameters<ActionTable[string]['run']>[1]): Promise<Dict> {
  if (typeof tags !== 'string' || tags.trim() === '')
    throw new CmError('bad-input', '--why needs the tags of a script', {
      hint: 'cm show cache --why "get greeting _fr"',
    });
  const { explainCache } = await import('../script/why.js');
  const r = await explainCache(ctx, tags);
  ctx.emit({ type: 'output', text: r.text });
  return { why: tags, tree: r.tree };
}

export const actions: ActionTable = {
  delete: {
    summary:
      'delete cache entries by tags or uid; with neither, all of them (-f or a yes on a terminal)',
    usage: 'cm rm cache [UID ...] [--tags=...] [-f]',
    flags: [
      ['--tags=...', 'select by tags'],
      ['-f, --force', 'do not ask'],
    ],
    async run(input, ctx, automation) {
      const named =
        artifactNames(input).length > 0 ||
        parseTagQuery(input['tags']).include.length > 0 ||
        parseTagQuery(input['tags']).exclude.length > 0;
      let list;
      if (named) {
        const sel = select(ctx, automation, input);
        if (sel.found.length === 0) throw notFound(ctx, automation, sel, 'cache entries');
        list = sel.found;
      } else list = entries(ctx, {});
      if (list.length === 0) {
        ctx.emit({ type: 'info', text: 'the cache is empty' });
        return { deleted: [] };
      }
      const what = named ? `${list.length} cache entries` : `all ${list.length} cache entries`;
      if (!isForce(input)) {
        if (!ctx.isInteractive)
          throw new CmError(
            'not-confirmed',
            `refusing to delete ${what} without confirmation: stdin is not a terminal`,
            {
              hint: 'add -f (--force) to delete without asking',
              details: { candidates: list.map((e) => e.path) },
            },
          );
        if (!(await ctx.confirm(`Delete ${what}?`)))
          throw new CmError('not-confirmed', 'nothing deleted');
      }
      const deleted: string[] = [];
      for (const e of list) {
        let key = '';
        try {
          const k = readArtifactMeta(e.path)['cache_key'];
          key = typeof k === 'string' ? k : '';
        } catch {
          // unreadable meta: delete it anyway
        }
        // An entry still being made (tagged tmp, its key locked by a live run) is left alone.
        if (key && e.tags.includes('tmp') && isLockHeld(ctx, key)) {
          ctx.emit({ type: 'info', text: `kept ${e.path}: a run is making it` });
          continue;
        }
        removeArtifactDir(e.path);
        deleted.push(e.path);
        ctx.emit({
          type: 'info',
          text: `Deleted CM artifact in ${e.path} with tags "${e.tags.join(',')}"`,
        });
      }
      ctx.index.markStale();
      return { deleted };
    },
  },
  show: {
    summary: 'list cache entries (tags, path, version), or say why a run would (not) reuse one',
    usage: 'cm show cache [--tags=a,b] [--all]   |   cm show cache --why "TAGS [_VARIATION ...]"',
    flags: [
      ['--tags=a,b', 'select by tags'],
      ['--all', 'also entries whose parent entry is gone'],
      [
        '--why="TAGS _V"',
        'what a run of that script would do with the cache, and why (runs nothing)',
      ],
    ],
    async run(input, ctx) {
      // --why="TAGS", or --why "TAGS" (the words then come as the artifact names).
      if (input['why'] === true) return why(artifactNames(input).join(' '), ctx);
      if (input['why'] !== undefined) return why(input['why'], ctx);
      const list: Dict[] = [];
      const lines: string[] = [];
      const shown: Array<{ e: ReturnType<typeof entries>[number]; meta: Dict; key: string }> = [];
      for (const e of entries(ctx, input)) {
        let meta: Dict;
        try {
          meta = readArtifactMeta(e.path);
        } catch {
          continue;
        }
        const tags = (Array.isArray(meta['tags']) ? meta['tags'].map(String) : []).sort();
        shown.push({ e, meta, key: tags.join(',') });
      }
      // Sorted by their sorted tags, as the reference lists them.
      shown.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const { e, meta: m } of shown) {
        const meta = m;
        const dep = meta['dependent_cached_path'];
        if (typeof dep === 'string' && dep !== '' && !isTrue(input['all'])) {
          if (!existsSync(dep)) continue;
        }
        const tags = (Array.isArray(meta['tags']) ? meta['tags'].map(String) : []).sort();
        const plain = tags.filter((t) => !t.startsWith('_'));
        const vars = tags.filter((t) => t.startsWith('_'));
        lines.push(`* Tags: ${[...plain, ...vars].join(',')}`);
        lines.push(`  Path: ${e.path}`);
        if (typeof meta['version'] === 'string' && meta['version'])
          lines.push(`  Version: ${meta['version']}`);
        if (tags.includes('tmp')) lines.push('  Status: incomplete (failed, killed or running)');
        else if (typeof meta['cache_expires'] === 'number' && meta['cache_expires'] <= Date.now())
          lines.push('  Status: expired (cm prune cache removes it)');
        list.push({ path: e.path, uid: e.uid, tags, version: meta['version'] ?? '' });
      }
      if (lines.length) ctx.emit({ type: 'output', text: lines.join('\n') });
      else ctx.emit({ type: 'info', text: 'no cache entries' });
      return { list };
    },
  },
  prune: {
    summary: 'remove failed, expired, stale and orphaned cache entries',
    usage: 'cm prune cache [--tags=...] [--dry_run]',
    flags: [
      ['--tags=a,b', 'only entries with these tags'],
      ['--dry_run', 'list what would be removed, remove nothing'],
    ],
    run(input, ctx) {
      const scripts = new Map(
        ctx.index.query({ automation: SCRIPT_FILTER }).map((s) => [s.uid, s]),
      );
      const removed: Dict[] = [];
      const now = Date.now();
      for (const e of entries(ctx, input)) {
        let meta: Dict;
        let reason: string | undefined;
        try {
          meta = readArtifactMeta(e.path);
        } catch {
          continue;
        }
        const tags = Array.isArray(meta['tags']) ? meta['tags'].map(String) : [];
        const key = typeof meta['cache_key'] === 'string' ? meta['cache_key'] : '';
        if (tags.includes('tmp')) {
          if (key && isLockHeld(ctx, key)) continue; // a run in progress
          reason = 'failed or killed run';
        } else {
          const uid = String(meta['associated_script_artifact_uid'] ?? '');
          const script = scripts.get(uid);
          if (uid && !script)
            reason = `its script ${String(meta['associated_script_artifact'] ?? uid)} no longer exists`;
          else {
            try {
              const problem = infoProblem(entryInfo(e.path, readCachedState(e.path)), {
                now,
                scriptDir: script?.path,
              });
              reason = problem && rejectionSentence(problem);
            } catch {
              reason = 'it has no readable cm-cached-state.json';
            }
          }
        }
        if (reason) removed.push({ path: e.path, reason });
      }
      // Grouped by reason, then by path: the same state always prints the same list.
      const order = (d: Dict) => `${String(d['reason'])}\n${String(d['path'])}`;
      removed.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
      for (const { path, reason } of removed as { path: string; reason: string }[]) {
        ctx.emit({
          type: 'info',
          text: `${isTrue(input['dry_run']) ? 'would remove' : 'removed'} ${path}: ${reason}`,
        });
        if (!isTrue(input['dry_run'])) removeArtifactDir(path);
      }
      if (removed.length && !isTrue(input['dry_run'])) ctx.index.markStale();
      if (removed.length === 0) ctx.emit({ type: 'info', text: 'nothing to prune' });
      return { removed };
    },
  },
};
