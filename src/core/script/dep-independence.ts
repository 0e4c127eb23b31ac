// Whether a dep may run beside an earlier sibling (--parallel): the env keys a dep's selection and
// a script's resolution read, what a script may export, and the conflict test between two dep
// subtrees. Pure: metas and file texts in; walking a subtree (files, selection) is the engine's.
import { clone, isDict, type Dict } from '../merge.js';
import { namesOf, updateDepInfo } from './deps.js';

/** Env key globs (`*`, `?`), or '*' for "any key". */
export type Patterns = readonly string[] | '*';

/** What a script (or a dep subtree) may let out to its caller. */
export interface Exports {
  /** Env key globs that may be exported, `+KEY` lists named as KEY: what a later sibling may read. */
  env: Patterns;
  /** Those exported as `+KEY` lists (a native step sees them in KEY without naming them). */
  lists: Patterns;
  /** Those exported as plain keys: two siblings that export one are not independent, since a
   *  sibling's export filter would hand back the value it saw (stale in parallel). */
  plain: Patterns;
  state: Patterns;
}

/**
 * What a dep subtree (the dep, the script it selects, that script's deps ...) reads and exports,
 * as far as the metas and files tell. Filled by the engine's walk (dep-footprint.ts), joined by
 * `combine`; '*' where the walk could not tell.
 */
export interface SubtreeFootprint {
  /** Env keys (or globs) that selection and resolution anywhere in the subtree read. */
  reads: ReadonlySet<string> | '*';
  exports: Exports;
  /** A native script or a hook runs somewhere in it (a process started there sees PATH ...). */
  runsSomething: boolean;
  /** A hook (customize.py/.js) runs somewhere in it: hooks share the process's folder and the one
   *  Python worker, so two hook-running subtrees do not overlap (see conflictOf's options). */
  hooks: boolean;
  /** Something runs in the folder the caller gives the dep (a script that is not cached, or a
   *  dynamic dep of a cached one): two such siblings would share that folder's tmp-* files (and
   *  whatever else they write there, in an order only running one after the other keeps). */
  usesCallerFolder: boolean;
  /** Texts of its native scripts and hooks: a key they name counts as read. */
  fileText: readonly string[];
}

const NO_EXPORTS: Exports = { env: [], lists: [], plain: [], state: [] };
const ALL_EXPORTS: Exports = { env: '*', lists: '*', plain: '*', state: '*' };

export function emptyFootprint(): SubtreeFootprint {
  return {
    reads: new Set(),
    exports: NO_EXPORTS,
    runsSomething: false,
    hooks: false,
    usesCallerFolder: false,
    fileText: [],
  };
}

/** The footprint of a subtree the walk cannot see into: it may read, export and run anything. */
export function unknownFootprint(): SubtreeFootprint {
  return {
    reads: '*',
    exports: ALL_EXPORTS,
    runsSomething: true,
    hooks: true,
    usesCallerFolder: true,
    fileText: [],
  };
}

function unite(a: Patterns, b: Patterns): Patterns {
  if (a === '*' || b === '*') return '*';
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...new Set([...a, ...b])];
}

/** The footprint of both subtrees (a script and its deps, or two candidates of one dep). */
export function combine(a: SubtreeFootprint, b: SubtreeFootprint): SubtreeFootprint {
  return {
    reads: a.reads === '*' || b.reads === '*' ? '*' : new Set([...a.reads, ...b.reads]),
    exports: {
      env: unite(a.exports.env, b.exports.env),
      lists: unite(a.exports.lists, b.exports.lists),
      plain: unite(a.exports.plain, b.exports.plain),
      state: unite(a.exports.state, b.exports.state),
    },
    runsSomething: a.runsSomething || b.runsSomething,
    hooks: a.hooks || b.hooks,
    usesCallerFolder: a.usesCallerFolder || b.usesCallerFolder,
    fileText: b.fileText.length === 0 ? a.fileText : [...new Set([...a.fileText, ...b.fileText])],
  };
}

const VAR = /<<<([^<>]+?)>>>/g;

/** Names used as `<<<NAME>>>` in any string of `v` (dicts and lists, any depth), except under
 *  dict keys in `skip`. */
export function varsIn(v: unknown, out: Set<string>, skip: ReadonlySet<string> = new Set()): void {
  if (typeof v === 'string') {
    if (v.includes('<<<')) for (const m of v.matchAll(VAR)) out.add(m[1]!);
  } else if (Array.isArray(v)) {
    for (const x of v) varsIn(x, out, skip);
  } else if (isDict(v)) {
    for (const [k, x] of Object.entries(v)) if (!skip.has(k)) varsIn(x, out, skip);
  }
}

