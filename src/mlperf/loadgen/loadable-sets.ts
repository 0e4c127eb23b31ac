// Which QSL indices LoadGen loads into RAM, and in which order: the seeded shuffle, the cut into
// sets of performance_sample_count, MultiStream padding, and the performance-set version rule.

import { Mt19937 } from './random/mt19937.js';
import { shuffle } from './random/shuffle.js';

/** One QSL load/unload cycle: the indices handed to LoadSamplesToRam, in loaded order. */
export interface LoadableSet {
  /** QSL indices, including MultiStream padding at the end. */
  samples: number[];
  /** The unpadded length: sample choices are positions in [0, distributionEnd). */
  distributionEnd: number;
}

/**
 * How the performance set is chosen. `v6`: LoadGen >= 6.0 shuffles only 0..P-1 (the first P
 * dataset indices). `legacy`: LoadGen <= 5.1 shuffles the whole dataset and takes the first P.
 */
export type PerformanceSetRule = 'v6' | 'legacy';

/** The inputs of GenerateLoadableSets. */
export interface LoadableSetsInput {
  /** How many indices to shuffle (capped at `totalSampleCount`). */
  sampleCount: number;
  totalSampleCount: number;
  /** performance_sample_count: the size of each set (the last may be shorter). */
  setSize: number;
  /** MultiStream: samples_per_query - 1 copies of each set's first elements; 0 otherwise. */
  padding: number;
  qslRngSeed: bigint;
}

/** Shuffles 0..c-1 with a fresh MT(qsl seed), cuts it into sets, then pads each set. */
export function generateLoadableSets(input: LoadableSetsInput): LoadableSet[] {
  if (!Number.isInteger(input.setSize) || input.setSize < 1) {
    throw new Error(
      `generateLoadableSets: set size must be a positive integer, got ${input.setSize}`,
    );
  }
  const count = Math.min(input.sampleCount, input.totalSampleCount);
  const order = shuffle(
    Array.from({ length: count }, (_, i) => i),
    new Mt19937(input.qslRngSeed),
  );
  const sets: LoadableSet[] = [];
  for (let start = 0; start < count; start += input.setSize) {
    const samples = order.slice(start, start + input.setSize);
    sets.push({ samples, distributionEnd: samples.length });
  }
  for (const set of sets) {
    // Reads index i after earlier appends, so a set shorter than the padding wraps around.
    for (let i = 0; i < input.padding; i++) set.samples.push(set.samples[i] as number);
  }
  return sets;
}

/** What both set choices need besides the counts. */
export interface SetChoiceInput {
  isMultiStream: boolean;
  samplesPerQuery: number;
  totalSampleCount: number;
  performanceSampleCount: number;
  qslRngSeed: bigint;
}

/** The one set a performance run loads (the first loadable set). */
export function performanceSet(input: SetChoiceInput & { rule: PerformanceSetRule }): LoadableSet {
  const sampleCount = input.rule === 'v6' ? input.performanceSampleCount : input.totalSampleCount;
  const first = generateLoadableSets(setsInput(input, sampleCount))[0];
  if (first === undefined) throw new Error('performanceSet: the QSL has no samples');
  return first;
}

/**
 * The sets an accuracy run loads and issues one after another (load, issue all, wait, unload).
 * `accuracySampleCount` is accuracy_sample_count (LoadGen <= 5.1 always used the total count).
 */
export function accuracySets(
  input: SetChoiceInput & { accuracySampleCount: number },
): LoadableSet[] {
  return generateLoadableSets(setsInput(input, input.accuracySampleCount));
}

function setsInput(input: SetChoiceInput, sampleCount: number): LoadableSetsInput {
  return {
    sampleCount,
    totalSampleCount: input.totalSampleCount,
    setSize: input.performanceSampleCount,
    padding: input.isMultiStream ? input.samplesPerQuery - 1 : 0,
    qslRngSeed: input.qslRngSeed,
  };
}

/** One load/issue/unload cycle of a StartTest call, and the mode its queries are generated in. */
export interface LoadSeries {
  mode: 'accuracy' | 'performance';
  set: LoadableSet;
}

/**
 * The QSL load/unload cycles of a test, in order: accuracy mode loads every accuracy set in turn,
 * performance mode loads the performance set once, a submission run does the first then the second.
 */
export function loadSeries(
  input: SetChoiceInput & {
    testMode: 'accuracy' | 'performance' | 'submission';
    accuracySampleCount: number;
    rule: PerformanceSetRule;
  },
): LoadSeries[] {
  const accuracy = (): LoadSeries[] =>
    accuracySets({
      ...input,
      accuracySampleCount: input.rule === 'v6' ? input.accuracySampleCount : input.totalSampleCount,
    }).map((set) => ({ mode: 'accuracy', set }));
  const performance = (): LoadSeries[] => [{ mode: 'performance', set: performanceSet(input) }];
  switch (input.testMode) {
    case 'accuracy':
      return accuracy();
    case 'performance':
      return performance();
    case 'submission':
      return [...accuracy(), ...performance()];
    default: {
      const unreachable: never = input.testMode;
      throw new Error(`unknown test mode ${String(unreachable)}`);
    }
  }
}
