// The default goal of a Pareto objective (gui.md §5.4): keys that name a cost are minimised,
// everything else (throughput, accuracy ...) maximised. Always editable in the page.

const COST_WORDS = /time|latency|ms|energy|power|size|cost|memory/i;

/** 'min' when the key mentions time, latency, ms, energy, power, size, cost or memory; else 'max'. */
export function guessGoal(key: string): 'min' | 'max' {
  return COST_WORDS.test(key) ? 'min' : 'max';
}