/** The condition keys of a dep, an adr update or a conditional sub-meta (what skipReason reads). */
export const CONDITION_KEYS = [
  'enable_if_env',
  'enable_if_any_env',
  'skip_if_env',
  'skip_if_any_env',
] as const;

function conditionReads(d: Dict, prefix: string, out: Set<string>): void {
  for (const c of CONDITION_KEYS) if (isDict(d[c])) for (const k of Object.keys(d[c])) out.add(k);
  if (d['skip_if_fake_run'] !== undefined) out.add(`${prefix}TMP_FAKE_RUN`);
}

const VERSION_SUFFIXES = ['VERSION', 'VERSION_MIN', 'VERSION_MAX', 'VERSION_MAX_USABLE'];

/**
 * A dep entry with the `adr` updates for its names applied, as the engine applies them (tags
 * united, dicts merged, the rest replaced; the updates' own conditions left out).
 */
export function withAdr(dep: Dict, adr: Dict): Dict {
  let d = dep;
  for (const name of namesOf(dep)) {
    const u = adr[name];
    if (!isDict(u)) continue;
    if (d === dep) d = clone(dep);
    updateDepInfo(d, u);
  }
  return d;
}

/**
 * The env keys a dep entry's selection reads: `<<<VAR>>>` anywhere in it (tags, env, version*),
 * its conditions, update_tags_from_env*, update_tags_if_env, the version keys it passes on with
 * `reuse_version`; both before and after the `adr` updates for its names (an update may depend on
 * its own conditions, which are read too).
 */
export function keysReadBySelection(dep: Dict, adr: Dict, prefix: 'CM_' | 'MLC_'): string[] {
  const out = new Set<string>();
  const updates = namesOf(dep)
    .map((n) => adr[n])
    .filter(isDict);
  for (const d of [dep, withAdr(dep, adr)]) {
    varsIn(d, out);
    conditionReads(d, prefix, out);
    for (const k of Array.isArray(d['update_tags_from_env']) ? d['update_tags_from_env'] : [])
      out.add(String(k));
    const pref = d['update_tags_from_env_with_prefix'];
    if (isDict(pref))
      for (const keys of Object.values(pref))
        for (const k of Array.isArray(keys) ? keys : [keys]) out.add(String(k));
    const ifEnv = d['update_tags_if_env'];
    if (isDict(ifEnv))
      for (const cond of Object.values(ifEnv)) if (isDict(cond)) conditionReads(cond, prefix, out);
    if (d['reuse_version'] !== undefined)
      for (const s of VERSION_SUFFIXES) out.add(`${prefix}${s}`);
  }
  for (const u of updates) {
    varsIn(u, out);
    conditionReads(u, prefix, out);
  }
  return [...out].sort();
}

/** Meta keys whose `<<<VAR>>>` a plain run never expands (a docker run's mounts ...). */
const NOT_EXPANDED = new Set(['docker', 'docker_input_mapping', 'input_description', 'help']);

/** Env keys the engine itself reads while it resolves and runs a script (with its prefix). */
function engineReads(prefix: string): string[] {
  return [
    ...VERSION_SUFFIXES,
    'DETECTED_VERSION',
    'EXTRA_CACHE_TAGS',
    'NAME',
    'OUTDIRNAME',
    'RUN_STATE_DOCKER',
    'GET_DEPENDENT_CACHED_PATH',
    'QUIET',
    'RENEW_CACHE_ENTRY',
    'TMP_*',
  ].map((s) => `${prefix}${s}`);
}

/** The sub-metas of a meta whose env handling the engine applies: variations, versions, and the
 *  update_meta_if_env entries of each (and of the meta). */
export function subMetas(meta: Dict): Dict[] {
  const out: Dict[] = [];
  const add = (m: Dict): void => {
    out.push(m);
    for (const c of Array.isArray(m['update_meta_if_env']) ? m['update_meta_if_env'] : [])
      if (isDict(c)) add(c);
  };
  for (const key of ['variations', 'versions']) {
    const all = meta[key];
    if (isDict(all)) for (const m of Object.values(all)) if (isDict(m)) add(m);
  }
  for (const c of Array.isArray(meta['update_meta_if_env']) ? meta['update_meta_if_env'] : [])
    if (isDict(c)) add(c);
  return out;
}

