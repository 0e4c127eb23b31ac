// The footprint of a dep's subtree for --parallel: the script its tags select, the variations and
// versions it may apply, its deps (recursively), hooks and native scripts, walked from the metas
// and files without running anything. Whatever cannot be told statically counts as anything.
import { clone, isDict, type Dict } from '../../core/merge.js';
import { DEP_LISTS, depTags, mergeAdr, namesOf, updateDepInfo } from '../../core/script/deps.js';
import {
  combine,
  CONDITION_KEYS,
  emptyFootprint,
  exportsOf,
  hookChangesDeps,
  keysReadByMeta,
  keysReadBySelection,
  subMetas,
  unknownFootprint,
  withAdr,
  type SubtreeFootprint,
} from '../../core/script/dep-independence.js';
import { isTruthy, type Env } from '../../core/script/env.js';
import { resolveVariations, splitScriptTags, variationKey } from '../../core/script/variations.js';
import { tagList } from '../../core/tags.js';
import { ENV_PREFIX_OF } from '../../db/repo.js';
import type { CmContext } from '../context.js';
import { scriptCode, type ScriptCode } from './script-code.js';
import { findScripts, type Candidate } from './select.js';

/** What one walk has learnt (one per run; a later run may follow edits). */
export interface FootprintMemo {
  deps: Map<string, SubtreeFootprint>;
  scripts: Map<string, SubtreeFootprint>;
  files: Map<string, ScriptCode>;
  selections: Map<string, Candidate[] | undefined>;
  /** Scripts being walked: meeting one again is a cycle, which the walk cannot see through. */
  stack: Set<string>;
}

export function newFootprintMemo(): FootprintMemo {
  return {
    deps: new Map(),
    scripts: new Map(),
    files: new Map(),
    selections: new Map(),
    stack: new Set(),
  };
}

/** The variations of the script a dep belongs to (for inherit_variation_tags), as depTags takes them. */
export interface ParentVariations {
  tagsString: string;
  groupOf: (v: string) => string | undefined;
}

export interface DepContext {
  /** The env the dep's tags are taken with (the engine's, when it decides whether to launch);
   *  without it, tags that come from the env are not known. */
  env?: Env;
  /** The parent's variations (a dep with inherit_variation_tags takes them; without them, any
   *  variation counts); 'unknown' where the walk took every variation of the parent. */
  parent?: ParentVariations | 'unknown';
}

/** Deeper than this (the engine refuses 64 levels), the walk takes the rest as unknown. */
const MAX_DEPTH = 64;

/**
 * The footprint of dep entry `dep` of a script with env prefix `prefix` (its `adr`: what the
 * parent passes on recursively). Tags with `<<<VAR>>>`, tags from the env without `where.env`
 * (unless they only add variations: then every variation counts), a selection that fails, a
 * hook that rewrites deps, and cycles make the subtree unknown. Several candidates: their union.
 * Reads are those of the whole subtree; exports those of the selected script (what its deps
 * export reaches the caller only through its own new_env_keys / new_state_keys).
 */
export function footprintOfDep(
  ctx: CmContext,
  dep: Dict,
  adr: Dict,
  prefix: 'CM_' | 'MLC_',
  memo: FootprintMemo,
  where: DepContext = {},
): SubtreeFootprint {
  const selection: SubtreeFootprint = {
    ...emptyFootprint(),
    reads: new Set(keysReadBySelection(dep, adr, prefix)),
  };
  const d = withAdr(dep, adr);
  const tags = tagsOfDep(d, where);
  if (tags === undefined) return combine(selection, unknownFootprint());
  const childAdr = mergeAdr(mergeAdr(clone(adr), d['adr']), d['add_deps_recursive']);
  const ad = mergeAdr(mergeAdr({}, d['ad']), d['add_deps']);
  const key = JSON.stringify([tags, prefix, childAdr, ad, isTruthy(d['skip_cache'])]);
  let found = memo.deps.get(key);
  if (!found) {
    found = selectedFootprint(ctx, tags, {
      adr: childAdr,
      ad,
      uncachedByInput: isTruthy(d['skip_cache']),
      memo,
      depth: memo.stack.size,
    });
    memo.deps.set(key, found);
  }
  // A working folder named by the dep entry (--outdirname as env) may be a sibling's too.
  const outdir = isDict(d['env']) && Object.keys(d['env']).some((k) => k.endsWith('OUTDIRNAME'));
  const fp = combine(selection, found);
  return outdir && fp.runsSomething ? { ...fp, usesCallerFolder: true } : fp;
}

interface DepTags {
  tags: string[];
  /** Tags from the env (variations only) are not known: every variation of the script counts. */
  anyVariation: boolean;
}

const DYNAMIC_TAG_KEYS = [
  'update_tags_from_env',
  'update_tags_from_env_with_prefix',
  'update_tags_if_env',
] as const;

