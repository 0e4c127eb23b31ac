// The autotuning library of experiments: search spaces and ask/tell tuners (exhaustive, random,
// evolution). Objectives and the Pareto front of results are the experiment's own (../).
export {
  dimensionSize,
  indexOf,
  keyOf,
  parseSearchSpace,
  pointAt,
  pointOf,
  size,
  valueAt,
  type Dimension,
  type Point,
  type SearchSpace,
  type SpaceValue,
} from './search-space.js';
export { createRandom, type Random } from './random.js';
export { createTuner, DEFAULT_BUDGET, DEFAULT_SEED, type TunerOptions } from './create-tuner.js';
export { populationFor } from './evolution.js';
export type { Evaluation, Tuner, TuneObjective, TuneStrategy, Values } from './tuner.js';
