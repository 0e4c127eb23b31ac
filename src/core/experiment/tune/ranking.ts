// How the evolution strategy ranks evaluated points for selection and survival (NSGA-II): the
// Pareto layer of each point from the experiment's paretoFront, then crowding distance within a
// layer. A failed point (no values) ranks below every point with values.
import { paretoFront } from '../pareto.js';
import type { TuneObjective, Values } from './tuner.js';

/** Per point: 1 on the Pareto front, 2 on the front once those are removed, ...; 0 failed. */
export function layersOf(
  values: readonly Values[],
  objectives: readonly TuneObjective[],
): number[] {
  const rows = values.map((v) =>
    v ? Object.fromEntries(objectives.map((o, k) => [o.key, v[k]])) : {},
  );
  return paretoFront(rows, objectives).rank;
}

/**
 * The crowding distance of each index of `layer` (NSGA-II): the sum over objectives of the
 * normalised gap between its neighbours; the extremes of each objective get Infinity.
 */
export function crowdingDistances(
  values: readonly Values[],
  layer: readonly number[],
  objectives: readonly TuneObjective[],
): Map<number, number> {
  const distance = new Map<number, number>(layer.map((i) => [i, 0]));
  if (layer.some((i) => values[i] === undefined)) return distance;
  objectives.forEach((_, k) => {
    const at = (i: number): number => values[i]![k]!;
    const sorted = [...layer].sort((a, b) => at(a) - at(b) || a - b);
    const lo = at(sorted[0]!);
    const hi = at(sorted[sorted.length - 1]!);
    distance.set(sorted[0]!, Infinity);
    distance.set(sorted[sorted.length - 1]!, Infinity);
    if (hi === lo) return;
    for (let s = 1; s < sorted.length - 1; s++) {
      const i = sorted[s]!;
      distance.set(i, distance.get(i)! + (at(sorted[s + 1]!) - at(sorted[s - 1]!)) / (hi - lo));
    }
  });
  return distance;
}

/**
 * The indexes of `values` from best to worst: by Pareto layer (failed points last), then by
 * crowding distance (larger first), then by index (earlier first), so the order is deterministic.
 * With one objective this is the order of the values.
 */
export function rankOrder(
  values: readonly Values[],
  objectives: readonly TuneObjective[],
): number[] {
  const rank = layersOf(values, objectives);
  const layers = new Map<number, number[]>();
  rank.forEach((r, i) => {
    const key = r === 0 ? Infinity : r;
    const layer = layers.get(key);
    if (layer) layer.push(i);
    else layers.set(key, [i]);
  });
  const order: number[] = [];
  for (const key of [...layers.keys()].sort((a, b) => a - b)) {
    const layer = layers.get(key)!;
    const crowding = crowdingDistances(values, layer, objectives);
    order.push(...layer.sort((a, b) => compareDesc(crowding.get(a)!, crowding.get(b)!) || a - b));
  }
  return order;
}

function compareDesc(a: number, b: number): number {
  if (a === b) return 0;
  return a > b ? -1 : 1;
}