/** The tags a dep runs with, as far as they are known (undefined: not known at all). */
function tagsOfDep(d: Dict, where: DepContext): DepTags | undefined {
  if (tagList(d['tags']).some((t) => t.includes('<<<'))) return undefined;
  const inherits = isTruthy(d['inherit_variation_tags']);
  const parent = where.parent === 'unknown' ? undefined : where.parent;
  const none: ParentVariations = { tagsString: '', groupOf: () => undefined };
  // Without the parent's variations, those it would pass on are not known.
  let anyVariation = inherits && (where.parent === undefined || where.parent === 'unknown');
  if (where.env) {
    const tags = tagList(depTags(d, where.env, parent ?? none));
    return tags.some((t) => t.includes('<<<')) ? undefined : { tags, anyVariation };
  }
  const fixed: Dict = { ...d };
  for (const k of DYNAMIC_TAG_KEYS) delete fixed[k];
  const fromEnv = d['update_tags_from_env'];
  if (Array.isArray(fromEnv) && fromEnv.length > 0) return undefined;
  const pref = d['update_tags_from_env_with_prefix'];
  if (isDict(pref) && Object.keys(pref).length > 0) {
    if (!Object.keys(pref).every((p) => p.startsWith('_'))) return undefined;
    anyVariation = true;
  }
  const ifEnv = d['update_tags_if_env'];
  if (isDict(ifEnv) && Object.keys(ifEnv).length > 0) {
    if (!Object.keys(ifEnv).every((t) => tagList(t).every((x) => /^-?_/.test(x)))) return undefined;
    anyVariation = true;
  }
  return { tags: tagList(depTags(fixed, {}, parent ?? none)), anyVariation };
}

interface WalkState {
  adr: Dict;
  ad: Dict;
  uncachedByInput: boolean;
  memo: FootprintMemo;
  depth: number;
}

/** The union of the footprints of the scripts `tags` select. */
function selectedFootprint(ctx: CmContext, t: DepTags, w: WalkState): SubtreeFootprint {
  let split: ReturnType<typeof splitScriptTags>;
  try {
    split = splitScriptTags(t.tags);
  } catch {
    return unknownFootprint();
  }
  const query = {
    names: [],
    include: split.include,
    exclude: split.exclude,
    variations: split.variations,
  };
  const qkey = JSON.stringify(query);
  if (!w.memo.selections.has(qkey)) {
    let found: Candidate[] | undefined;
    try {
      found = findScripts(ctx, query);
    } catch {
      found = undefined; // the run will fail there; nothing to learn here
    }
    w.memo.selections.set(qkey, found);
  }
  const candidates = w.memo.selections.get(qkey);
  if (!candidates || candidates.length === 0) return unknownFootprint();
  let out = emptyFootprint();
  for (const c of candidates)
    out = combine(out, scriptFootprint(ctx, c, t.anyVariation ? '*' : split.variations, w));
  return out;
}

/** The sub-metas a run of `c` with `variations` applies for sure, and those it may apply. */
function appliedMetas(
  c: Candidate,
  variations: readonly string[] | '*',
): { sure: Dict[]; maybe: Dict[]; parent: ParentVariations | 'unknown' } | undefined {
  const meta = c.meta;
  const all = isDict(meta['variations']) ? meta['variations'] : {};
  const mlc = c.entry.repo.format === 'mlc';
  // mlcflow selects _version.X from the version asked for, which may come from the env.
  const versionVariations = mlc
    ? Object.entries(all)
        .filter(([k, v]) => k.startsWith('version.') && isDict(v))
        .map(([, v]) => v as Dict)
    : [];
  const maybe = [...subMetas({ versions: meta['versions'] }), ...versionVariations];
  for (const m of Array.isArray(meta['update_meta_if_env']) ? meta['update_meta_if_env'] : [])
    if (isDict(m)) maybe.push(m);
  if (variations === '*') {
    maybe.push(...subMetas({ variations: all }));
    return { sure: [], maybe, parent: 'unknown' };
  }
  try {
    const r = resolveVariations(c.entry.alias, meta, variations, mlc);
    const sure = r.apply.map((a) => a.meta);
    for (const m of sure)
      for (const u of Array.isArray(m['update_meta_if_env']) ? m['update_meta_if_env'] : [])
        if (isDict(u)) maybe.push(u);
    const groupOf = (v: string): string | undefined => {
      const k = variationKey(all, v);
      const m = k ? all[k.key] : undefined;
      return isDict(m) && typeof m['group'] === 'string' ? m['group'] : undefined;
    };
    return { sure, maybe, parent: { tagsString: r.tagsString, groupOf } };
  } catch {
    return undefined;
  }
}

