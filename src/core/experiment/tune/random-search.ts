// The random strategy: distinct points drawn uniformly from the whole space, without replacement,
// by a Fisher-Yates shuffle of the odometer indexes that stores only the positions it swapped.
import { createRandom } from './random.js';
import { pointAt, size, type SearchSpace } from './search-space.js';
import { checkMax, TuneLedger, type Tuner } from './tuner.js';

/** A tuner that proposes `budget` distinct uniformly random points of `space`. */
export function createRandomTuner(
  space: SearchSpace,
  budget: number,
  seed: number,
  objectives: number,
): Tuner {
  const ledger = new TuneLedger(objectives);
  const random = createRandom(seed);
  const total = size(space);
  // Position → index after the swaps so far; an absent position holds its own index.
  const swapped = new Map<number, number>();
  let drawn = 0;
  const draw = (): number => {
    const j = drawn + random.below(total - drawn);
    const picked = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(drawn) ?? drawn);
    swapped.delete(drawn);
    drawn++;
    return picked;
  };
  return {
    next(max) {
      checkMax(max);
      const points = [];
      while (points.length < max && drawn < budget)
        points.push(ledger.propose(pointAt(space, draw())));
      return points;
    },
    tell(point, values) {
      ledger.tell(point, values);
    },
    get done() {
      return drawn >= budget && ledger.outstanding === 0;
    },
    get evaluations() {
      return ledger.evaluated.length;
    },
    budget,
  };
}
