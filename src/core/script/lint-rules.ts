// The rules of `cm lint script` that look past the shape of one meta: variations named but not
// defined, deps whose tags match no script, ad/adr names no dep has, new_env_keys nothing sets.
// Pure: what the other scripts define comes in as LintFacts; the schema rules are in meta-schema.ts.
import { nearest } from '../did-you-mean.js';
import { isDict, type Dict } from '../merge.js';
import { tagList } from '../tags.js';
import { DEP_LISTS, namesOf } from './deps.js';
import { variationKey } from './variations.js';

export type LintRule =
  | 'parse-error'
  | 'unknown-key'
  | 'wrong-type'
  | 'duplicate-key'
  | 'unknown-variation'
  | 'unknown-dep-tags'
  | 'unknown-dep-name'
  | 'unset-new-env-key';

export const LINT_RULES: readonly LintRule[] = [
  'parse-error',
  'unknown-key',
  'wrong-type',
  'duplicate-key',
  'unknown-variation',
  'unknown-dep-tags',
  'unknown-dep-name',
  'unset-new-env-key',
];

export type Severity = 'error' | 'warning';

export interface LintProblem {
  rule: LintRule;
  severity: Severity;
  path: ReadonlyArray<string | number>;
  message: string;
}

/** What the registered repos define, as the rules need it. */
export interface LintFacts {
  /** Some script has all these tags. */
  hasScript(tags: readonly string[]): boolean;
  /** Dep names of every script (`adr` reaches the deps of deps). */
  depNames: ReadonlySet<string>;
  /** new_env_keys patterns and env keys of the scripts a dep with these tags may run. */
  exportsOf(tags: readonly string[]): readonly string[];
  /** Text of the script's hooks and native scripts (customize.py, run.sh ...). */
  scriptTexts: readonly string[];
}

type Path = Array<string | number>;

/** The top-level meta, each variation and each version: the places deps and env keys are. */
function subMetas(meta: Dict): Array<{ path: Path; sub: Dict }> {
  const out: Array<{ path: Path; sub: Dict }> = [{ path: [], sub: meta }];
  for (const k of ['variations', 'versions']) {
    const d = meta[k];
    if (!isDict(d)) continue;
    for (const [name, sub] of Object.entries(d))
      if (isDict(sub)) out.push({ path: [k, name], sub });
  }
  return out;
}

/** Every dep: of the four lists of each sub-meta, and of its docker dict (`cm docker` runs those). */
function depsOf(meta: Dict): Array<{ path: Path; dep: Dict }> {
  const out: Array<{ path: Path; dep: Dict }> = [];
  const add = (deps: unknown, path: Path): void => {
    if (Array.isArray(deps))
      deps.forEach((dep, i) => {
        if (isDict(dep)) out.push({ path: [...path, i], dep });
      });
  };
  for (const { path, sub } of subMetas(meta)) {
    for (const list of DEP_LISTS) add(sub[list], [...path, list]);
    if (isDict(sub['docker'])) add(sub['docker']['deps'], [...path, 'docker', 'deps']);
  }
  return out;
}

/** Tags a dep must have to match: not variations, not excluded, not filled in from env. */
function requiredTags(dep: Dict): string[] | undefined {
  const t = dep['tags'];
  if (typeof t !== 'string' && !Array.isArray(t)) return undefined;
  const tags = tagList(t).map((x) => String(x).trim());
  if (tags.some((x) => x.includes('<<<') || x.includes('#'))) return undefined;
  return tags.filter((x) => x !== '' && !x.startsWith('_') && !x.startsWith('-'));
}

function checkVariations(meta: Dict, all: Dict, out: LintProblem[]): void {
  const variations = meta['variations'];
  if (!isDict(variations)) return;
  const groups = new Set(
    Object.values(all)
      .map((v) => (isDict(v) ? v['group'] : undefined))
      .filter((g): g is string => typeof g === 'string'),
  );
  const names = Object.keys(all);
  const check = (name: unknown, path: Path, where: string): void => {
    if (typeof name !== 'string') return;
    const n = name.replace(/^[-_]/, '');
    if (n === '' || n.includes('#') || variationKey(all, n) !== undefined) return;
    out.push({
      rule: 'unknown-variation',
      severity: 'error',
      path,
      message: `${where} names variation "${n}", which this script does not define${nearestText(n, names)}`,
    });
  };
  for (const [name, v] of Object.entries(variations)) {
    if (!isDict(v)) continue;
    const at: Path = ['variations', name];
    const base = v['base'];
    if (Array.isArray(base))
      base.forEach((b, i) => check(b, [...at, 'base', i], `variations.${name}.base`));
    check(v['alias'], [...at, 'alias'], `variations.${name}.alias`);
    const dv = v['default_variations'];
    if (!isDict(dv)) continue;
    for (const [group, value] of Object.entries(dv)) {
      const path: Path = [...at, 'default_variations', group];
      if (!groups.has(group))
        out.push({
          rule: 'unknown-variation',
          severity: 'error',
          path,
          message: `variations.${name}.default_variations names group "${group}", which no variation of this script has${nearestText(group, groups)}`,
        });
      check(value, path, `variations.${name}.default_variations.${group}`);
    }
  }
}

