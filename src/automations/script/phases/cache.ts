// Phase 3, cache: look the run's key up (lock-free: an entry is trusted only once complete),
// validate what was found (validate_cache.sh, detect_version), reuse a hit, or take the key's
// lock and make the entry the run will fill (spec R47). Why an entry was not reused is a reason
// code (cache/reasons.ts), shown by --explain and `cm show cache --why`.
import { join } from 'node:path';
import { clone, isDict, mergeDicts, type Dict } from '../../../core/merge.js';
import { mergeEnv, type Env } from '../../../core/script/env.js';
import { maskUrlUserinfo } from '../../../core/secrets.js';
import { CmError } from '../../../core/errors.js';
import { tagList } from '../../../core/tags.js';
import {
  cacheRoot,
  completeEntry,
  createEntry,
  keyHash,
  lockKey,
  lookup,
  markEntryFailed,
  readCachedState,
  removeFailedEntries,
  scriptStatSignature,
  type CacheEntry,
  type CacheKey,
  type Lookup,
} from '../../cache/store.js';
import {
  foundDecision,
  isWorthSaying,
  missDecision,
  noLookupDecision,
  rejectionSentence,
  type Rejection,
} from '../../cache/reasons.js';
import { chooseNativeScript, executeNative } from '../native.js';
import {
  debug,
  emitStep,
  holdFolder,
  type Resolution,
  type RunContext,
  type Selection,
} from '../run-context.js';
import { callHook, hooksOf } from '../run-hooks.js';
import { runDeps } from './deps.js';

/** The run's cache key: script, variations, version and the extra tags. */
export function cacheKeyOf(sel: Selection, res: Resolution): CacheKey {
  return {
    scriptUid: sel.entry.uid,
    scriptAlias: sel.entry.alias,
    // Tags are stored (entry meta, the index) and shown: a URL's password never goes into one.
    variations: res.variationTags.map(maskUrlUserinfo).sort(),
    version: res.version,
    extraTags: res.extraCacheTags.map(maskUrlUserinfo),
  };
}

/** The tags of the script the entry records (its own tags and the run's). */
export function cachedTags(rc: RunContext): string[] {
  return [...new Set([...rc.input.split.include, ...tagList(rc.res.meta['tags'])])];
}

/** Looks the key up (when the run uses the cache, or --dry-run asks) and says why not. */
export async function lookupCache(rc: RunContext): Promise<void> {
  const { input, res, node } = rc;
  const c = rc.cache;
  c.lookedUp =
    (res.useCache || (rc.shared.plan && res.cacheable && !input.skipCache)) && !input.isNew;
  if (c.lookedUp) {
    const found = await findHit(rc);
    if (found && input.renew) c.renewEntry = found;
    else c.hit = found;
    node.cache = found
      ? foundDecision(found.entry.path, c.renewEntry !== undefined)
      : c.userWantsNew
        ? { status: 'miss', reason: 'new', detail: 'a new entry was chosen' }
        : missDecision(c.rejections);
  } else
    node.cache = noLookupDecision({
      isNew: input.isNew,
      isCacheable: res.cacheable || res.useCache,
      isFakeRun: rc.fakeRun,
      skipCache: input.skipCache,
    });
}

async function findHit(rc: RunContext): Promise<CacheEntry | undefined> {
  const { shared } = rc;
  const r = lookup(shared.ctx, rc.cache.key, rc.res.constraints, rc.sel.scriptDir);
  rc.cache.rejections.push(...r.rejected);
  for (const x of r.rejected)
    if (isWorthSaying(x.code)) rejected(rc, x, true);
    else if (shared.verbose) debug(rc, `cache entry ${x.path} not used: ${rejectionSentence(x)}`);
  if (r.found.length > 0 && !shared.plan) r.found = await validateEntries(rc, r.found);
  if (r.found.length === 0) return undefined;
  if (r.found.length > 1 && !shared.quiet && shared.ctx.isInteractive) {
    const lines = r.found.map(
      (f, i) =>
        `${i}) ${f.entry.path} (${f.entry.tags.join(',')})${f.version ? ` (Version ${f.version})` : ''}`,
    );
    const answer = await shared.ctx.ask(
      `Select a cache entry of "${rc.sel.entry.alias}" (-1 to make a new one):\n${lines.join('\n')}\nYour choice [0]: `,
    );
    const n = Number.parseInt(answer, 10);
    if (n === -1) {
      rc.cache.userWantsNew = true;
      return undefined;
    }
    return r.found[Number.isInteger(n) && n >= 0 && n < r.found.length ? n : 0];
  }
  return r.found[0];
}

