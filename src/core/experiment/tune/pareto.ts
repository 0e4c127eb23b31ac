// Pareto ranking of evaluated points for the tuners: dominance, non-dominated fronts (NSGA-II's
// fast non-dominated sort) and crowding distance. A point without values (a failed step) is worse
// than every point with values; the rows themselves stay with the caller, here only indexes.
import type { TuneObjective } from './objectives.js';

/** Objective values in objective order; undefined for a failed point. */
export type Values = readonly number[] | undefined;

/** Whether `a` is no worse than `b` in every objective and better in at least one. */
export function dominates(
  a: readonly number[],
  b: readonly number[],
  objectives: readonly TuneObjective[],
): boolean {
  let better = false;
  for (let i = 0; i < objectives.length; i++) {
    const d = gain(a[i]!, b[i]!, objectives[i]!);
    if (d < 0) return false;
    if (d > 0) better = true;
  }
  return better;
}

/** Whether `a` is no worse than `b` in every objective (equal values included). */
export function weaklyDominates(
  a: readonly number[],
  b: readonly number[],
  objectives: readonly TuneObjective[],
): boolean {
  return objectives.every((o, i) => gain(a[i]!, b[i]!, o) >= 0);
}

/** How much better a is than b in one objective: > 0 better, < 0 worse. */
function gain(a: number, b: number, objective: TuneObjective): number {
  return objective.goal === 'min' ? b - a : a - b;
}

/**
 * The indexes of `values` in non-dominated fronts, best front first, each in index order. The
 * failed points form the last front. With one objective each front is one distinct value.
 */
export function nonDominatedFronts(
  values: readonly Values[],
  objectives: readonly TuneObjective[],
): number[][] {
  const ok: number[] = [];
  const failed: number[] = [];
  values.forEach((v, i) => (v ? ok : failed).push(i));
  // NSGA-II: whom each point dominates, and by how many points it is dominated.
  const dominated: number[][] = values.map(() => []);
  const count = new Array<number>(values.length).fill(0);
  for (const i of ok)
    for (const j of ok)
      if (i !== j && dominates(values[i]!, values[j]!, objectives)) {
        dominated[i]!.push(j);
        count[j]!++;
      }
  const fronts: number[][] = [];
  let front = ok.filter((i) => count[i] === 0);
  while (front.length > 0) {
    fronts.push(front);
    const next: number[] = [];
    for (const i of front) for (const j of dominated[i]!) if (--count[j]! === 0) next.push(j);
    front = next.sort((a, b) => a - b);
  }
  if (failed.length > 0) fronts.push(failed);
  return fronts;
}

/**
 * The crowding distance of each index of `front` (NSGA-II): the sum over objectives of the
 * normalised gap between its neighbours; the extremes of each objective get Infinity.
 */
export function crowdingDistances(
  values: readonly Values[],
  front: readonly number[],
  objectives: readonly TuneObjective[],
): Map<number, number> {
  const distance = new Map<number, number>(front.map((i) => [i, 0]));
  if (front.some((i) => values[i] === undefined)) return distance;
  objectives.forEach((_, k) => {
    const at = (i: number): number => values[i]![k]!;
    const sorted = [...front].sort((a, b) => at(a) - at(b) || a - b);
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
 * The indexes of `values` from best to worst: by front, then by crowding distance (larger first),
 * then by index (earlier first), so that the order is deterministic.
 */
export function rankOrder(
  values: readonly Values[],
  objectives: readonly TuneObjective[],
): number[] {
  const order: number[] = [];
  for (const front of nonDominatedFronts(values, objectives)) {
    const crowding = crowdingDistances(values, front, objectives);
    order.push(
      ...[...front].sort((a, b) => compareDesc(crowding.get(a)!, crowding.get(b)!) || a - b),
    );
  }
  return order;
}

/**
 * The indexes of the points no other point dominates (failed points excluded), in index order;
 * equal points are all kept. O(n·front) after a sort: a point can only be dominated by one that
 * sorts before it, and then by one already on the front.
 */
export function paretoFront(
  values: readonly Values[],
  objectives: readonly TuneObjective[],
): number[] {
  const sign = objectives.map((o) => (o.goal === 'min' ? 1 : -1));
  const ok = values.flatMap((v, i) => (v ? [i] : []));
  const lexically = (a: number, b: number): number => {
    for (let k = 0; k < sign.length; k++) {
      const d = sign[k]! * (values[a]![k]! - values[b]![k]!);
      if (d !== 0) return d;
    }
    return a - b;
  };
  const front: number[] = [];
  for (const i of ok.sort(lexically))
    if (!front.some((f) => dominates(values[f]!, values[i]!, objectives))) front.push(i);
  return front.sort((a, b) => a - b);
}

function compareDesc(a: number, b: number): number {
  if (a === b) return 0;
  return a > b ? -1 : 1;
}