/**
 * What a script's own resolution reads from the env it is given (over all its variations and
 * versions, since which apply is not known here): update_meta_if_env conditions, default_env keys
 * (a sibling's export decides whether a default applies), `<<<VAR>>>` in its values, the version
 * keys, extra_cache_tags_from_env, cache_key_env/_files, env_key_mappings (as `FROM*`), and the
 * keys the engine reads itself (VERSION*, NAME, OUTDIRNAME, TMP_* ... with `prefix`).
 */
export function keysReadByMeta(meta: Dict, prefix: 'CM_' | 'MLC_'): string[] {
  const out = new Set<string>(engineReads(prefix));
  varsIn(meta, out, NOT_EXPANDED);
  for (const m of [meta, ...subMetas(meta)]) {
    conditionReads(m, prefix, out);
    if (isDict(m['default_env'])) for (const k of Object.keys(m['default_env'])) out.add(k);
  }
  for (const x of Array.isArray(meta['extra_cache_tags_from_env'])
    ? meta['extra_cache_tags_from_env']
    : [])
    if (isDict(x) && x['env'] !== undefined) out.add(String(x['env']));
  for (const key of ['cache_key_env', 'cache_key_files'])
    for (const k of Array.isArray(meta[key]) ? meta[key] : []) out.add(String(k));
  if (isDict(meta['env_key_mappings']))
    for (const from of Object.keys(meta['env_key_mappings'])) out.add(`${from}*`);
  if (isDict(meta['print_env_at_the_end']))
    for (const k of Object.keys(meta['print_env_at_the_end'])) out.add(k);
  return [...out].sort();
}

/** Whether hook source may change what its script exports: it touches new_env_keys or
 *  new_state_keys, rewrites the deps, or runs another script in its place. */
export function hookMayExportAnything(hookText: string): boolean {
  return (
    /\bnew_(env|state)_keys\b/.test(hookText) ||
    hookChangesDeps(hookText) ||
    /['"]script['"]\s*[:\]]|\bscript\s*:/.test(hookText)
  );
}

/** Whether hook source rewrites the dep lists (update_deps, or meta['deps'] ... assigned). */
export function hookChangesDeps(hookText: string): boolean {
  return (
    /\bupdate_deps\b/.test(hookText) ||
    /\b(prehook_|posthook_|post_)?deps['"]?\]?\s*(=[^=]|\.(append|push|insert|extend|splice))/.test(
      hookText,
    )
  );
}

/** A `+KEY` / `+;KEY` export name as KEY, and whether it was a list. */
function exportName(p: string): { name: string; list: boolean } {
  if (!p.startsWith('+')) return { name: p, list: false };
  const rest = p.slice(1);
  return { name: /^[^A-Za-z0-9_*?]/.test(rest) ? rest.slice(1) : rest, list: true };
}

/**
 * The new_env_keys / new_state_keys patterns of a script with those its applied sub-metas
 * (variations, versions) add; `+KEY` as KEY. '*' where a pattern is `*` or `<<<VAR>>>` (the name
 * is only known at run time), or where the hook source may change what is exported.
 */
export function exportsOf(meta: Dict, variationMetas: readonly Dict[], hookText: string): Exports {
  if (hookMayExportAnything(hookText)) return ALL_EXPORTS;
  const all = [meta, ...variationMetas];
  const env = new Set<string>();
  const lists = new Set<string>();
  const plain = new Set<string>();
  const state = new Set<string>();
  let anyEnv = false;
  let anyState = false;
  for (const m of all) {
    for (const p of Array.isArray(m['new_env_keys']) ? m['new_env_keys'] : []) {
      if (typeof p !== 'string' || p === '') continue;
      if (p.includes('<<<')) anyEnv = true;
      const { name, list } = exportName(p);
      if (name === '*') anyEnv = true;
      env.add(name);
      (list ? lists : plain).add(name);
    }
    for (const p of Array.isArray(m['new_state_keys']) ? m['new_state_keys'] : []) {
      if (typeof p !== 'string' || p === '') continue;
      if (p.includes('<<<') || p === '*') anyState = true;
      state.add(p);
    }
  }
  return {
    env: anyEnv ? '*' : [...env].sort(),
    lists: anyEnv ? '*' : [...lists].sort(),
    plain: anyEnv ? '*' : [...plain].sort(),
    state: anyState ? '*' : [...state].sort(),
  };
}

/** Whether some string matches both globs (`*`, `?`, the rest literal). */
export function globsOverlap(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let r: boolean;
    if (i === a.length && j === b.length) r = true;
    else if (i < a.length && a[i] === '*') r = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (j < b.length && b[j] === '*') r = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else if (i === a.length || j === b.length) r = false;
    else r = (a[i] === '?' || b[j] === '?' || a[i] === b[j]) && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** A pair of overlapping globs of the two sets ('*' overlaps any non-empty set), or undefined. */
export function overlap(
  a: Patterns | ReadonlySet<string>,
  b: Patterns | ReadonlySet<string>,
): string | undefined {
  const list = (x: Patterns | ReadonlySet<string>): readonly string[] | '*' =>
    x === '*' ? '*' : Array.isArray(x) ? x : [...(x as ReadonlySet<string>)];
  const la = list(a);
  const lb = list(b);
  if (la === '*' && lb === '*') return '*';
  if (la === '*') return lb[0];
  if (lb === '*') return la[0];
  for (const x of la)
    for (const y of lb) if (globsOverlap(x, y)) return x === y ? x : `${x} ~ ${y}`;
  return undefined;
}

/** Env keys a started process reads without naming them (search paths). */
export const PATH_LIKE_KEYS = [
  'PATH',
  'LD_LIBRARY_PATH',
  'DYLD_LIBRARY_PATH',
  'LIBRARY_PATH',
  'PYTHONPATH',
  'C_INCLUDE_PATH',
  'CPLUS_INCLUDE_PATH',
] as const;

/** Export globs a started process may see unasked: `+` lists, path-like keys, and any key
 *  without the CM_/MLC_ prefix (a program's own settings: CC, CUDA_HOME, HF_HOME ...). */
function implicitExport(e: Exports): string | undefined {
  if (e.env === '*') return '*';
  if (e.lists !== '*' && e.lists.length > 0) return `+${e.lists[0]}`;
  return e.env.find((p) => !/^(CM|MLC)_/.test(p));
}

/** State keys the engine hands to a native step itself (the wrapper's script_prefix). */
const IMPLICIT_STATE = ['script_prefix'];

const textPatternCache = new Map<string, RegExp>();
/** A glob as a search for a whole identifier in a text (`CM_PYTHON_*` finds CM_PYTHON_BIN). */
function textPattern(glob: string): RegExp {
  let re = textPatternCache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\*?]/g, (c) =>
      c === '*' ? '[A-Za-z0-9_]*' : c === '?' ? '[A-Za-z0-9_]' : `\\${c}`,
    );
    re = new RegExp(`(?<![A-Za-z0-9_])${body}(?![A-Za-z0-9_])`);
    textPatternCache.set(glob, re);
  }
  return re;
}