/** ": did you mean X?" or nothing; a short name inside a long one (`a` in `zz`) is no near miss. */
function nearestText(name: string, among: Iterable<string>): string {
  const near = nearest(name, among, 1).filter(
    (k) => k.length * 2 >= name.length && name.length * 2 >= k.length,
  );
  return near.length ? `: did you mean ${near[0]}?` : '';
}

function checkDeps(meta: Dict, facts: LintFacts, out: LintProblem[]): void {
  for (const { path, dep } of depsOf(meta)) {
    const tags = requiredTags(dep);
    if (!tags || tags.length === 0 || facts.hasScript(tags)) continue;
    out.push({
      rule: 'unknown-dep-tags',
      severity: 'error',
      path: [...path, 'tags'],
      message: `no script in the registered repos has the tags ${tags.join(',')}`,
    });
  }
}

function checkDepNames(meta: Dict, facts: LintFacts, out: LintProblem[]): void {
  const local = new Set(depsOf(meta).flatMap(({ dep }) => namesOf(dep)));
  const places: Array<{ path: Path; sub: Dict }> = [
    ...subMetas(meta),
    ...depsOf(meta).map(({ path, dep }) => ({ path, sub: dep })),
  ];
  for (const { path, sub } of places)
    for (const key of ['ad', 'add_deps', 'adr', 'add_deps_recursive']) {
      const updates = sub[key];
      if (!isDict(updates)) continue;
      const isRecursive = key.startsWith('adr') || key === 'add_deps_recursive';
      for (const name of Object.keys(updates)) {
        if (local.has(name) || (isRecursive && facts.depNames.has(name))) continue;
        out.push({
          rule: 'unknown-dep-name',
          severity: 'error',
          path: [...path, key, name],
          message: `${key} names "${name}", which no dep ${isRecursive ? 'of this script or of the scripts it may run' : 'of this script'} has in its names${nearestText(name, isRecursive ? [...local, ...facts.depNames] : local)}`,
        });
      }
    }
}

/** Whether `pattern` (a key or a glob like CM_ML_*) and `key` (the same) can name one env key. */
function overlaps(pattern: string, key: string): boolean {
  const prefix = (s: string): [string, boolean] => {
    const star = s.search(/[*?]/);
    return star < 0 ? [s, false] : [s.slice(0, star), true];
  };
  const [a, aGlob] = prefix(pattern.replace(/^\+/, ''));
  const [b, bGlob] = prefix(key.replace(/^\+/, ''));
  if (aGlob && b.startsWith(a)) return true;
  if (bGlob && a.startsWith(b)) return true;
  return a === b;
}

function checkNewEnvKeys(meta: Dict, facts: LintFacts, out: LintProblem[]): void {
  const set: string[] = [];
  for (const { sub } of subMetas(meta)) {
    for (const k of ['env', 'default_env', 'const'])
      if (isDict(sub[k])) set.push(...Object.keys(sub[k]));
    if (isDict(sub['input_mapping']))
      set.push(...Object.values(sub['input_mapping']).filter((v) => typeof v === 'string'));
  }
  for (const { dep } of depsOf(meta)) {
    const tags = requiredTags(dep);
    if (tags && tags.length) set.push(...facts.exportsOf(tags));
    if (Array.isArray(dep['force_new_env_keys']))
      set.push(...dep['force_new_env_keys'].map(String));
  }
  for (const { path, sub } of subMetas(meta)) {
    const keys = sub['new_env_keys'];
    if (!Array.isArray(keys)) continue;
    keys.forEach((k, i) => {
      if (typeof k !== 'string' || k.includes('<<<')) return;
      const bare = k.replace(/^\+/, '');
      const prefix = bare.split(/[*?]/)[0] ?? '';
      if (prefix === '' || set.some((s) => overlaps(s, bare))) return;
      if (facts.scriptTexts.some((t) => t.includes(prefix))) return;
      out.push({
        rule: 'unset-new-env-key',
        severity: 'warning',
        path: [...path, 'new_env_keys', i],
        message: `new_env_keys: nothing sets ${k} (not env, default_env, const or input_mapping, not the hooks or native scripts, not a dep's new_env_keys)`,
      });
    });
  }
}

/**
 * The cross-reference problems of one meta file. `meta` is the file's own content; `variations`
 * all variations of the script (its other meta file may define some).
 */
export function lintScriptMeta(meta: Dict, variations: Dict, facts: LintFacts): LintProblem[] {
  const out: LintProblem[] = [];
  checkVariations(meta, variations, out);
  checkDeps(meta, facts, out);
  checkDepNames(meta, facts, out);
  checkNewEnvKeys(meta, facts, out);
  return out;
}

/** The names of every dep of a meta (top level, variations, versions). */
export function depNamesOf(meta: Dict): string[] {
  return depsOf(meta).flatMap(({ dep }) => namesOf(dep));
}
