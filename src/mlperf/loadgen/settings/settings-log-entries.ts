// The requested_* and effective_* entries of the detail log (spec §4.3), in LoadGen's order, as
// plain data. Value types tell the writer how to print: bigint = integer, number = C++ double (%g).

import type { EffectiveSettings } from './effective-settings.js';
import type { TestSettings } from './test-settings.js';

/** A detail-log value: an integer (bigint), a double (number), a boolean or a string. */
export type SettingsLogValue = bigint | number | boolean | string;

export interface SettingsLogKeyValue {
  key: string;
  value: SettingsLogValue;
}

const int = (n: number | bigint): bigint => BigInt(n);

function requestedScenarioEntries(s: TestSettings): [string, SettingsLogValue][] {
  switch (s.scenario) {
    case 'SingleStream':
      return [
        ['single_stream_expected_latency_ns', s.singleStreamExpectedLatencyNs],
        ['single_stream_target_latency_percentile', s.singleStreamTargetLatencyPercentile],
      ];
    case 'MultiStream':
      return [
        ['multi_stream_expected_latency_ns', s.multiStreamExpectedLatencyNs],
        ['multi_stream_target_latency_percentile', s.multiStreamTargetLatencyPercentile],
        ['multi_stream_samples_per_query', int(s.multiStreamSamplesPerQuery)],
      ];
    case 'Server':
      return [
        ['server_target_qps', s.serverTargetQps],
        ['server_target_latency_ns', s.serverTargetLatencyNs],
        ['server_target_latency_percentile', s.serverTargetLatencyPercentile],
        ['server_coalesce_queries', s.serverCoalesceQueries],
        ['server_find_peak_qps_decimals_of_precision', int(s.serverFindPeakQpsDecimalsOfPrecision)],
        ['server_find_peak_qps_boundary_step_size', s.serverFindPeakQpsBoundaryStepSize],
        ['server_max_async_queries', int(s.serverMaxAsyncQueries)],
        ['server_num_issue_query_threads', int(s.serverNumIssueQueryThreads)],
      ];
    case 'Offline':
      return [['offline_expected_qps', s.offlineExpectedQps]];
    default: {
      const never: never = s.scenario;
      throw new Error(`unknown scenario ${String(never)}`);
    }
  }
}

function requestedEntries(s: TestSettings): [string, SettingsLogValue][] {
  const entries: [string, SettingsLogValue][] = [
    ['scenario', s.scenario],
    ['test_mode', s.mode],
    ...requestedScenarioEntries(s),
    ['min_duration_ms', int(s.minDurationMs)],
    ['max_duration_ms', int(s.maxDurationMs)],
    ['min_query_count', int(s.minQueryCount)],
    ['max_query_count', int(s.maxQueryCount)],
    ['qsl_rng_seed', s.qslRngSeed],
    ['sample_index_rng_seed', s.sampleIndexRngSeed],
    ['schedule_rng_seed', s.scheduleRngSeed],
    ['accuracy_log_rng_seed', s.accuracyLogRngSeed],
    ['accuracy_log_probability', s.accuracyLogProbability],
    ['accuracy_log_sampling_target', int(s.accuracyLogSamplingTarget)],
    ['print_timestamps', s.printTimestamps],
    ['performance_issue_unique', s.performanceIssueUnique],
    ['performance_issue_same', s.performanceIssueSame],
    ['performance_issue_same_index', int(s.performanceIssueSameIndex)],
    ['performance_sample_count_override', int(s.performanceSampleCountOverride)],
    ['accuracy_sample_count_override', int(s.accuracySampleCountOverride)],
    ['sample_concatenate_permutation', s.sampleConcatenatePermutation],
  ];
  if (s.useTokenLatencies) {
    entries.push(['use_token_latencies', true]);
    if (s.scenario !== 'Offline') {
      entries.push(['server_ttft_latency', s.serverTtftLatencyNs]);
      entries.push(['server_tpot_latency', s.serverTpotLatencyNs]);
    }
  }
  return entries;
}

function effectiveEntries(e: EffectiveSettings): [string, SettingsLogValue][] {
  return [
    ['scenario', e.scenario],
    ['test_mode', e.mode],
    ['samples_per_query', int(e.samplesPerQuery)],
    ['target_qps', e.targetQps],
    ['target_latency_ns', e.targetLatencyNs],
    ['target_latency_percentile', e.targetLatencyPercentile],
    ['max_async_queries', int(e.maxAsyncQueries)],
    ['target_duration_ms', int(e.targetDurationMs)],
    ['min_duration_ms', int(e.minDurationMs)],
    ['max_duration_ms', int(e.maxDurationMs)],
    ['min_query_count', int(e.minQueryCount)],
    ['max_query_count', int(e.maxQueryCount)],
    ['min_sample_count', int(e.minSampleCount)],
    ['qsl_rng_seed', e.qslRngSeed],
    ['sample_index_rng_seed', e.sampleIndexRngSeed],
    ['schedule_rng_seed', e.scheduleRngSeed],
    ['accuracy_log_rng_seed', e.accuracyLogRngSeed],
    ['accuracy_log_probability', e.accuracyLogProbability],
    ['accuracy_log_sampling_target', int(e.accuracyLogSamplingTarget)],
    ['print_timestamps', e.printTimestamps],
    ['performance_issue_unique', e.performanceIssueUnique],
    ['performance_issue_same', e.performanceIssueSame],
    ['performance_issue_same_index', int(e.performanceIssueSameIndex)],
    ['performance_sample_count', int(e.performanceSampleCount)],
    ['accuracy_sample_count', int(e.accuracySampleCount)],
    ['sample_concatenate_permutation', e.sampleConcatenatePermutation],
  ];
}

/**
 * The `requested_*` then `effective_*` detail-log entries LoadGen writes at test start, in its
 * order (scenario-specific requested keys only for the requested scenario; token keys only when
 * token latencies are on).
 */
export function settingsLogEntries(
  requested: TestSettings,
  effective: EffectiveSettings,
): SettingsLogKeyValue[] {
  return [
    ...requestedEntries(requested).map(([key, value]) => ({ key: `requested_${key}`, value })),
    ...effectiveEntries(effective).map(([key, value]) => ({ key: `effective_${key}`, value })),
  ];
}
