// Variation resolution (§4.2–4.6): aliases, base, default_variations, group defaults, conflicts,
// combinations and dynamic `name.#` keys. Pure: metas and tags in, the ordered sub-metas out.
import { didYouMean } from '../did-you-mean.js';
import { CmError } from '../errors.js';
import { clone, isDict, mapStrings, type Dict } from '../merge.js';
import { isTruthy } from './env.js';

export interface ResolvedVariations {
  /** Final variation names (no exclusions), in resolution order. */
  tags: string[];
  /** Names excluded with `-_x`. */
  excluded: string[];
  /** Where each final variation came from (explicit, default of group g, base of x ...). */
  sources: Record<string, string>;
  /** Sub-metas to apply, in order (singles, each followed by the matching combinations). */
  apply: Array<{ key: string; meta: Dict }>;
  /** `_a,_b,_-c` as the reference's variation_tags_string (exclusions included). */
  tagsString: string;
}

/** The key of a variation in `variations` (exact, or the dynamic `prefix.#`) and its `#` value. */
export function variationKey(
  variations: Dict,
  tag: string,
): { key: string; value?: string } | undefined {
  if (Object.hasOwn(variations, tag)) return { key: tag };
  const dot = tag.indexOf('.');
  if (dot > 0 && !tag.endsWith('.')) {
    const key = `${tag.slice(0, dot)}.#`;
    if (Object.hasOwn(variations, key)) return { key, value: tag.slice(dot + 1) };
  }
  return undefined;
}

/** Replace `#` by `value` in string values of a sub-meta (dicts and lists, any depth). */
export function substituteHash(v: unknown, value: string): unknown {
  return mapStrings(v, (s) => s.split('#').join(value));
}

const META_KEYS_NOT_APPLIED = new Set(['group', 'default', 'base', 'alias', 'default_variations']);

function variationBadInput(message: string, hint?: string): CmError {
  return new CmError('bad-input', message, hint ? { hint } : {});
}

/** Variation names grouped for messages: `group prec: _fp16, _fp32; other: _onnx`. */
export function describeVariations(variations: Dict): string {
  const groups = new Map<string, string[]>();
  for (const [k, v] of Object.entries(variations)) {
    if (k.includes(',')) continue;
    const g = isDict(v) && typeof v['group'] === 'string' ? v['group'] : '';
    const list = groups.get(g) ?? [];
    list.push(`_${k}`);
    groups.set(g, list);
  }
  const combos = Object.keys(variations).filter((k) => k.includes(','));
  return [
    ...[...groups.entries()]
      .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
      .map(([g, l]) => `${g ? `group ${g}` : 'no group'}: ${l.sort().join(' ')}`),
    ...(combos.length ? [`combinations (not selectable alone): ${combos.join(' ')}`] : []),
  ].join('; ');
}

export function unknownVariationError(script: string, variations: Dict, tag: string): CmError {
  const names = Object.keys(variations).filter((k) => !k.includes(','));
  const dym = didYouMean(tag, names);
  return new CmError(
    'variation-unknown',
    `variation "_${tag}" is not defined by script "${script}"`,
    {
      hint: `${dym ? `${dym.replace(/"([^"]+)"/g, '"_$1"')} ` : ''}valid variations: ${describeVariations(variations) || '(none)'}`,
    },
  );
}

/**
 * The variations being selected for one run: what the meta defines, what is excluded, and the
 * names selected so far (with where each came from). The phases of resolveVariations share it.
 */
interface Selection {
  script: string;
  variations: Dict;
  excluded: string[];
  tags: string[];
  sources: Record<string, string>;
}

/** A variation's sub-meta (exact or dynamic key); {} when it is not a dict. */
function subMetaOf(s: Selection, t: string): Dict {
  const k = variationKey(s.variations, t);
  const m = k ? s.variations[k.key] : undefined;
  return isDict(m) ? m : {};
}

function isExcluded(s: Selection, t: string): boolean {
  return (
    s.excluded.includes(t) ||
    (t.includes('.') && s.excluded.some((x) => x.endsWith('.#') && t.startsWith(x.slice(0, -1))))
  );
}

function select(s: Selection, t: string, source: string): void {
  if (s.tags.includes(t)) return;
  s.tags.push(t);
  s.sources[t] = source;
}

function groupOf(s: Selection, t: string): string | undefined {
  const k = variationKey(s.variations, t)?.key ?? t;
  const m = s.variations[k];
  return isDict(m) && typeof m['group'] === 'string' ? m['group'] : undefined;
}