function rejected(rc: RunContext, x: Rejection, runsAgain: boolean): void {
  emitStep(rc, { kind: 'cache-rejected', path: x.path, reason: rejectionSentence(x), runsAgain });
}

/**
 * validate_cache.sh (if the script has one) runs in each candidate entry with the entry's env;
 * a failure, or a detected version that differs from the entry's, drops the entry.
 */
async function validateEntries(rc: RunContext, found: CacheEntry[]): Promise<CacheEntry[]> {
  const { shared, sel } = rc;
  if (found.length === 0 || shared.plan) return found;
  const script = chooseNativeScript(sel.scriptDir, 'validate_cache', rc.env, shared.os, sel.P);
  if (!script) return found;
  const kept: CacheEntry[] = [];
  const previous = rc.workDir;
  try {
    for (const f of found) {
      const venv: Env = mergeEnv(
        clone(rc.env),
        isDict(f.state['new_env']) ? f.state['new_env'] : {},
      );
      rc.workDir = f.entry.path;
      const releaseEntry = await holdFolder(rc, rc.workDir);
      try {
        const r = await executeNative({
          workDir: rc.workDir,
          script,
          scriptDir: sel.scriptDir,
          env: venv,
          state: rc.state,
          os: shared.os,
          processEnv: shared.ctx.env,
          known: shared.ctx.secrets,
          emit: shared.ctx.emit,
          prefix: sel.P,
        });
        if (r.exitCode !== 0) {
          const x: Rejection = {
            code: 'invalid',
            path: f.entry.path,
            detail: `${script} failed (exit status ${r.exitCode})`,
          };
          rc.cache.rejections.push(x);
          rejected(rc, x, false);
          continue;
        }
        mergeEnv(venv, r.envOut);
        const d = await callHook(rc, 'detect_version', venv);
        const v = typeof d?.['version'] === 'string' ? d['version'] : '';
        if (v && f.version && v !== f.version) {
          rc.cache.rejectedPaths.add(f.entry.path);
          const x: Rejection = {
            code: 'other-version',
            path: f.entry.path,
            detail: `it holds version ${f.version}, ${v} is installed now`,
          };
          rc.cache.rejections.push(x);
          rejected(rc, x, false);
          continue;
        }
        kept.push(f);
      } finally {
        releaseEntry();
      }
    }
  } finally {
    rc.workDir = previous;
  }
  return kept;
}

/**
 * R47 hit: the dynamic deps, the cached env/state, the dynamic post deps (the same after a lock
 * wait, when another process made the entry).
 */
export async function reuseEntry(rc: RunContext, h: CacheEntry, note: string): Promise<void> {
  const { node, res, shared } = rc;
  node.status = shared.plan ? 'will-reuse' : 'cached';
  node.cache_entry = h.entry.path;
  await runDeps(rc, { list: 'deps', fromCache: true, withhold: res.localKeys });
  await runDeps(rc, { list: 'prehook_deps', fromCache: true, withhold: res.localKeys });
  if (!shared.plan)
    emitStep(rc, { kind: 'cache-hit', file: join(h.entry.path, 'cm-cached-state.json'), note });
  const cached = h.state;
  if (typeof cached['version'] === 'string' && cached['version']) {
    rc.version = cached['version'];
    node.version = rc.version;
    if (!node.version_from) node.version_from = 'cache entry';
  }
  mergeEnv(rc.env, isDict(cached['new_env']) ? cached['new_env'] : {});
  mergeDicts(rc.state, isDict(cached['new_state']) ? cached['new_state'] : {}, {
    appendLists: true,
    appendUnique: true,
  });
  if (!rc.fakeRun) {
    await runDeps(rc, { list: 'posthook_deps', fromCache: true, withhold: res.localKeys });
    await runDeps(rc, { list: 'post_deps', fromCache: true, withhold: res.postWithheld });
  }
}

/** --dry-run: the key of a script planned to run (a later dep with the same one reuses its entry). */
export function plannedKey(rc: RunContext): string {
  return JSON.stringify([rc.cache.key, rc.res.constraints]);
}

