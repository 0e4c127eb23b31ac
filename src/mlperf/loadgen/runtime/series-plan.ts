// A loadable set's generated queries (query-generation.ts) as the plan the issue loop runs: each
// sample with its sequence id and whether its response goes to the accuracy log (§2.8).
import { accuracyLogSampler, isSampleLogged } from '../accuracy-log-sampling.js';
import type { GeneratedQueries } from '../query-generation.js';
import type { EffectiveSettings } from '../settings/index.js';
import type { SeriesPlan } from './run-series.js';

export function seriesPlan(
  e: EffectiveSettings,
  gen: GeneratedQueries,
  accuracy: boolean,
): SeriesPlan {
  const sampler = accuracyLogSampler({
    scenario: e.scenario,
    targetQps: e.targetQps,
    minDurationMs: e.minDurationMs,
    minQueryCount: e.minQueryCount,
    samplesPerQuery: e.samplesPerQuery,
    minSampleCount: e.minSampleCount,
    accuracyLogProbability: e.accuracyLogProbability,
    accuracyLogSamplingTarget: e.accuracyLogSamplingTarget,
    accuracyLogRngSeed: e.accuracyLogRngSeed,
  });
  return {
    scenario: e.scenario,
    accuracy,
    queries: gen.queries.map((q) => ({
      scheduledNs: q.scheduledNs,
      samples: q.sampleIndices.map((index, j) => ({
        index,
        seqId: q.firstSampleSequenceId + j,
        logged: isSampleLogged(q.accuracyLogValues[j]!, sampler, accuracy),
      })),
    })),
    minQueryCount: e.minQueryCount,
    targetDurationNs: BigInt(e.targetDurationMs) * 1_000_000n,
    maxQueryCount: e.maxQueryCount,
    maxDurationNs: BigInt(e.maxDurationMs) * 1_000_000n,
    maxAsyncQueries: e.scenario === 'Server' ? e.maxAsyncQueries : 0,
  };
}