/** An exported name that the text names (read by a native script or hook), or undefined. */
function namedInText(patterns: Patterns, texts: readonly string[]): string | undefined {
  if (texts.length === 0) return undefined;
  if (patterns === '*') return '*';
  for (const p of patterns) if (texts.some((t) => textPattern(p).test(t))) return p;
  return undefined;
}

export interface ConflictOptions {
  /** Two subtrees with hooks never overlap (default true): hooks change the process's folder
   *  and share one Python worker, until the engine serialises hook calls itself. */
  exclusiveHooks?: boolean;
}

/**
 * Why dep subtree `b` may not start before its earlier sibling `a` has ended (a sentence), or
 * undefined when they are independent: b reads (selection, resolution, or its files name) what a
 * may export; both export one plain env key or state key; a exports what a process started in b
 * sees unasked; both run hooks; both need the caller's folder.
 */
export function conflictOf(
  a: SubtreeFootprint,
  b: SubtreeFootprint,
  options: ConflictOptions = {},
): string | undefined {
  const ea = a.exports;
  const read = overlap(ea.env, b.reads);
  if (read !== undefined) return `it reads ${read}, which the earlier dep may export`;
  const both = overlap(ea.plain, b.exports.plain) ?? overlap(ea.state, b.exports.state);
  if (both !== undefined) return `both may export ${both}`;
  if (b.runsSomething) {
    const implicit = implicitExport(ea) ?? overlap(ea.state, IMPLICIT_STATE);
    if (implicit !== undefined)
      return `the earlier dep may export ${implicit}, which a process it starts sees`;
  }
  const named = namedInText(ea.env, b.fileText) ?? namedInText(ea.state, b.fileText);
  if (named !== undefined)
    return `its scripts or hooks name ${named}, which the earlier dep may export`;
  if ((options.exclusiveHooks ?? true) && a.hooks && b.hooks) return 'both run hooks';
  if (a.usesCallerFolder && b.usesCallerFolder) return 'both run something in the same folder';
  return undefined;
}

/** Whether `b` must wait for its earlier sibling `a` (see conflictOf). */
export function conflicts(
  a: SubtreeFootprint,
  b: SubtreeFootprint,
  options: ConflictOptions = {},
): boolean {
  return conflictOf(a, b, options) !== undefined;
}