const ADR_KEYS = ['adr', 'add_deps_recursive', 'ad', 'add_deps'] as const;

/** The footprint of script `c` run with `variations` ('*': any of them), its deps included. */
function scriptFootprint(
  ctx: CmContext,
  c: Candidate,
  variations: readonly string[] | '*',
  w: WalkState,
): SubtreeFootprint {
  const vkey = variations === '*' ? '*' : [...variations].sort().join(',');
  const key = JSON.stringify([c.entry.path, vkey, w.adr, w.ad, w.uncachedByInput]);
  const known = w.memo.scripts.get(key);
  if (known) return known;
  const cycleKey = `${c.entry.path}|${vkey}`;
  if (w.memo.stack.has(cycleKey) || w.depth > MAX_DEPTH) return unknownFootprint();
  w.memo.stack.add(cycleKey);
  try {
    const fp = walkScript(ctx, c, variations, w);
    w.memo.scripts.set(key, fp);
    return fp;
  } finally {
    w.memo.stack.delete(cycleKey);
  }
}

function walkScript(
  ctx: CmContext,
  c: Candidate,
  variations: readonly string[] | '*',
  w: WalkState,
): SubtreeFootprint {
  const applied = appliedMetas(c, variations);
  if (!applied) return unknownFootprint();
  const { sure, maybe, parent } = applied;
  // A dep update that may or may not apply changes deps further down in ways not followed here.
  if (maybe.some((m) => ADR_KEYS.some((k) => k in m))) return unknownFootprint();
  const files = scriptCode(c.entry.path, w.memo.files);
  if (files.unreadable || hookChangesDeps(files.hookText)) return unknownFootprint();
  const meta = c.meta;
  const P = ENV_PREFIX_OF[c.entry.repo.format] as 'CM_' | 'MLC_';
  const reads = new Set(keysReadByMeta(meta, P));
  if (files.osSpecificNative) for (const k of hostKeys(P)) reads.add(k);
  // Cached where the meta and the variations applied say so, and no maybe-applied sub-meta says not.
  let cache = isTruthy(meta['cache']);
  for (const m of sure) if ('cache' in m) cache = isTruthy(m['cache']);
  const cached =
    cache && !maybe.some((m) => 'cache' in m && !isTruthy(m['cache'])) && !w.uncachedByInput;
  let out: SubtreeFootprint = {
    reads: files.callsScripts ? '*' : reads,
    exports: exportsOf(meta, [...sure, ...maybe], files.hookText),
    runsSomething: files.runs,
    hooks: files.hooks,
    usesCallerFolder: files.runs && !cached,
    fileText: files.texts,
  };
  const adr = clone(w.adr);
  const ad = clone(w.ad);
  for (const m of sure) {
    mergeAdr(adr, m['adr']);
    mergeAdr(adr, m['add_deps_recursive']);
    mergeAdr(ad, m['ad']);
    mergeAdr(ad, m['add_deps']);
  }
  for (const dep of depsOf([meta, ...sure, ...maybe], ad)) {
    const child = footprintOfDep(ctx, dep, adr, P, w.memo, { parent });
    // What a dep exports reaches this script's caller only through this script's own export
    // lists. Deps run in this script's working folder: the caller's, unless it is cached (its new
    // entry); a dynamic dep of a cached script runs on a hit too, in the caller's folder.
    const inCallerFolder = !cached || isTruthy(dep['dynamic']);
    out = combine(out, {
      ...child,
      exports: emptyFootprint().exports,
      usesCallerFolder: inCallerFolder && child.usesCallerFolder,
    });
  }
  return out;
}

/** Every dep entry of the metas' lists, with the `ad` updates for its names (both forms where
 *  an update has conditions of its own). */
function depsOf(metas: readonly Dict[], ad: Dict): Dict[] {
  const out: Dict[] = [];
  for (const m of metas)
    for (const l of DEP_LISTS)
      for (const d of Array.isArray(m[l]) ? m[l] : []) {
        if (!isDict(d)) continue;
        let cur = d;
        for (const name of namesOf(d)) {
          const u = ad[name];
          if (!isDict(u)) continue;
          const updated = clone(cur);
          updateDepInfo(updated, u);
          if (CONDITION_KEYS.some((k) => k in u)) out.push(cur);
          cur = updated;
        }
        out.push(cur);
      }
  return out;
}

/** Env keys that choose among run-<os>.sh variants (chooseNativeScript). */
function hostKeys(P: string): string[] {
  const keys = [`${P}HOST_OS_FLAVOR`, `${P}HOST_OS_VERSION`, `${P}HOST_PLATFORM_FLAVOR`];
  return P === 'MLC_' ? [...keys, 'MLC_HOST_OS_FLAVOR_LIKE', 'MLC_HOST_OS_TYPE'] : keys;
}
