// The one way to make a tuner: checks the strategy, budget, seed and objectives a user gave, applies
// the defaults, and picks the strategy's implementation.
import { nearest } from '../../did-you-mean.js';
import { CmError } from '../../errors.js';
import { createEvolutionTuner } from './evolution.js';
import { createExhaustiveTuner } from './exhaustive.js';
import { createRandomTuner } from './random-search.js';
import { size, type SearchSpace } from './search-space.js';
import type { TuneObjective, Tuner, TuneStrategy } from './tuner.js';

/** The budget of random and evolution when none is given (capped at the size of the space). */
export const DEFAULT_BUDGET = 100;
/** The seed when none is given: a run without --seed is as repeatable as one with it. */
export const DEFAULT_SEED = 0;

const STRATEGIES: readonly TuneStrategy[] = ['exhaustive', 'random', 'evolution'];

export interface TunerOptions {
  space: SearchSpace;
  strategy: TuneStrategy;
  /** The most points to evaluate; default: the whole space (exhaustive) or DEFAULT_BUDGET. */
  budget?: number | undefined;
  /** Seeds random and evolution; default DEFAULT_SEED. */
  seed?: number | undefined;
  /** What evolution optimises (required there); the values told are in this order. */
  objectives: readonly TuneObjective[];
}

/** A tuner for `options`; throws `bad-input` naming the flag for a strategy, budget or seed it cannot use. */
export function createTuner(options: TunerOptions): Tuner {
  const { space, strategy, objectives } = options;
  checkOptions(options);
  const total = size(space);
  const budget = Math.min(
    total,
    options.budget ?? (strategy === 'exhaustive' ? total : DEFAULT_BUDGET),
  );
  const seed = options.seed ?? DEFAULT_SEED;
  switch (strategy) {
    case 'exhaustive':
      return createExhaustiveTuner(space, budget, objectives.length);
    case 'random':
      return createRandomTuner(space, budget, seed, objectives.length);
    case 'evolution':
      return createEvolutionTuner({ space, budget, seed, objectives });
    default: {
      const never: never = strategy;
      throw new Error(`unhandled strategy ${String(never)}`);
    }
  }
}

function checkOptions(options: TunerOptions): void {
  const { strategy, budget, seed, objectives } = options;
  if (!STRATEGIES.includes(strategy)) {
    const near = nearest(String(strategy), STRATEGIES);
    throw new CmError(
      'bad-input',
      `--strategy must be exhaustive, random or evolution (found "${String(strategy)}")`,
      { hint: near.length ? `did you mean --strategy=${near[0]}?` : 'e.g. --strategy=evolution' },
    );
  }
  if (budget !== undefined && (!Number.isSafeInteger(budget) || budget < 1))
    throw new CmError(
      'bad-input',
      `--budget must be a whole number >= 1 (found ${String(budget)})`,
      {
        hint: 'e.g. --budget=50: the most points to evaluate',
      },
    );
  if (seed !== undefined && !Number.isSafeInteger(seed))
    throw new CmError('bad-input', `--seed must be a whole number (found ${String(seed)})`, {
      hint: 'e.g. --seed=1: the same seed proposes the same points',
    });
  if (strategy === 'evolution' && objectives.length === 0)
    throw new CmError('bad-input', '--objectives is needed by --strategy=evolution', {
      hint: 'name the result keys to optimise, e.g. --objectives="time:min,size:min"',
    });
  const keys = objectives.map((o) => o.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice !== undefined)
    throw new CmError('bad-input', `--objectives names "${twice}" twice`, {
      hint: 'give each result key once',
    });
}
