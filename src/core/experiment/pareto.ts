// The Pareto frontier of result rows under min/max objectives (experiment.md §6.5, "what we
// should implement"): frontier flags, exact ties, non-dominated sorting ranks, excluded rows.
// CK's ratio-margin filter is ck-frontier.ts.

import { CmError } from '../errors.js';
import { numericValue } from './numeric-value.js';
import type { Objective } from './objectives.js';

export interface ParetoOptions {
  /** Default relative tolerance for objectives that do not carry their own (default 0). */
  tolerance?: number;
}

export interface ParetoResult {
  /** Per row: not dominated by any other row (rank 1). */
  onFrontier: boolean[];
  /** Per row: another included row has exactly the same objective values. */
  tie: boolean[];
  /** Per row: 1 = frontier, 2 = frontier once rank 1 is removed, ...; 0 for an excluded row. */
  rank: number[];
  /** Indexes of rows lacking an objective value, or with a non-numeric or non-finite one. */
  excluded: number[];
}

/**
 * Row P is dominated by row Q when Q is no worse than P in every objective and strictly better
 * in at least one; with a tolerance t, "strictly better" means better by more than t·|P|.
 * Numeric strings count as numbers. Rows with equal objective values never dominate each other,
 * so exact ties share a rank (and are all kept on the frontier).
 *
 * Rows are sorted lexicographically (every objective turned into "smaller is better"), so a
 * dominating row always comes first; each row then joins the first layer that holds no row
 * dominating it, found by binary search (a layer k+1 dominator implies a layer k one). With at
 * most 2 objectives and no tolerance the last row of a layer decides for the whole layer, which
 * makes this an O(n log n) sort-and-sweep. Otherwise each probed layer is scanned
 * (block-nested-loop per layer, over its rows no worse than P in the second objective):
 * O(n · log(layers) · layer size) at worst, about half a second for 100,000 random rows with
 * 3 objectives.
 */
export function paretoFront(
  rows: ReadonlyArray<Record<string, unknown>>,
  objectives: readonly Objective[],
  options: ParetoOptions = {},
): ParetoResult {
  if (objectives.length === 0) {
    throw new CmError('bad-input', 'the Pareto frontier needs at least one objective', {
      hint: 'name objectives like time:min,acc:max',
    });
  }
  const tolerances = objectives.map((o) => tolerance(o, options.tolerance));
  const n = rows.length;
  const d = objectives.length;
  const { values, included, excluded } = objectiveValues(rows, objectives);

  const order = included.sort((a, b) => compareLex(values, d, a, b) || a - b);
  const rank = new Array<number>(n).fill(0);
  const tie = new Array<boolean>(n).fill(false);
  for (let i = 1; i < order.length; i++) {
    if (compareLex(values, d, order[i - 1]!, order[i]!) === 0) {
      tie[order[i - 1]!] = true;
      tie[order[i]!] = true;
    }
  }

  const isExactSweep = d <= 2 && tolerances.every((t) => t === 0);
  const layers = isExactSweep
    ? sweepLayers(values, d, order)
    : scanLayers(values, d, order, tolerances);
  layers.forEach((layer, k) => {
    for (const p of layer) rank[p] = k + 1;
  });
  return { onFrontier: rank.map((r) => r === 1), tie, rank, excluded };
}

function tolerance(o: Objective, fallback: number | undefined): number {
  const t = o.tolerance ?? fallback ?? 0;
  if (Number.isFinite(t) && t >= 0) return t;
  throw new CmError('bad-input', `the tolerance of objective "${o.key}" is ${t}`, {
    hint: 'a tolerance is a relative advantage of 0 or more, like 0.05 for 5 %',
  });
}

/** Objective values of every row, all turned into "smaller is better", d per row. */
function objectiveValues(
  rows: ReadonlyArray<Record<string, unknown>>,
  objectives: readonly Objective[],
): { values: Float64Array; included: number[]; excluded: number[] } {
  const d = objectives.length;
  const values = new Float64Array(rows.length * d);
  const included: number[] = [];
  const excluded: number[] = [];
  rows.forEach((row, i) => {
    for (let j = 0; j < d; j++) {
      const o = objectives[j]!;
      const v = numericValue(row[o.key]);
      if (v === undefined) {
        excluded.push(i);
        return;
      }
      values[i * d + j] = o.goal === 'max' ? -v : v;
    }
    included.push(i);
  });
  return { values, included, excluded };
}

