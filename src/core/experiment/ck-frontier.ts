// CK v1's frontier filter (math.frontier `filter`, experiment.md §6.5), reproduced exactly for
// `--ck-margins`: greedy in insertion order, ratio margins, missing values ignored.

import { numericValue } from './numeric-value.js';

export interface CkFrontierResult {
  /** Indexes of surviving points, ascending. */
  kept: number[];
  /** Indexes of deleted points, ascending. */
  deleted: number[];
}

/**
 * Each point P, in insertion order, is deleted when some other point Q not yet deleted is "at
 * least as good" in every objective. Per key (index `dim`), with m = margins[dim] (default 1):
 * only keys where both values are set (not undefined, null or '') take part; a Q value of 0
 * becomes P/10, then 0.01 when that is 0 too; to minimise, Q is not better when P is 0 or
 * P/Q < m; to maximise (maximise[dim]), Q is not better when P/Q > m. So with m = 1 this is
 * weak dominance and of duplicates only the last survives; a margin of 1.10 demands a 10 %
 * advantage. As in CK, a point with no comparable key is "beaten" by any other surviving point,
 * and an empty `keys` means every key of P (the parallel lists still apply by position).
 * Values that are not numbers or numeric strings count as missing (CK would fail on them).
 */
export function ckFrontier(
  points: ReadonlyArray<Record<string, unknown>>,
  keys: readonly string[],
  maximise: readonly boolean[],
  margins: readonly number[],
): CkFrontierResult {
  const n = points.length;
  const isDeleted = new Array<boolean>(n).fill(false);
  if (n > 1) {
    for (let p = 0; p < n; p++) {
      const pointKeys = keys.length > 0 ? keys : Object.keys(points[p]!);
      for (let q = 0; q < n; q++) {
        if (q === p || isDeleted[q]) continue;
        if (isAtLeastAsGood(points[q]!, points[p]!, pointKeys, maximise, margins)) {
          isDeleted[p] = true;
          break;
        }
      }
    }
  }
  const kept: number[] = [];
  const deleted: number[] = [];
  isDeleted.forEach((d, i) => (d ? deleted : kept).push(i));
  return { kept, deleted };
}

function isAtLeastAsGood(
  q: Record<string, unknown>,
  p: Record<string, unknown>,
  keys: readonly string[],
  maximise: readonly boolean[],
  margins: readonly number[],
): boolean {
  for (let dim = 0; dim < keys.length; dim++) {
    const key = keys[dim]!;
    const pv = valueOf(p[key]);
    const qRaw = valueOf(q[key]);
    if (pv === undefined || qRaw === undefined) continue;
    let qv = qRaw === 0 ? pv / 10 : qRaw;
    if (qv === 0) qv = 0.01;
    const m = margins[dim] ?? 1;
    if (maximise[dim] === true) {
      if (pv / qv > m) return false;
    } else if (pv === 0 || pv / qv < m) {
      return false;
    }
  }
  return true;
}

function valueOf(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return numericValue(v);
}
