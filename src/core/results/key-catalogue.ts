// The key catalogue of a set of result rows (gui.md §5.2): per key its kind, counts, range and
// samples, in the order of CM's `_graph` page (its preferred keys first, then the rest A to Z).
import { numericValue } from '../experiment/numeric-value.js';
import { DistinctNumbers } from './distinct-numbers.js';
import { PROVENANCE_ORIGIN_FIELDS } from './reserved-fields.js';
import type { RowTable } from './row-table.js';
import type { KeyInfo, KeyKind, KeyOrigin, ResultRow } from './types.js';

/** The keys CM's `_graph` page lists first, in this order, when rows have them. */
export const PREFERRED_KEYS = [
  'Organization',
  'Model',
  'Scenario',
  'SystemName',
  'notes',
  'framework',
  'Result',
  'Result_Units',
  'Accuracy',
] as const;

const MAX_SAMPLES = 20;

export interface CatalogueOptions {
  /** Keys of the runs' explore dicts (the swept variables). */
  explored?: ReadonlySet<string>;
  /** Keys written by derived metrics. */
  derived?: ReadonlySet<string>;
}

/** What is known of a key while the rows go by. */
interface Tally {
  name: string;
  /** `_id`: unique by contract, so its distinct values are not counted one by one. */
  isUnique: boolean;
  present: number;
  numbers: number;
  /** Non-empty strings; CMX stores every value as one. */
  texts: number;
  /** Some non-empty string does not spell a number (then the key cannot be a number). */
  hasProse: boolean;
  /** Empty strings: they neither make a key textual nor numeric. */
  empty: number;
  booleans: number;
  json: number;
  min: number;
  max: number;
  /** Distinct values: numbers, strings, and the others (booleans, JSON texts). */
  distinctNumbers: DistinctNumbers;
  distinctTexts: Set<string>;
  distinctOthers: Set<unknown>;
  samples: unknown[];
  /** Distinct values stopped being counted at DISTINCT_CAP (then `distinct` is a lower bound). */
  capped: boolean;
}

/**
 * Distinct values counted per key, at most: what a page needs (legends, "constant", samples)
 * is small, while hashing 100,000 unique ids per query is most of a query's time.
 */
export const DISTINCT_CAP = 1000;

function newTally(name: string): Tally {
  return {
    name,
    isUnique: name === '_id',
    present: 0,
    numbers: 0,
    texts: 0,
    hasProse: false,
    empty: 0,
    booleans: 0,
    json: 0,
    min: Infinity,
    max: -Infinity,
    distinctNumbers: new DistinctNumbers(),
    distinctTexts: new Set(),
    distinctOthers: new Set(),
    samples: [],
    capped: false,
  };
}

/** Counts a string's kind and numeric range (not its distinctness). */
function countText(t: Tally, v: string): void {
  if (v === '') t.empty++;
  else {
    t.texts++;
    // Once a string is not a number the key is text: no need to parse the others.
    const x = t.hasProse ? undefined : numericValue(v);
    if (x === undefined) t.hasProse = true;
    else {
      if (x < t.min) t.min = x;
      if (x > t.max) t.max = x;
    }
  }
}

function countNumber(t: Tally, v: number): void {
  t.numbers++;
  if (v < t.min && v !== -Infinity) t.min = v;
  if (v > t.max && v !== Infinity) t.max = v;
}

function addValue(t: Tally, v: unknown): void {
  if (v === null || v === undefined) return;
  t.present++;
  if (t.capped || t.isUnique) {
    addUncounted(t, v);
    return;
  }
  let isNew: boolean;
  if (typeof v === 'number') {
    countNumber(t, v);
    isNew = t.distinctNumbers.add(v);
  } else if (typeof v === 'string') {
    countText(t, v);
    const size = t.distinctTexts.size;
    isNew = t.isUnique || t.distinctTexts.add(v).size > size;
  } else {
    if (typeof v === 'boolean') t.booleans++;
    else t.json++;
    const id = typeof v === 'boolean' ? v : JSON.stringify(v);
    const size = t.distinctOthers.size;
    isNew = t.distinctOthers.add(id).size > size;
  }
  if (isNew && t.samples.length < MAX_SAMPLES) t.samples.push(v);
  if (isNew && distinctOf(t) >= DISTINCT_CAP) t.capped = true;
}

/** A value of a capped key: its kind and range still count, its distinctness no longer. */
function addUncounted(t: Tally, v: unknown): void {
  if (typeof v === 'number') countNumber(t, v);
  else if (typeof v === 'string') countText(t, v);
  else if (typeof v === 'boolean') t.booleans++;
  else t.json++;
}

