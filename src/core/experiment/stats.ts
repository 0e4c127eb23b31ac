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

/** Statistics of a non-empty list of finite numbers. */
export function statsOf(values: readonly number[]): Stats {
  const n = values.length;
  if (n === 0) throw new Error('statsOf needs at least one value');
  if (!values.every(Number.isFinite)) throw new Error('statsOf needs finite numbers');
  const sorted = [...values].sort((a, b) => a - b);
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const stdev = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
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
  const { groupBy } = options;
  const skip = new Set([...groupBy, ...(options.exclude ?? [])]);
  const keys = (options.keys ?? numericKeys(rows)).filter((k) => !skip.has(k));
  if (options.keys) checkNumeric(rows, keys);

  const groups = new Map<string, Array<Record<string, unknown>>>();
  for (const row of rows) {
    const id = JSON.stringify(groupBy.map((k) => row[k] ?? null));
    const members = groups.get(id);
    if (members) members.push(row);
    else groups.set(id, [row]);
  }

  const out: Array<Record<string, unknown>> = [];
  for (const members of groups.values()) {
    const first = members[0]!;
    const summary: Record<string, unknown> = {};
    for (const k of groupBy) summary[k] = first[k] ?? null;
    for (const key of keys) {
      const values: number[] = [];
      for (const row of members) {
        const v = numericValue(row[key]);
        if (v !== undefined) values.push(v);
      }
      if (values.length === 0) continue;
      const stats = statsOf(values);
      for (const name of STAT_NAMES) summary[`${key}#${name}`] = stats[name];
    }
    out.push(summary);
  }
  return out;
}

/** Keys (first-seen order) that have at least one numeric value and no non-numeric one. */
function numericKeys(rows: ReadonlyArray<Record<string, unknown>>): string[] {
  const seen = new Set<string>();
  const numeric = new Set<string>();
  const other = new Set<string>();
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      seen.add(key);
      if (value === null || value === undefined) continue;
      if (numericValue(value) === undefined) other.add(key);
      else numeric.add(key);
    }
  }
  return [...seen].filter((k) => numeric.has(k) && !other.has(k));
}

function checkNumeric(rows: ReadonlyArray<Record<string, unknown>>, keys: string[]): void {
  for (const key of keys) {
    const at = rows.findIndex(
      (r) => r[key] !== null && r[key] !== undefined && numericValue(r[key]) === undefined,
    );
    if (at < 0) continue;
    throw new CmError(
      'bad-input',
      `cannot compute statistics of "${key}": result ${at + 1} has the non-numeric value ${JSON.stringify(rows[at]![key])}`,
      { hint: `choose numeric keys for the statistics, or filter out that result (--where)` },
    );
  }
}
