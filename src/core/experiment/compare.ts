// Key-by-key comparison of two flat results: what `diff experiment` prints and what a replay
// reports against the original run (CK's rule: numbers flagged beyond a relative tolerance).

import { CmError } from '../errors.js';
import { deepEqual } from '../merge.js';
import { numericValue } from './numeric-value.js';

export interface CompareOptions {
  /** Relative change beyond which a numeric key is flagged (default 0.08, CK's 8 %). */
  tolerance?: number;
  /** List every key, not only those whose values differ. */
  all?: boolean;
  /** Keys left out of the comparison (uid, iso_datetime, duration_s ...). */
  ignore?: readonly string[];
}

export interface KeyComparison {
  key: string;
  /** undefined when the key is only in the new result. */
  old: unknown;
  /** undefined when the key is only in the old result. */
  new: unknown;
  /** Both values are numbers or numeric strings. */
  numeric: boolean;
  /** (new - old) / |old| for numeric values; null otherwise, and when old is 0 and new is not. */
  change: number | null;
  differs: boolean;
  /** A numeric change beyond the tolerance, or any other difference. */
  flagged: boolean;
  /** Set when the key is in one result only. */
  onlyIn?: 'old' | 'new';
}

/**
 * The keys of both results (the old result's order, then keys only the new one has), compared.
 * Numbers compare by value, so 10 and "10" (CMX stores strings) do not differ; other values by
 * deep equality. With `all` false only differing keys are listed; call with `all` true to learn
 * whether any numeric key was compared at all (a replay that failed has none).
 */
export function compareResults(
  oldRow: Readonly<Record<string, unknown>>,
  newRow: Readonly<Record<string, unknown>>,
  options: CompareOptions = {},
): KeyComparison[] {
  const tolerance = options.tolerance ?? 0.08;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new CmError('bad-input', `the comparison tolerance is ${tolerance}`, {
      hint: 'a tolerance is a relative change of 0 or more, like 0.08 for 8 %',
    });
  }
  const ignore = new Set(options.ignore ?? []);
  const keys = [...new Set([...Object.keys(oldRow), ...Object.keys(newRow)])];
  const out: KeyComparison[] = [];
  for (const key of keys) {
    if (ignore.has(key)) continue;
    const entry = compareKey(key, oldRow, newRow, tolerance);
    if (options.all === true || entry.differs) out.push(entry);
  }
  return out;
}

function compareKey(
  key: string,
  oldRow: Readonly<Record<string, unknown>>,
  newRow: Readonly<Record<string, unknown>>,
  tolerance: number,
): KeyComparison {
  const inOld = Object.hasOwn(oldRow, key);
  const inNew = Object.hasOwn(newRow, key);
  const o = oldRow[key];
  const n = newRow[key];
  if (!inOld || !inNew) {
    const onlyIn = inOld ? 'old' : 'new';
    return {
      key,
      old: o,
      new: n,
      numeric: false,
      change: null,
      differs: true,
      flagged: true,
      onlyIn,
    };
  }
  const on = numericValue(o);
  const nn = numericValue(n);
  if (on === undefined || nn === undefined) {
    const differs = !deepEqual(o, n);
    return { key, old: o, new: n, numeric: false, change: null, differs, flagged: differs };
  }
  const differs = on !== nn;
  const change = !differs ? 0 : on === 0 ? null : (nn - on) / Math.abs(on);
  const flagged = differs && (change === null || Math.abs(change) > tolerance);
  return { key, old: o, new: n, numeric: true, change, differs, flagged };
}
