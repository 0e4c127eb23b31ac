// The sort step of a query: numbers (and numeric strings) by value before other values, which
// sort as text in natural order ("v2" before "v10"); a missing value is last in both directions.
import { numericValue } from '../experiment/numeric-value.js';
import { valueAt, type RowTable } from './row-table.js';

export interface SortKey {
  key: string;
  desc?: boolean;
}

const NUMBER = 0;
const TEXT = 1;
const MISSING = 2;

/** A fixed locale, so that the server and every browser order text alike. */
const collator = new Intl.Collator('en', { numeric: true });

/** One sort key decoded once per row: its kind and a number to compare (text: its rank). */
interface Column {
  kind: Uint8Array;
  value: Float64Array;
  sign: number;
}

function textOf(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The sort values of `rows` (table rows), by position in `rows`. */
function columnOf(table: RowTable, rows: readonly number[], key: SortKey): Column {
  const n = rows.length;
  const kind = new Uint8Array(n);
  const value = new Float64Array(n);
  const texts = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const v = valueAt(table, rows[i]!, key.key);
    if (v === null || v === undefined) {
      kind[i] = MISSING;
      continue;
    }
    const x = typeof v === 'number' && Number.isFinite(v) ? v : numericValue(v);
    if (x !== undefined) {
      kind[i] = NUMBER;
      value[i] = x;
      continue;
    }
    kind[i] = TEXT;
    const t = textOf(v);
    const at = texts.get(t);
    if (at) at.push(i);
    else texts.set(t, [i]);
  }
  // Each distinct text is ranked once: a collator is slow next to comparing numbers.
  [...texts.keys()].sort(collator.compare).forEach((t, rank) => {
    for (const i of texts.get(t)!) value[i] = rank;
  });
  return { kind, value, sign: key.desc === true ? -1 : 1 };
}

/** `rows` (table rows) in sorted order (stable: equal rows keep their order). */
export function sortRows(
  table: RowTable,
  rows: readonly number[],
  keys: readonly SortKey[],
): number[] {
  if (keys.length === 0) return [...rows];
  const columns = keys.map((k) => columnOf(table, rows, k));
  const order = Array.from({ length: rows.length }, (_, i) => i);
  order.sort((a, b) => {
    for (const c of columns) {
      const ka = c.kind[a]!;
      const kb = c.kind[b]!;
      if (ka !== kb) return ka === MISSING ? 1 : kb === MISSING ? -1 : ka - kb;
      if (ka === MISSING) continue;
      const diff = c.value[a]! - c.value[b]!;
      if (diff !== 0) return c.sign * diff;
    }
    return a - b;
  });
  return order.map((k) => rows[k]!);
}
