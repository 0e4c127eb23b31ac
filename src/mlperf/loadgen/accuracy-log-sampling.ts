// Which samples a run writes to the accuracy log (§2.8): all of them in accuracy mode, a seeded
// fraction in performance mode (TEST01). Decides only; writing the log is not done here.

import type { GeneratedQuery, Scenario } from './query-generation.js';
import { Mt19937 } from './random/mt19937.js';
import { uniformReal } from './random/real.js';

/** The effective settings accuracy-log sampling reads. */
export interface AccuracyLogSettings {
  scenario: Scenario;
  targetQps: number;
  minDurationMs: number;
  minQueryCount: number;
  samplesPerQuery: number;
  /** Offline's effective min_sample_count (its samples per query). */
  minSampleCount: number;
  accuracyLogProbability: number;
  accuracyLogSamplingTarget: number;
  accuracyLogRngSeed: bigint;
}

/** The per-series sampling rule: a sample is logged iff frac(value + offset) <= probability. */
export interface AccuracyLogSampler {
  offset: number;
  probability: number;
}

/** Builds a series' sampler: the offset is the first U[0,1) of a fresh MT(accuracy_log_rng_seed). */
export function accuracyLogSampler(settings: AccuracyLogSettings): AccuracyLogSampler {
  const offset = uniformReal(new Mt19937(settings.accuracyLogRngSeed), 0, 1);
  if (settings.accuracyLogSamplingTarget <= 0)
    return { offset, probability: settings.accuracyLogProbability };
  const isOffline = settings.scenario === 'Offline';
  // LoadGen truncates the double product to an unsigned 64-bit count before scaling it.
  let expected = Math.trunc((settings.targetQps * settings.minDurationMs) / 1000);
  if (!isOffline) expected *= settings.samplesPerQuery;
  const minimum = isOffline
    ? settings.minSampleCount
    : settings.minQueryCount * settings.samplesPerQuery;
  expected = Math.max(expected, minimum);
  return { offset, probability: settings.accuracyLogSamplingTarget / expected };
}

/** Whether a sample with accuracy-log draw `value` is logged. */
export function isSampleLogged(
  value: number,
  sampler: AccuracyLogSampler,
  isAccuracyMode: boolean,
): boolean {
  if (isAccuracyMode) return true;
  const sum = value + sampler.offset;
  return (sum < 1 ? sum : sum - 1) <= sampler.probability;
}

/** The sample sequence ids logged among `queries` (pass only the queries that were issued). */
export function loggedSampleSequenceIds(
  queries: readonly GeneratedQuery[],
  sampler: AccuracyLogSampler,
  isAccuracyMode: boolean,
): number[] {
  const ids: number[] = [];
  for (const query of queries) {
    query.accuracyLogValues.forEach((value, j) => {
      if (isSampleLogged(value, sampler, isAccuracyMode)) ids.push(query.firstSampleSequenceId + j);
    });
  }
  return ids;
}