function compareLex(values: Float64Array, d: number, a: number, b: number): number {
  for (let j = 0; j < d; j++) {
    const diff = values[a * d + j]! - values[b * d + j]!;
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The index of the first layer for which `hasDominator` is false (it is monotone). */
function firstFreeLayer(count: number, hasDominator: (k: number) => boolean): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (hasDominator(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * At most 2 objectives, no tolerance: within a layer the rows (in sorted order) have a
 * non-increasing second value, so the last one dominates p if any row of the layer does.
 */
function sweepLayers(values: Float64Array, d: number, order: readonly number[]): number[][] {
  const layers: number[][] = [];
  const lastOf: number[] = [];
  for (const p of order) {
    const k = firstFreeLayer(layers.length, (mid) => {
      const q = lastOf[mid]!;
      let isStrict = false;
      for (let j = 0; j < d; j++) {
        const qv = values[q * d + j]!;
        const pv = values[p * d + j]!;
        if (qv > pv) return false;
        if (qv < pv) isStrict = true;
      }
      return isStrict;
    });
    if (k === layers.length) layers.push([p]);
    else layers[k]!.push(p);
    lastOf[k] = p;
  }
  return layers;
}

/**
 * A layer's rows kept sorted by the objective `by` (the second one), their values side by side
 * for fast scans, and the layer's per-objective minimum (a cheap "nothing here" test).
 */
interface ScanLayer {
  rows: number[];
  values: Float64Array;
  min: Float64Array;
}

/**
 * The general case: a probed layer is scanned for a row dominating p. Only rows no worse than p
 * in objective `by` can dominate it; the layer is sorted on it, so those are a prefix.
 */
function scanLayers(
  values: Float64Array,
  d: number,
  order: readonly number[],
  tolerances: readonly number[],
): number[][] {
  const by = d > 1 ? 1 : 0;
  const layers: ScanLayer[] = [];
  const pv = new Float64Array(d);
  const margin = new Float64Array(d);
  const hasDominator = (layer: ScanLayer): boolean => {
    for (let j = 0; j < d; j++) if (layer.min[j]! > pv[j]!) return false;
    const lv = layer.values;
    for (let i = prefixAtMost(layer, d, by, pv[by]!) - 1; i >= 0; i--) {
      let isStrict = false;
      let j = 0;
      for (; j < d; j++) {
        const qv = lv[i * d + j]!;
        if (qv > pv[j]!) break;
        if (pv[j]! - qv > margin[j]!) isStrict = true;
      }
      if (j === d && isStrict) return true;
    }
    return false;
  };
  for (const p of order) {
    for (let j = 0; j < d; j++) {
      pv[j] = values[p * d + j]!;
      margin[j] = tolerances[j]! * Math.abs(pv[j]!);
    }
    const k = firstFreeLayer(layers.length, (mid) => hasDominator(layers[mid]!));
    if (k === layers.length) {
      layers.push({ rows: [], values: new Float64Array(d * 16), min: pv.slice() });
    }
    addToLayer(layers[k]!, p, pv, by);
  }
  return layers.map((l) => l.rows);
}

/** How many rows of the layer have a value of objective `by` of at most `v`. */
function prefixAtMost(layer: ScanLayer, d: number, by: number, v: number): number {
  let lo = 0;
  let hi = layer.rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (layer.values[mid * d + by]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function addToLayer(layer: ScanLayer, p: number, pv: Float64Array, by: number): void {
  const d = pv.length;
  const size = layer.rows.length;
  if ((size + 1) * d > layer.values.length) {
    const grown = new Float64Array(layer.values.length * 2);
    grown.set(layer.values);
    layer.values = grown;
  }
  const at = prefixAtMost(layer, d, by, pv[by]!);
  layer.values.copyWithin((at + 1) * d, at * d, size * d);
  layer.values.set(pv, at * d);
  layer.rows.splice(at, 0, p);
  for (let j = 0; j < d; j++) if (pv[j]! < layer.min[j]!) layer.min[j] = pv[j]!;
}