/** --dry-run: a script planned earlier in this run with the same key makes the entry reused. */
export async function reusePlanned(rc: RunContext): Promise<void> {
  const { node, res } = rc;
  node.status = 'will-reuse';
  node.reason = 'made earlier in this run';
  node.cache = { status: 'hit', reason: 'reused', detail: 'the entry made earlier in this run' };
  for (const list of ['deps', 'prehook_deps', 'posthook_deps'] as const)
    await runDeps(rc, { list, fromCache: true, withhold: res.localKeys });
  await runDeps(rc, { list: 'post_deps', fromCache: true, withhold: res.postWithheld });
}

/**
 * A miss of a cached script: take the key's lock (another process with the same key is waited
 * for), look again (it may have made the entry meanwhile: returned, to be reused), else make the
 * entry, `tmp` until complete, that this run works in.
 */
export async function claimEntry(rc: RunContext): Promise<CacheEntry | undefined> {
  const { shared, sel, input, cache: c } = rc;
  const { ctx } = shared;
  if (input.onlyFromCache)
    throw new CmError(
      'cache-miss',
      `No valid cache entry found for [${[...cachedTags(rc), ...c.key.variations.map((v) => `_${v}`)].join(',')}]`,
      { hint: 'run it once without --only_execute_from_cache to create the entry' },
    );
  // A hook that cannot even be loaded fails before any entry is made.
  if (!rc.fakeRun) await hooksOf(rc);
  c.lock = await lockKey(ctx, c.key, () =>
    emitStep(rc, {
      kind: 'waiting',
      text: `waiting for another cm process running "${sel.entry.alias}" with the same cache key`,
    }),
  );
  // Another process may have completed (or failed) an entry while we waited: the cache folders
  // it writes to are checked again, not every repo.
  ctx.index.markStale(cacheRoot(ctx));
  let unfinished: Lookup['unfinished'];
  if (!input.isNew && !c.renewEntry && !c.userWantsNew) {
    const locked = lookup(ctx, c.key, rc.res.constraints, sel.scriptDir);
    unfinished = locked.unfinished;
    const fresh = locked.found.filter((f) => !c.rejectedPaths.has(f.entry.path));
    const again = (await validateEntries(rc, fresh))[0];
    if (again) {
      c.lock.release();
      c.lock = undefined;
      c.hit = again;
      rc.node.cache = foundDecision(again.entry.path, false);
      return again;
    }
  }
  removeFailedEntries(ctx, c.key, unfinished);
  const entryMeta = newEntryMeta(rc);
  if (c.renewEntry) {
    c.entryPath = c.renewEntry.entry.path;
    completeEntry(ctx, c.entryPath, readCachedState(c.entryPath), { ...entryMeta });
    markEntryFailed(ctx, c.entryPath);
    rc.env[`${sel.P}RENEW_CACHE_ENTRY`] = 'yes';
  } else c.entryPath = createEntry(ctx, entryMeta);
  rc.workDir = c.entryPath;
  rc.node.cache_entry = c.entryPath;
  return undefined;
}

function newEntryMeta(rc: RunContext): Dict {
  const { sel, cache: c, res } = rc;
  const entryTags = [
    'tmp',
    ...cachedTags(rc),
    ...c.key.variations.map((v) => `_${v}`),
    `script-artifact-${sel.entry.uid}`,
    ...res.extraCacheTags,
  ];
  if (rc.versionTag) entryTags.push(rc.versionTag);
  const entryMeta: Dict = {
    tags: [...new Set(entryTags.map(maskUrlUserinfo))],
    associated_script_artifact: sel.label,
    associated_script_artifact_uid: sel.entry.uid,
    cache_key: keyHash(c.key),
    script_stat_signature: scriptStatSignature(sel.scriptDir),
    cache_created: Date.now(),
  };
  if (rc.version) entryMeta['version'] = rc.version;
  return entryMeta;
}

/** Marks this run's entry failed (the run failed after making it); releases the key's lock. */
export function abandonEntry(rc: RunContext): void {
  if (rc.cache.entryPath && !rc.shared.plan) markEntryFailed(rc.shared.ctx, rc.cache.entryPath);
  releaseKey(rc);
}

export function releaseKey(rc: RunContext): void {
  rc.cache.lock?.release();
  rc.cache.lock = undefined;
}
