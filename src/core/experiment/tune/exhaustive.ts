// The exhaustive strategy: every point in odometer order (the last dimension fastest), as a plain
// exploration runs them, stopping at the budget.
import { pointAt, type SearchSpace } from './search-space.js';
import { checkMax, TuneLedger, type Tuner } from './tuner.js';

/** A tuner that proposes points 0, 1, 2 ... of `space` until `budget` points were proposed. */
export function createExhaustiveTuner(
  space: SearchSpace,
  budget: number,
  objectives: number,
): Tuner {
  const ledger = new TuneLedger(objectives);
  let index = 0;
  return {
    next(max) {
      checkMax(max);
      const points = [];
      while (points.length < max && index < budget)
        points.push(ledger.propose(pointAt(space, index++)));
      return points;
    },
    tell(point, values) {
      ledger.tell(point, values);
    },
    get done() {
      return index >= budget && ledger.outstanding === 0;
    },
    get evaluations() {
      return ledger.evaluated.length;
    },
    budget,
  };
}
