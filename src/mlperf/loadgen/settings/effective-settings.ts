// LoadGen's normalisation of requested settings at test start (spec §2.2, §1.5): the effective
// values every later stage uses, plus the settings errors LoadGen logs (not fatal).

import { formatG } from '../logs/number-format.js';
import type { SettingsLogEntry } from './log-entry.js';
import type { Scenario, TestMode, TestSettings } from './test-settings.js';

/** The settings a run actually uses (LoadGen's TestSettingsInternal). */
export interface EffectiveSettings {
  /** The requested settings these were derived from (after audit.config). */
  requested: TestSettings;
  scenario: Scenario;
  mode: TestMode;
  samplesPerQuery: number;
  /** A double: 1e9 / expected latency for SingleStream and MultiStream. */
  targetQps: number;
  /** Server only; 0 otherwise. */
  targetLatencyNs: bigint;
  targetLatencyPercentile: number;
  /** 0 means unlimited (Server only). */
  maxAsyncQueries: number;
  /** How long queries are pre-generated for; 0 for Offline. */
  targetDurationMs: number;
  minDurationMs: number;
  maxDurationMs: number;
  minQueryCount: number;
  maxQueryCount: number;
  minSampleCount: number;
  qslRngSeed: bigint;
  sampleIndexRngSeed: bigint;
  scheduleRngSeed: bigint;
  accuracyLogRngSeed: bigint;
  accuracyLogProbability: number;
  accuracyLogSamplingTarget: number;
  printTimestamps: boolean;
  performanceIssueUnique: boolean;
  performanceIssueSame: boolean;
  performanceIssueSameIndex: number;
  performanceSampleCount: number;
  accuracySampleCount: number;
  sampleConcatenatePermutation: boolean;
  useTokenLatencies: boolean;
  serverTtftLatencyNs: bigint;
  serverTpotLatencyNs: bigint;
  inferTokenLatencies: boolean;
  tokenLatencyScalingFactor: number;
}

/** What the QSL reports about its samples. */
export interface QslCounts {
  totalSampleCount: number;
  performanceSampleCount: number;
}

/** Offline's slack: generate 10 % more samples than min_duration at the expected QPS needs. */
const OFFLINE_SLACK = 1.1;
/** Equal-issue SingleStream's slack on the expected query count. */
const EQUAL_ISSUE_SLACK = 2.0;

/** C's conversion of a non-negative double to uint64 (truncation). */
function truncToCount(x: number): number {
  return Number.isFinite(x) && x > 0 ? Math.trunc(x) : 0;
}

function invalidQps(field: string, requested: number): SettingsLogEntry {
  return {
    key: 'error_invalid_test_settings',
    message: `Invalid value for ${field} requested. requested: ${formatG(requested)} using: 1`,
  };
}

interface ScenarioTargets {
  targetQps: number;
  targetLatencyNs: bigint;
  targetLatencyPercentile: number;
  maxAsyncQueries: number;
}

function scenarioTargets(r: TestSettings, errors: SettingsLogEntry[]): ScenarioTargets {
  switch (r.scenario) {
    case 'SingleStream':
      return {
        targetQps: 1e9 / r.singleStreamExpectedLatencyNs,
        targetLatencyNs: 0n,
        targetLatencyPercentile: r.singleStreamTargetLatencyPercentile,
        maxAsyncQueries: 1,
      };
    case 'MultiStream':
      return {
        targetQps: 1e9 / r.multiStreamExpectedLatencyNs,
        targetLatencyNs: 0n,
        targetLatencyPercentile: r.multiStreamTargetLatencyPercentile,
        maxAsyncQueries: 1,
      };
    case 'Server':
      if (!(r.serverTargetQps >= 0))
        errors.push(invalidQps('server_target_qps', r.serverTargetQps));
      return {
        targetQps: r.serverTargetQps >= 0 ? r.serverTargetQps : 1,
        targetLatencyNs: r.serverTargetLatencyNs,
        targetLatencyPercentile: r.serverTargetLatencyPercentile,
        maxAsyncQueries: r.serverMaxAsyncQueries,
      };
    case 'Offline':
      if (!(r.offlineExpectedQps >= 0)) {
        errors.push(invalidQps('offline_expected_qps', r.offlineExpectedQps));
      }
      // Unused in Offline; LoadGen sets 0.99 so that the log shows a sane value.
      return {
        targetQps: r.offlineExpectedQps >= 0 ? r.offlineExpectedQps : 1,
        targetLatencyNs: 0n,
        targetLatencyPercentile: 0.99,
        maxAsyncQueries: 1,
      };
    default: {
      const never: never = r.scenario;
      throw new Error(`unknown scenario ${String(never)}`);
    }
  }
}

