// The autotuning library of experiments: search spaces, objectives, Pareto ranking and ask/tell
// tuners (exhaustive, random, evolution). The experiment automation runs the points.
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
export { parseObjectives, type TuneObjective } from './objectives.js';
export {
  crowdingDistances,
  dominates,
  nonDominatedFronts,
  paretoFront,
  rankOrder,
  weaklyDominates,
  type Values,
} from './pareto.js';
export { createRandom, type Random } from './random.js';
export { createTuner, DEFAULT_BUDGET, DEFAULT_SEED, type TunerOptions } from './create-tuner.js';
export { populationFor } from './evolution.js';
export type { Evaluation, Tuner, TuneStrategy } from './tuner.js';
