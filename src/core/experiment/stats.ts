// Statistics over repeated measurements (CK's `k#min/#max/#mean ...` columns) and the grouping
// of result rows by the explored variables that `show experiment --stats` reports.

import { CmError } from '../errors.js';
import { numericValue } from './numeric-value.js';

export interface Stats {
  min: number;
  max: number;
  mean: number;
  median: number;
  /** Sample standard deviation (n - 1); 0 for one value. */
  stdev: number;
  /** Half-width of the 95 % confidence interval of the mean (Student t); 0 for one value. */
  ci95: number;
  range: number;
  /** (max - min) / |min|; null when min is 0. Same as CK's for positive values, never negative. */
  range_percent: number | null;
  repeats: number;
}

/** The stat names in column order: a column is `key#name`. */
export const STAT_NAMES = [
  'min',
  'max',
  'mean',
  'median',
  'stdev',
  'ci95',
  'range',
  'range_percent',
  'repeats',
] as const satisfies ReadonlyArray<keyof Stats>;

/** Two-sided 95 % Student t critical values for 1..30 degrees of freedom; 1.96 beyond. */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042,
];

/** The t value for `df` degrees of freedom (df >= 1). */
export function tCritical95(df: number): number {
  return T95[df - 1] ?? 1.96;
}

/** The k-th smallest of `a` (0-based), moving it to a[k] with the smaller ones before it (Hoare's selection). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

/** The largest of a[0..k-1] (after select(a, k) these are the k smallest). */
function maxBelow(a: Float64Array, k: number): number {
  let m = -Infinity;
  for (let i = 0; i < k; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

/** Statistics of a non-empty list of finite numbers. */
export function statsOf(values: readonly number[]): Stats {
  const n = values.length;
  if (n === 0) throw new Error('statsOf needs at least one value');
  // One pass for the sum, min and max; the median by selection, not a sort (statistics of
  // 100,000 results in many groups).
  const copy = Float64Array.from(values);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = copy[i]!;
    if (!Number.isFinite(v)) throw new Error('statsOf needs finite numbers');
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  const mid = Math.floor(n / 2);
  const upper = select(copy, mid);
  const median = n % 2 === 1 ? upper : (maxBelow(copy, mid) + upper) / 2;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (copy[i]! - mean) ** 2;
  const stdev = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  const ci95 = n > 1 ? (tCritical95(n - 1) * stdev) / Math.sqrt(n) : 0;
  const range = max - min;
  const range_percent = min === 0 ? null : range / Math.abs(min);
  return { min, max, mean, median, stdev, ci95, range, range_percent, repeats: n };
}

export interface GroupStatsOptions {
  /** Keys whose values identify a group (the explored variables); a missing key counts as null. */
  groupBy: string[];
  /** The keys to summarise; default every key that is numeric wherever it is set. */
  keys?: string[];
  /** Keys never summarised (provenance: uid, iso_datetime, experiment_uid ...). */
  exclude?: string[];
}

/**
 * One row per group, in the order groups are first seen: the group-by values, then for every
 * summarised key `k#min k#max k#mean k#median k#stdev k#ci95 k#range k#range_percent k#repeats`
 * over the rows of the group that have a value for it (a group with none gets no columns for
 * it). Without `keys`, a key is summarised when every value it has (null aside) is a number or
 * a numeric string; a key listed in `keys` with a non-numeric value is an error.
 */
export function groupStats(
  rows: ReadonlyArray<Record<string, unknown>>,
  options: GroupStatsOptions,
): Array<Record<string, unknown>> {
  const acc = new GroupStatsAccumulator(options);
  acc.add(rows);
  return acc.result();
}

/** One group while results come in: its group-by values and the numbers of each key. */
interface GroupValues {
  by: Record<string, unknown>;
  /** The numbers of each key, by the key's slot. */
  values: number[][];
}

/** What a key is to the statistics: a slot for its numbers, or SKIP (group-by, excluded, not asked). */
const SKIP = -1;

/** A group-by value as a Map key: primitives as they are, anything else as its JSON. */
function groupKey(v: unknown): unknown {
  if (v === undefined) return null;
  return v !== null && typeof v === 'object' ? `\u0000${JSON.stringify(v)}` : v;
}

/**
 * groupStats fed a batch at a time (a run's results): only the numbers are kept, never the rows,
 * so 100,000 results cost arrays of doubles rather than 100,000 live objects. Results of one run
 * mostly have the same keys in the same order: the slots of the previous result's keys are tried
 * first, so most keys cost a string comparison rather than hash lookups.
 */
export class GroupStatsAccumulator {
  readonly #groupBy: readonly string[];
  readonly #skip: ReadonlySet<string>;
  readonly #only: ReadonlySet<string> | undefined;
  /** Nested maps, one level per group-by key, down to the group. */
  readonly #groups = new Map<unknown, unknown>();
  readonly #order: GroupValues[] = [];
  readonly #slotOf = new Map<string, number>();
  /** By slot: the key, and whether all its values so far were numbers. */
  readonly #slotKey: string[] = [];
  readonly #numeric: boolean[] = [];
  #lastKeys: string[] = [];
  #lastSlots: number[] = [];
  #count = 0;

  constructor(options: GroupStatsOptions) {
    this.#groupBy = options.groupBy;
    this.#skip = new Set([...options.groupBy, ...(options.exclude ?? [])]);
    if (options.keys) {
      const only = options.keys.filter((k) => !this.#skip.has(k));
      this.#only = new Set(only);
      for (const k of only) this.#slot(k);
    }
  }

  add(rows: Iterable<Record<string, unknown>>): void {
    for (const row of rows) {
      this.#count++;
      const g = this.#group(row);
      let i = 0;
      for (const key in row) {
        let slot: number;
        if (this.#lastKeys[i] === key) slot = this.#lastSlots[i]!;
        else {
          slot = this.#slot(key);
          this.#lastKeys[i] = key;
          this.#lastSlots[i] = slot;
        }
        i++;
        if (slot !== SKIP && this.#numeric[slot]) this.#addValue(g, slot, row[key]);
      }
    }
  }

  #slot(key: string): number {
    const known = this.#slotOf.get(key);
    if (known !== undefined) return known;
    const skip = this.#skip.has(key) || (this.#only !== undefined && !this.#only.has(key));
    const slot = skip ? SKIP : this.#slotKey.length;
    if (!skip) {
      this.#slotKey.push(key);
      this.#numeric.push(true);
    }
    this.#slotOf.set(key, slot);
    return slot;
  }

  #group(row: Record<string, unknown>): GroupValues {
    let level: Map<unknown, unknown> = this.#groups;
    const keys = this.#groupBy;
    for (let d = 0; d < keys.length - 1; d++) {
      const v = groupKey(row[keys[d]!]);
      let next = level.get(v) as Map<unknown, unknown> | undefined;
      if (!next) level.set(v, (next = new Map()));
      level = next;
    }
    const last = keys.length === 0 ? '' : groupKey(row[keys[keys.length - 1]!]);
    let g = level.get(last) as GroupValues | undefined;
    if (!g) {
      const by: Record<string, unknown> = {};
      for (const k of keys) by[k] = row[k] ?? null;
      g = { by, values: [] };
      level.set(last, g);
      this.#order.push(g);
    }
    return g;
  }

  #addValue(g: GroupValues, slot: number, value: unknown): void {
    if (value === null || value === undefined) return;
    const n = typeof value === 'number' && Number.isFinite(value) ? value : numericValue(value);
    if (n === undefined) {
      const key = this.#slotKey[slot]!;
      if (this.#only)
        throw new CmError(
          'bad-input',
          `cannot compute statistics of "${key}": result ${this.#count} has the non-numeric value ${JSON.stringify(value)}`,
          { hint: 'choose numeric keys for the statistics, or filter out that result (--where)' },
        );
      this.#numeric[slot] = false;
      return;
    }
    const list = g.values[slot];
    if (list) list.push(n);
    else g.values[slot] = [n];
  }

  /** One row per group, in the order groups were first seen. */
  result(): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const g of this.#order) {
      const summary: Record<string, unknown> = { ...g.by };
      this.#slotKey.forEach((key, slot) => {
        const values = g.values[slot];
        if (!this.#numeric[slot] || !values || values.length === 0) return;
        const stats = statsOf(values);
        for (const name of STAT_NAMES) summary[`${key}#${name}`] = stats[name];
      });
      out.push(summary);
    }
    return out;
  }
}
