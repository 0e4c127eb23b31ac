// Which rows and columns the table shows (and the exports write): ticked rows pinned first, then
// the answer's rows within the parallel brushes and matching the quick search, each part sorted
// by the header clicks; the chosen columns (all, in catalogue order, by default), minus constant ones with
// "Only changed columns".
import type { ResultRow } from '../../../src/core/results/types.js';
import { display } from '../dom.js';
import { toNumber } from './cartesian-option.js';
import type { EffectiveView } from './effective-view.js';
import type { AxisBrush, ExploreModel } from './explore-store.js';
import { labelOf } from './encoding.js';

function isInside(row: ResultRow, key: string, brush: AxisBrush): boolean {
  const v = brush.categories ? brush.categories.indexOf(labelOf(row[key])) : toNumber(row[key]);
  if (v === undefined || v < 0) return false;
  return brush.intervals.some(([a, b]) => v >= Math.min(a, b) && v <= Math.max(a, b));
}

function matches(row: ResultRow, needle: string): boolean {
  for (const v of Object.values(row)) if (display(v).toLowerCase().includes(needle)) return true;
  return false;
}

function isNone(v: unknown): boolean {
  return v === null || v === undefined || v === '';
}

/** Missing values last; numbers by value; the rest as text with numeric runs compared as numbers. */
export function compareValues(a: unknown, b: unknown): number {
  const isNoneA = isNone(a);
  const isNoneB = isNone(b);
  if (isNoneA || isNoneB) return isNoneA === isNoneB ? 0 : isNoneA ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return display(a).localeCompare(display(b), undefined, { numeric: true });
}

function sortRows(rows: ResultRow[], sort: NonNullable<ExploreModel['view']['sort']>): ResultRow[] {
  if (sort.length === 0) return rows;
  return rows.sort((a, b) => {
    for (const s of sort) {
      const c = compareValues(a[s.key], b[s.key]);
      // Missing values stay last in both directions.
      const isMissing = isNone(a[s.key]) || isNone(b[s.key]);
      if (c !== 0) return s.desc && !isMissing ? -c : c;
    }
    return 0;
  });
}

/** Ticked rows come first and stay whatever the search or the brushes say (pinned). */
export function tableRows(model: ExploreModel): ResultRow[] {
  const { data, view, brush, selected } = model;
  const all = data?.rows ?? [];
  const pinned = selected.size > 0 ? all.filter((r) => selected.has(r._id)) : [];
  let rows: readonly ResultRow[] = pinned.length ? all.filter((r) => !selected.has(r._id)) : all;
  if (view.type === 'parallel' && brush.size > 0)
    rows = rows.filter((r) => [...brush].every(([key, b]) => isInside(r, key, b)));
  const needle = view.search?.trim().toLowerCase();
  if (needle) rows = rows.filter((r) => matches(r, needle));
  const sort = view.sort ?? [];
  return [...sortRows(pinned, sort), ...sortRows([...rows], sort)];
}

/** True when every row has the same value of `key` (and none lacks it). */
function isConstant(rows: readonly ResultRow[], key: string): boolean {
  const first = rows[0]?.[key];
  const text = display(first);
  return rows.every(
    (r) => (r[key] === undefined) === (first === undefined) && display(r[key]) === text,
  );
}

export function tableColumns(
  model: ExploreModel,
  eff: EffectiveView,
  rows: readonly ResultRow[],
): string[] {
  const all = eff.keys.map((k) => k.name);
  const chosen = model.view.columns ? model.view.columns.filter((c) => !c.startsWith('_')) : all;
  if (!model.view.onlyChanged || rows.length < 2) return chosen;
  return chosen.filter((c) => !isConstant(rows, c));
}
