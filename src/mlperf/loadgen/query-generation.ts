// Pre-generation of a series' queries (GenerateQueries): sample choice and schedule for each
// scenario and mode, consuming the sample, schedule and accuracy-log engines in LoadGen's order.

import type { LoadableSet } from './loadable-sets.js';
import { Mt19937 } from './random/mt19937.js';
import { exponential, secondsToNs } from './random/real.js';
import { shuffle } from './random/shuffle.js';
import { uniformInt } from './random/uniform-int.js';
import type { SequenceGenerator } from './sequence-generator.js';

import type { Scenario } from './settings/test-settings.js';

export type { Scenario };
export type QueryGenMode = 'accuracy' | 'performance';

/** The effective settings query generation reads. */
export interface QueryGenSettings {
  scenario: Scenario;
  mode: QueryGenMode;
  /** Effective target_qps (SS/MS: 1e9 / expected latency ns; Server and Offline: requested qps). */
  targetQps: number;
  /** Effective target_duration in ms (min_duration; 0 for Offline). */
  targetDurationMs: number;
  /** Effective min_query_count (1 for Offline). */
  minQueryCount: number;
  /** Effective samples_per_query (1 for SS and Server). */
  samplesPerQuery: number;
  sampleIndexRngSeed: bigint;
  scheduleRngSeed: bigint;
  performanceIssueUnique: boolean;
  performanceIssueSame: boolean;
  performanceIssueSameIndex: number;
  /** sample_concatenate_permutation: equal-issue mode. */
  sampleConcatenatePermutation: boolean;
}

/** One pre-generated query. Its samples get consecutive sequence ids from `firstSampleSequenceId`. */
export interface GeneratedQuery {
  sequenceId: number;
  /** Nominal time from the start of the series (Server: its arrival time). */
  scheduledNs: bigint;
  /** QSL indices, in issue order. */
  sampleIndices: number[];
  firstSampleSequenceId: number;
  /** Each sample's U[0,1) for accuracy-log sampling (§2.8), parallel to `sampleIndices`. */
  accuracyLogValues: number[];
}

/** A series' queries and the three `generated_*` values LoadGen logs. */
export interface GeneratedQueries {
  queries: GeneratedQuery[];
  generatedQueryCount: number;
  generatedSamplesPerQuery: number;
  /** The timestamp after the last query (the next one that would have been scheduled). */
  generatedQueryDurationNs: bigint;
}

/** A source of positions in the loaded set, drawing from the sample engine when it must. */
type Distribution = () => number;

/** Generates the queries of one series over `set`, in LoadGen's exact RNG consumption order. */
export function generateQueries(
  settings: QueryGenSettings,
  set: LoadableSet,
  sequence: SequenceGenerator,
): GeneratedQueries {
  const loaded = set.samples;
  const isAccuracy = settings.mode === 'accuracy';
  const isServer = settings.scenario === 'Server';
  let genDurationNs =
    BigInt(Math.trunc(settings.targetDurationMs)) * 1_000_000n * (isServer ? 1n : 2n);
  let minQueries = settings.minQueryCount;
  let spq =
    isAccuracy && settings.scenario === 'Offline' ? set.distributionEnd : settings.samplesPerQuery;
  if (isAccuracy || settings.performanceIssueUnique) {
    genDurationNs = 0n;
    minQueries = Math.floor(loaded.length / spq);
  }

  const sampleRng = new Mt19937(settings.sampleIndexRngSeed);
  const scheduleRng = new Mt19937(settings.scheduleRngSeed);
  const stride = settings.scenario === 'MultiStream' ? spq : 1;
  const main = isAccuracy
    ? shuffledDistribution(set.distributionEnd, stride, sampleRng)
    : () => uniformInt(sampleRng, 0, set.distributionEnd - 1);
  const unique = shuffledDistribution(set.distributionEnd, stride, sampleRng);
  const equalIssue = equalIssueDistribution(minQueries, loaded.length, sampleRng);
  const nextGapNs = isServer
    ? () => secondsToNs(exponential(scheduleRng, settings.targetQps))
    : constantGap(secondsToNs(1 / settings.targetQps));

  const isEqualIssue = !isAccuracy && settings.sampleConcatenatePermutation;
  if (isEqualIssue && settings.scenario === 'Offline') spq = roundUp(spq, loaded.length);
  if (isEqualIssue && settings.scenario !== 'Offline')
    minQueries = roundUp(minQueries, loaded.length);

  const choose: QuerySampleChooser = {
    settings,
    loaded,
    spq,
    main,
    unique,
    equalIssue,
    isEqualIssue,
    sampleRng,
  };
  const queries: GeneratedQuery[] = [];
  let timestamp = 0n;
  let previous = 0n;
  while (previous < genDurationNs || queries.length < minQueries) {
    queries.push(makeQuery(chooseSamples(choose), timestamp, sequence));
    previous = timestamp;
    timestamp += nextGapNs();
    if (
      isEqualIssue &&
      queries.length >= minQueries &&
      previous < genDurationNs &&
      settings.scenario !== 'Offline'
    ) {
      minQueries += loaded.length;
    }
  }

  if (settings.scenario === 'Offline' && isAccuracy) {
    const remaining = loaded.length % spq;
    if (remaining !== 0) {
      const samples = Array.from({ length: remaining }, () => at(loaded, main()));
      queries.push(makeQuery(samples, timestamp, sequence));
    }
  }
  return {
    queries,
    generatedQueryCount: queries.length,
    generatedSamplesPerQuery: spq,
    generatedQueryDurationNs: timestamp,
  };
}

