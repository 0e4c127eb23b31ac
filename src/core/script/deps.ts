// Dependency lists: `append_deps` (variations override deps by names), `--ad`/`--adr` updates,
// and the tags a dep runs with (update_tags_from_env*, inherited variations). Pure.
import { CmError } from '../errors.js';
import { clone, isDict, mapStrings, mergeDicts, type Dict } from '../merge.js';
import { tagList } from '../tags.js';
import { envString, expandString, isTruthy, skipReason, type Env } from './env.js';

export const DEP_LISTS = ['deps', 'prehook_deps', 'posthook_deps', 'post_deps'] as const;
export type DepList = (typeof DEP_LISTS)[number];

/** Dep keys the automation itself interprets; any other key becomes an input of the child run. */
export const DEP_KEYS: ReadonlySet<string> = new Set([
  'tags',
  'names',
  'enable_if_env',
  'enable_if_any_env',
  'skip_if_env',
  'skip_if_any_env',
  'skip_if_fake_run',
  'env',
  'const',
  'state',
  'const_state',
  'force_env_keys',
  'update_tags_from_env_with_prefix',
  'update_tags_from_env',
  'inherit_variation_tags',
  'skip_inherit_variation_groups',
  'reuse_version',
  'dynamic',
]);

export function namesOf(d: Dict): string[] {
  const n = d['names'];
  return Array.isArray(n) ? n.map(String) : typeof n === 'string' ? [n] : [];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** `append_deps`: a dep with the same names (or, without names, the same tag set) is replaced. */
export function appendDeps(deps: Dict[], extra: unknown): void {
  if (!Array.isArray(extra)) return;
  for (const raw of extra) {
    if (!isDict(raw)) continue;
    const d = clone(raw);
    const names = namesOf(d);
    let at = -1;
    if (names.length > 0) at = deps.findIndex((x) => sameSet(namesOf(x), names));
    else {
      const tags = tagList(d['tags']);
      at = deps.findIndex((x) => namesOf(x).length === 0 && sameSet(tagList(x['tags']), tags));
    }
    if (at >= 0) deps[at] = d;
    else deps.push(d);
  }
}

/** Apply one update (`{tags: '_x', version: '1'}`) to a dep: tags united, dicts merged, rest set. */
export function updateDepInfo(dep: Dict, update: Dict): void {
  for (const [k, v] of Object.entries(update)) {
    if (k.includes('enable_if_') || k.includes('skip_if_')) continue;
    if (k === 'tags') {
      const current = tagList(dep['tags']);
      for (const t of tagList(v)) if (!t.includes('<<<') && !current.includes(t)) current.push(t);
      dep['tags'] = current.join(',');
    } else if (isDict(v)) {
      dep[k] = mergeDicts(isDict(dep[k]) ? (dep[k] as Dict) : {}, v);
    } else if (Array.isArray(v)) {
      dep[k] = [...(Array.isArray(dep[k]) ? (dep[k] as unknown[]) : []), ...clone(v)];
    } else dep[k] = v;
  }
}

/**
 * `--ad`/`--adr`/variation `ad`: apply `{name: update}` to every dep of the lists whose names hold
 * `name`. With `failIfMissing`, a name that no dep of any list has is an error.
 */
export function updateDeps(
  lists: ReadonlyArray<Dict[]>,
  updates: Dict,
  env: Env,
  failIfMissing: boolean,
  scriptName = '',
): void {
  for (const [name, rawUpdate] of Object.entries(updates)) {
    if (!isDict(rawUpdate)) continue;
    const update = mapStrings(rawUpdate, (x) => expandString(x, env)) as Dict;
    if (skipReason(update, env) !== undefined) continue;
    let found = false;
    for (const list of lists) {
      for (const dep of list) {
        if (!namesOf(dep).includes(name)) continue;
        found = true;
        updateDepInfo(dep, update);
      }
    }
    if (!found && failIfMissing) {
      const known = [...new Set(lists.flatMap((l) => l.flatMap(namesOf)))];
      throw new CmError(
        'bad-input',
        `${name} is not one of the dependency names of script ${scriptName}`,
        {
          hint: known.length
            ? `dependency names: ${known.join(', ')}`
            : 'this script has no named dependencies',
        },
      );
    }
  }
}

/** Merge adr dicts: tags united as strings, other keys merged. */
export function mergeAdr(target: Dict, extra: unknown): Dict {
  if (!isDict(extra)) return target;
  for (const [name, upd] of Object.entries(extra)) {
    if (!isDict(upd)) continue;
    const cur = isDict(target[name]) ? (target[name] as Dict) : (target[name] = {});
    updateDepInfo(cur, upd);
  }
  return target;
}

/**
 * Tags a dep runs with: its own, plus `update_tags_from_env_with_prefix`, `update_tags_from_env`
 * and the parent's variations (`inherit_variation_tags`, minus `skip_inherit_variation_groups`).
 */
export function depTags(
  d: Dict,
  env: Env,
  parent: { tagsString: string; groupOf: (v: string) => string | undefined },
): string {
  const tags = tagList(d['tags']);
  const denv = isDict(d['env']) ? d['env'] : {};
  const pref = d['update_tags_from_env_with_prefix'];
  if (isDict(pref)) {
    for (const [prefix, keys] of Object.entries(pref)) {
      for (const k of Array.isArray(keys) ? keys : [keys]) {
        const key = String(k);
        const v = denv[key] !== undefined && denv[key] !== '' ? denv[key] : env[key];
        if (v !== undefined && v !== '' && v !== null) tags.push(`${prefix}${envString(v)}`);
      }
    }
  }
  const fromEnv = d['update_tags_from_env'];
  if (Array.isArray(fromEnv)) {
    for (const k of fromEnv) {
      const v = env[String(k)];
      if (v !== undefined && v !== '' && v !== null) tags.push(...tagList(envString(v)));
    }
  }
  // MLC: update_tags_if_env {TAG: {enable_if_env: ...}} adds TAG when its condition holds.
  const ifEnv = d['update_tags_if_env'];
  if (isDict(ifEnv)) {
    for (const [t, cond] of Object.entries(ifEnv))
      if (isDict(cond) && skipReason(cond, env) === undefined) tags.push(...tagList(t));
  }
  if (isTruthy(d['inherit_variation_tags'])) {
    const skipGroups = Array.isArray(d['skip_inherit_variation_groups'])
      ? d['skip_inherit_variation_groups'].map(String)
      : [];
    for (const t of tagList(parent.tagsString)) {
      const v = t.slice(1);
      if (v.startsWith('-')) {
        // An exclusion (`_-x`) is passed on as it is, unless the dep selects `_x` itself.
        const x = v.slice(1);
        const g = parent.groupOf(x);
        if (tags.includes(`_${x}`) || (g !== undefined && skipGroups.includes(g))) continue;
        if (!tags.includes(`-_${x}`) && !tags.includes(`_-${x}`)) tags.push(`_-${x}`);
        continue;
      }
      if (tags.includes(`-_${v}`) || tags.includes(`_-${v}`) || tags.includes(t)) continue;
      const g = parent.groupOf(v);
      if (g !== undefined && skipGroups.includes(g)) continue;
      tags.push(t);
    }
  }
  return [...new Set(tags)].join(',');
}