/** The variations named in the tags (`-x` excludes), then the ones their aliases point to. */
function selectExplicit(s: Selection, explicit: readonly string[]): void {
  for (const t of explicit) {
    if (t.startsWith('-')) continue;
    if (s.excluded.includes(t))
      throw variationBadInput(`variation "_${t}" is both selected and excluded (-_${t})`);
    if (!variationKey(s.variations, t)) throw unknownVariationError(s.script, s.variations, t);
    select(s, t, 'explicit');
  }
  for (const t of [...s.tags]) {
    const m = subMetaOf(s, t);
    if (typeof m['alias'] !== 'string') continue;
    const target = m['alias'];
    if ('group' in m)
      throw variationBadInput(`Incompatible combinations: (alias, group) in variation "_${t}"`);
    if ('default' in m)
      throw variationBadInput(`Incompatible combinations: (alias, default) in variation "_${t}"`);
    if (isExcluded(s, target))
      throw variationBadInput(`alias variation "_${t}" points to "_${target}", which is excluded`);
    if (!variationKey(s.variations, target))
      throw variationBadInput(
        `alias variation "_${t}" points to "_${target}", which does not exist`,
      );
    select(s, target, `alias _${t}`);
  }
}

interface Group {
  members: string[];
  default?: string;
}

/** The variation groups with their members and their default (at most one). */
function groupsOf(variations: Dict): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const [k, v] of Object.entries(variations)) {
    if (!isDict(v) || typeof v['group'] !== 'string') continue;
    const g = groups.get(v['group']) ?? { members: [] };
    g.members.push(k);
    // The reference takes any true-ish `default` (`default: true,` in a published meta is the
    // string "true,"); only a false-like value means no.
    if (isTruthy(v['default'])) {
      if (g.default !== undefined)
        throw variationBadInput(
          `Multiple defaults specified for the variation group "${v['group']}": _${g.default}, _${k}`,
        );
      g.default = k;
    }
    groups.set(v['group'], g);
  }
  return groups;
}

/** The meta's `default_variation`, selected only when the tags name no variation at all. */
function selectDefaultVariation(s: Selection, meta: Dict, explicit: readonly string[]): void {
  const dv = meta['default_variation'];
  if (typeof dv === 'string' && dv !== '' && explicit.length === 0 && !isExcluded(s, dv)) {
    if (!variationKey(s.variations, dv))
      throw variationBadInput(
        `default_variation "${dv}" is not a variation of script "${s.script}"`,
      );
    select(s, dv, 'default_variation');
  }
}

/**
 * Adds what the selected variations bring (their `base`, their and their combinations'
 * `default_variations`) and the defaults of groups with no member selected, until nothing changes.
 */
function expandSelection(s: Selection, groups: Map<string, Group>): void {
  const originalGroups = new Set(s.tags.map((t) => groupOf(s, t)).filter((g) => g !== undefined));
  const applyDefaultVariations = (m: Dict, owner: string): void => {
    const dvs = m['default_variations'];
    if (!isDict(dvs)) return;
    for (const [g, name] of Object.entries(dvs)) {
      if (!groups.has(g))
        throw variationBadInput(`default_variations of ${owner} names unknown group "${g}"`);
      const n = String(name);
      if (originalGroups.has(g) || isExcluded(s, n) || s.tags.includes(n)) continue;
      if (s.tags.some((x) => groupOf(s, x) === g)) continue;
      if (!variationKey(s.variations, n))
        throw variationBadInput(`default_variations of ${owner}: "_${n}" is not a variation`);
      select(s, n, `default_variations of ${owner}`);
    }
  };
  for (let round = 0; round < 20; round++) {
    const before = s.tags.length;
    for (let i = 0; i < s.tags.length; i++) {
      const t = s.tags[i]!;
      const m = subMetaOf(s, t);
      selectBase(s, t, m['base']);
      applyDefaultVariations(m, `_${t}`);
    }
    // default_variations of combinations whose parts are all present.
    for (const [k, v] of Object.entries(s.variations)) {
      if (!k.includes(',') || !isDict(v)) continue;
      if (k.split(',').every((p) => s.tags.includes(p.trim()))) applyDefaultVariations(v, `_${k}`);
    }
    selectGroupDefaults(s, groups);
    if (s.tags.length === before) break;
  }
}

/** The `base` variations of the selected variation `t`. */
function selectBase(s: Selection, t: string, base: unknown): void {
  if (!Array.isArray(base)) return;
  for (const b of base.map(String)) {
    if (isExcluded(s, b))
      throw variationBadInput(
        `Variation "${b}" specified as base variation for the variation "${t}" is in the excluded list`,
      );
    const dot = b.indexOf('.');
    if (dot > 0 && s.tags.some((x) => x.startsWith(b.slice(0, dot + 1)))) continue;
    if (!variationKey(s.variations, b))
      throw variationBadInput(`base variation "_${b}" of "_${t}" does not exist`);
    select(s, b, `base of _${t}`);
  }
}

/** At most one variation of a group; a group with none gets its default (unless excluded). */
function selectGroupDefaults(s: Selection, groups: Map<string, Group>): void {
  for (const [g, def] of groups) {
    const selected = s.tags.filter((t) => groupOf(s, t) === g);
    if (selected.length > 1)
      throw variationBadInput(
        `Multiple variation tags selected for the variation group "${g}": ${selected.map((x) => `_${x}`).join(', ')}`,
        `choose one of ${def.members.map((x) => `_${x}`).join(', ')}`,
      );
    if (selected.length === 0 && def.default !== undefined && !isExcluded(s, def.default))
      select(s, def.default, `default of group ${g}`);
  }
}