function validationErrors(r: TestSettings, performanceSampleCount: number): SettingsLogEntry[] {
  const errors: SettingsLogEntry[] = [];
  if (r.performanceIssueSame && r.performanceIssueSameIndex >= performanceSampleCount) {
    errors.push({
      key: 'error_invalid_test_settings',
      message:
        'Sample Idx to be repeated in performance_issue_same mode cannot be greater than loaded ' +
        `performance_sample_count. performance_issue_same_index: ${r.performanceIssueSameIndex} ` +
        `performance_sample_count: ${performanceSampleCount}`,
    });
  }
  if (r.performanceIssueUnique && r.performanceIssueSame) {
    errors.push({
      key: 'error_invalid_test_settings',
      message:
        'Performance_issue_unique and performance_issue_same, both cannot be true at the same ' +
        'time. performance_issue_unique: 1 performance_issue_same: 1',
    });
  }
  return errors;
}

/**
 * Normalises requested settings as LoadGen does at StartTest: per-scenario targets, Offline's
 * single coalesced query (spq = max(min_query_count, trunc(1.1 × min_duration_s × qps)), then
 * min_query_count 1 and target_duration 0), equal-issue SingleStream's query count, sample counts.
 */
export function effectiveSettings(
  requested: TestSettings,
  qsl: QslCounts,
): { effective: EffectiveSettings; errors: SettingsLogEntry[] } {
  const r = requested;
  const errors: SettingsLogEntry[] = [];
  const targets = scenarioTargets(r, errors);
  const performanceSampleCount =
    r.performanceSampleCountOverride === 0
      ? qsl.performanceSampleCount
      : r.performanceSampleCountOverride;
  const accuracySampleCount =
    r.accuracySampleCountOverride === 0 ? qsl.totalSampleCount : r.accuracySampleCountOverride;
  let samplesPerQuery = r.scenario === 'MultiStream' ? r.multiStreamSamplesPerQuery : 1;
  let minQueryCount = r.minQueryCount;
  let targetDurationMs = r.minDurationMs;
  // std::chrono converts milliseconds to seconds as count / 1000 in double.
  const targetDurationS = targetDurationMs / 1000;
  if (r.scenario === 'Offline') {
    const targetSampleCount = truncToCount(OFFLINE_SLACK * targetDurationS * targets.targetQps);
    samplesPerQuery = r.performanceIssueUnique
      ? performanceSampleCount
      : Math.max(minQueryCount, targetSampleCount);
    minQueryCount = 1;
    targetDurationMs = 0;
  }
  if (r.sampleConcatenatePermutation && r.scenario === 'SingleStream') {
    const expectedQueries = truncToCount(EQUAL_ISSUE_SLACK * targetDurationS * targets.targetQps);
    minQueryCount = Math.max(minQueryCount, expectedQueries);
    // Rounded up past the next multiple of the QSL's own performance count (never the override).
    const p = qsl.performanceSampleCount;
    if (p > 0) minQueryCount += p - (minQueryCount % p);
  }
  errors.push(...validationErrors(r, performanceSampleCount));
  const effective: EffectiveSettings = {
    requested: r,
    scenario: r.scenario,
    mode: r.mode,
    samplesPerQuery,
    ...targets,
    targetDurationMs,
    minDurationMs: r.minDurationMs,
    maxDurationMs: r.maxDurationMs,
    minQueryCount,
    maxQueryCount: r.maxQueryCount,
    minSampleCount: minQueryCount * samplesPerQuery,
    qslRngSeed: r.qslRngSeed,
    sampleIndexRngSeed: r.sampleIndexRngSeed,
    scheduleRngSeed: r.scheduleRngSeed,
    accuracyLogRngSeed: r.accuracyLogRngSeed,
    accuracyLogProbability: r.accuracyLogProbability,
    accuracyLogSamplingTarget: r.accuracyLogSamplingTarget,
    printTimestamps: r.printTimestamps,
    performanceIssueUnique: r.performanceIssueUnique,
    performanceIssueSame: r.performanceIssueSame,
    performanceIssueSameIndex: r.performanceIssueSameIndex,
    performanceSampleCount,
    accuracySampleCount,
    sampleConcatenatePermutation: r.sampleConcatenatePermutation,
    useTokenLatencies: r.useTokenLatencies,
    serverTtftLatencyNs: r.serverTtftLatencyNs,
    serverTpotLatencyNs: r.serverTpotLatencyNs,
    inferTokenLatencies: r.inferTokenLatencies,
    tokenLatencyScalingFactor: r.tokenLatencyScalingFactor,
  };
  return { effective, errors };
}