/** Everything the per-scenario sample choice reads. */
interface QuerySampleChooser {
  settings: QueryGenSettings;
  loaded: number[];
  spq: number;
  main: Distribution;
  unique: Distribution;
  equalIssue: Distribution;
  isEqualIssue: boolean;
  sampleRng: Mt19937;
}

/** The QSL indices of the next query (step 5 of §2.7). */
function chooseSamples(c: QuerySampleChooser): number[] {
  const { settings, loaded, spq } = c;
  const sameIndex = settings.performanceIssueSameIndex;
  switch (settings.scenario) {
    case 'MultiStream': {
      // Contiguous samples; the set's padding keeps start + spq within bounds.
      const start = settings.performanceIssueUnique
        ? c.unique()
        : settings.performanceIssueSame
          ? sameIndex
          : c.main();
      return Array.from({ length: spq }, (_, j) => at(loaded, start + j));
    }
    case 'Offline':
      return offlineSamples(c);
    case 'SingleStream':
    case 'Server':
      return Array.from({ length: spq }, () => {
        const position = settings.performanceIssueUnique
          ? c.unique()
          : settings.performanceIssueSame
            ? sameIndex
            : c.isEqualIssue
              ? c.equalIssue()
              : c.main();
        return at(loaded, position);
      });
    default: {
      const unreachable: never = settings.scenario;
      throw new Error(`unknown scenario ${String(unreachable)}`);
    }
  }
}

/** The loaded set repeated whole (each copy shuffled in equal-issue mode), then its first spq mod len. */
function offlineSamples(c: QuerySampleChooser): number[] {
  const { settings, loaded, spq } = c;
  if (settings.performanceIssueSame)
    return new Array<number>(spq).fill(at(loaded, settings.performanceIssueSameIndex));
  const samples: number[] = [];
  const repeats = Math.floor(spq / loaded.length);
  for (let i = 0; i < repeats; i++) {
    const block = loaded.slice();
    if (settings.sampleConcatenatePermutation) shuffle(block, c.sampleRng);
    samples.push(...block);
  }
  samples.push(...loaded.slice(0, spq % loaded.length));
  return samples;
}

/** Appends one query, taking its query id, sample ids and accuracy-log draws in LoadGen's order. */
function makeQuery(
  sampleIndices: number[],
  scheduledNs: bigint,
  sequence: SequenceGenerator,
): GeneratedQuery {
  const sequenceId = sequence.nextQueryId();
  const firstSampleSequenceId = sequence.currentSampleId;
  const accuracyLogValues = sampleIndices.map(() => {
    sequence.nextSampleId();
    return sequence.nextAccuracyLogValue();
  });
  return { sequenceId, scheduledNs, sampleIndices, firstSampleSequenceId, accuracyLogValues };
}

/** 0, stride, 2*stride, ... < end, shuffled once now, then handed out in order. */
function shuffledDistribution(end: number, stride: number, rng: Mt19937): Distribution {
  const positions: number[] = [];
  for (let i = 0; i < end; i += stride) positions.push(i);
  shuffle(positions, rng);
  let next = 0;
  return () => {
    if (next >= positions.length) throw new Error('shuffled sample distribution exhausted');
    return positions[next++] as number;
  };
}

/** Fresh shuffles of 0..setSize-1 concatenated until they cover `count`, handed out cyclically. */
function equalIssueDistribution(count: number, setSize: number, rng: Mt19937): Distribution {
  const positions: number[] = [];
  const block = Array.from({ length: setSize }, (_, i) => i);
  for (let j = 0; j < count; j += setSize) positions.push(...shuffle(block, rng));
  let next = 0;
  return () => positions[next++ % positions.length] as number;
}

function constantGap(gapNs: bigint): () => bigint {
  return () => gapNs;
}

function roundUp(value: number, multiple: number): number {
  const remainder = value % multiple;
  return remainder === 0 ? value : value + (multiple - remainder);
}

function at(list: number[], position: number): number {
  const value = list[position];
  if (value === undefined)
    throw new Error(`sample position ${position} outside the loaded set (${list.length})`);
  return value;
}