/** `invalid_variation_combinations` and `valid_variation_combinations` of the meta. */
function checkCombinations(s: Selection, meta: Dict): void {
  const has = (combo: unknown): boolean =>
    Array.isArray(combo) && combo.map(String).every((p) => s.tags.includes(p.replace(/^_/, '')));
  const invalid = meta['invalid_variation_combinations'];
  if (Array.isArray(invalid)) {
    for (const c of invalid)
      if (has(c))
        throw variationBadInput(
          `Invalid variation combination ${JSON.stringify(c)} selected for script "${s.script}"`,
        );
  }
  const valid = meta['valid_variation_combinations'];
  if (Array.isArray(valid) && valid.length > 0 && !valid.some(has))
    throw variationBadInput(
      `the selected variations ${s.tags.map((t) => `_${t}`).join(',')} are not one of the valid combinations ${JSON.stringify(valid)}`,
    );
}

/**
 * The sub-metas to apply, in order: each single (`#` replaced in a dynamic one), then every
 * combination whose parts are all selected (MLC: the singles, then each combination once).
 */
function applicationOrder(
  s: Selection,
  combinationsOnce: boolean,
): Array<{ key: string; meta: Dict }> {
  const combos = Object.keys(s.variations)
    .filter((k) => k.includes(',') && k.split(',').every((p) => s.tags.includes(p.trim())))
    .sort((a, b) => a.split(',').length - b.split(',').length);
  const apply: Array<{ key: string; meta: Dict }> = [];
  const applyCombos = (): void => {
    for (const c of combos) {
      const cm = clone(s.variations[c]);
      if (isDict(cm)) {
        for (const key of META_KEYS_NOT_APPLIED) delete cm[key];
        apply.push({ key: c, meta: cm });
      }
    }
  };
  for (const t of s.tags) {
    const k = variationKey(s.variations, t)!;
    let m = clone(subMetaOf(s, t));
    if (k.value !== undefined) m = substituteHash(m, k.value) as Dict;
    for (const key of META_KEYS_NOT_APPLIED) delete m[key];
    apply.push({ key: t, meta: m });
    if (!combinationsOnce) applyCombos();
  }
  if (combinationsOnce) applyCombos();
  return apply;
}

/**
 * The variations a run selects (§4.2–4.6): the explicit ones and their aliases, the
 * default_variation, then base, default_variations and group defaults until stable; checked
 * against the meta's (in)valid combinations.
 */
export function resolveVariations(
  script: string,
  meta: Dict,
  explicit: readonly string[],
  /** mlcflow applies each matching combination once, after all singles; CM after every single. */
  combinationsOnce = false,
): ResolvedVariations {
  const s: Selection = {
    script,
    variations: isDict(meta['variations']) ? meta['variations'] : {},
    excluded: explicit.filter((t) => t.startsWith('-')).map((t) => t.slice(1)),
    tags: [],
    sources: {},
  };
  selectExplicit(s, explicit);
  const groups = groupsOf(s.variations);
  selectDefaultVariation(s, meta, explicit);
  expandSelection(s, groups);
  checkCombinations(s, meta);
  const apply = applicationOrder(s, combinationsOnce);
  const tagsString = [...s.tags, ...s.excluded.map((x) => `-${x}`)].map((t) => `_${t}`).join(',');
  return { tags: s.tags, excluded: s.excluded, sources: s.sources, apply, tagsString };
}

/** Split a tag list into script tags, variations (`_x`, `-_x` as `-x`) and negative tags. */
export function splitScriptTags(tags: readonly string[]): {
  include: string[];
  exclude: string[];
  variations: string[];
} {
  const include: string[] = [];
  const exclude: string[] = [];
  const variations: string[] = [];
  for (const t of tags) {
    if (t.startsWith('_')) {
      if (!variations.includes(t.slice(1))) variations.push(t.slice(1));
    } else if (t.startsWith('-_')) {
      if (!variations.includes(`-${t.slice(2)}`)) variations.push(`-${t.slice(2)}`);
    } else if (t.startsWith('-') && t.length > 1) {
      if (!exclude.includes(t.slice(1))) exclude.push(t.slice(1));
    } else if (!include.includes(t)) include.push(t);
  }
  const common = include.filter((t) => exclude.includes(t));
  if (common.length > 0)
    throw new CmError(
      'bad-input',
      `There is common tags {${common.map((c) => `'${c}'`).join(', ')}} in the included and excluded lists`,
      { hint: 'a tag cannot be both required and excluded' },
    );
  const vcommon = variations.filter((v) => !v.startsWith('-') && variations.includes(`-${v}`));
  if (vcommon.length > 0)
    throw new CmError(
      'bad-input',
      `There is common variations {${vcommon.map((c) => `'_${c}'`).join(', ')}} in the included and excluded lists`,
    );
  return { include, exclude, variations };
}