/** How many distinct values the key has. */
function distinctOf(t: Tally): number {
  if (t.isUnique) return t.present;
  return t.distinctNumbers.size + t.distinctTexts.size + t.distinctOthers.size;
}

function kindOf(t: Tally): KeyKind {
  const { present } = t;
  if (present > 0 && t.json === present) return 'json';
  if (present > 0 && t.booleans === present) return 'boolean';
  const numeric = t.numbers + t.texts;
  if (!t.hasProse && numeric > 0 && numeric + t.empty === present) return 'number';
  if (present > 0 && t.texts + t.empty === present) return 'string';
  return 'mixed';
}

function originOf(name: string, options: CatalogueOptions): KeyOrigin {
  if (PROVENANCE_ORIGIN_FIELDS.has(name)) return 'provenance';
  if (options.derived?.has(name)) return 'derived';
  if (options.explored?.has(name)) return 'explored';
  return 'result';
}

function infoOf(t: Tally, rows: number, options: CatalogueOptions): KeyInfo {
  const kind = kindOf(t);
  const isNumber = kind === 'number';
  const info: KeyInfo = {
    name: t.name,
    kind,
    present: t.present,
    distinct: distinctOf(t),
    ...(t.capped ? { distinctCapped: true } : {}),
    samples: isNumber
      ? t.samples.map((v) => (typeof v === 'string' ? (numericValue(v) ?? v) : v))
      : t.samples,
    constant: rows > 0 && t.present === rows && distinctOf(t) === 1,
    origin: originOf(t.name, options),
  };
  if (isNumber && t.min <= t.max) {
    info.min = t.min;
    info.max = t.max;
  }
  return info;
}

/** CM's order: the preferred keys present, then the others case-insensitively (ties by code unit). */
function ordered(names: Iterable<string>): string[] {
  const preferred: string[] = [];
  const rest: Array<{ name: string; lower: string }> = [];
  const isPreferred: ReadonlySet<string> = new Set(PREFERRED_KEYS);
  const all = new Set(names);
  for (const p of PREFERRED_KEYS) if (all.has(p)) preferred.push(p);
  for (const name of all)
    if (!isPreferred.has(name)) rest.push({ name, lower: name.toLowerCase() });
  rest.sort((a, b) =>
    a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return [...preferred, ...rest.map((r) => r.name)];
}

/** Tallies of the keys of the table's `rows`, the derived metrics standing in for row keys. */
function tallyTable(table: RowTable, rows: Iterable<number>): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  const derived = table.derived;
  // Rows mostly share their keys in the same order: the previous row's tallies are tried first.
  const lastKeys: string[] = [];
  const lastTallies: Array<Tally | undefined> = [];
  for (const r of rows) {
    const row = table.rows[r]!;
    let i = 0;
    for (const key in row) {
      let t: Tally | undefined;
      if (lastKeys[i] === key) t = lastTallies[i];
      else {
        const isSkipped = derived.has(key) || !Object.hasOwn(row, key);
        t = isSkipped ? undefined : tallies.get(key);
        if (!t && !isSkipped) tallies.set(key, (t = newTally(key)));
        lastKeys[i] = key;
        lastTallies[i] = t;
      }
      i++;
      if (t) addValue(t, row[key]);
    }
  }
  for (const [name, column] of derived) {
    const t = newTally(name);
    tallies.set(name, t);
    for (const r of rows) addValue(t, column[r]);
  }
  return tallies;
}

/** The catalogue of a query's rows: `rows` of `table`, with its derived metrics. */
export function tableCatalogue(
  table: RowTable,
  rows: readonly number[],
  options: CatalogueOptions = {},
): KeyInfo[] {
  const tallies = tallyTable(table, rows);
  return ordered(tallies.keys()).map((name) => infoOf(tallies.get(name)!, rows.length, options));
}

/**
 * One KeyInfo per key of any row. A key is a number when every non-empty value is a number or
 * a string spelling one (CMX), a string when every value is text, boolean or json when all
 * values are; anything else is mixed. Nulls count nowhere.
 */
export function keyCatalogue(
  rows: readonly ResultRow[],
  options: CatalogueOptions = {},
): KeyInfo[] {
  const all = Array.from({ length: rows.length }, (_, i) => i);
  return tableCatalogue({ rows, derived: new Map() }, all, options);
}
