// The results of a performance series (spec §1.2-§1.5 "Reported", §1.7): scenario metric, QPS
// figures, the four validity checks and the recommendation texts. Formatting lives in logs/.

import { computeLatencyStats, type LatencyStats } from './latency-stats.js';
import type { EarlyStoppingOutcome, ResultSettings, RunRecord, Scenario } from './run-record.js';

/** Recommendation when Server misses its latency constraint. */
export const PERF_CONSTRAINT_RECOMMENDATION = 'Reduce target QPS to improve latency.';
/** Recommendation when too few queries were issued (the summary adds a second line). */
export const MIN_QUERIES_RECOMMENDATION =
  'The test exited early, before enough queries were issued.';
/** Second summary line of the min-queries recommendation. */
export const MIN_QUERIES_SUMMARY_HINT = '   See the detailed log for why this may have occurred.';

/** The min-duration recommendation of each scenario. */
export function minDurationRecommendation(scenario: Scenario): string {
  switch (scenario) {
    case 'SingleStream':
    case 'MultiStream':
      return 'Decrease the expected latency so the loadgen pre-generates more queries.';
    case 'Server':
      return 'Increase the target QPS so the loadgen pre-generates more queries.';
    case 'Offline':
      return 'Increase expected QPS so the loadgen pre-generates a larger (coalesced) query.';
    default: {
      const unknown: never = scenario;
      throw new Error(`unknown scenario ${String(unknown)}`);
    }
  }
}

/** The four validity checks of §1.7. */
export interface ValidityChecks {
  readonly isMinDurationMet: boolean;
  /** queries issued ≥ min_query_count and samples completed ≥ min_sample_count. */
  readonly isMinQueriesMet: boolean;
  /** Always true outside Server. */
  readonly isPerfConstraintsMet: boolean;
  readonly isEarlyStoppingMet: boolean;
}

/** The official metric of a scenario (§6.7): its detail-log key and value. */
export type ScenarioMetric =
  | {
      readonly key: 'early_stopping_latency_ss' | 'early_stopping_latency_ms';
      readonly valueNs: bigint;
    }
  | {
      readonly key: 'result_completed_samples_per_sec' | 'result_samples_per_second';
      readonly value: number;
    };

/** Everything the summary and the detail log report about one performance series. */
export interface PerformanceResult {
  readonly scenario: Scenario;
  readonly targetLatencyPercentile: number;
  readonly queryCount: number;
  readonly sampleCount: number;
  /** The summary's headline latency: SS sample, MS query latency at the target percentile; else 0. */
  readonly headlineLatencyNs: bigint;
  readonly metric: ScenarioMetric;
  /** Per-sample statistics (every scenario). */
  readonly sampleStats: LatencyStats;
  /** Per-query statistics: MultiStream only. */
  readonly queryStats?: LatencyStats;
  /** Server: samples with latency strictly above the target latency; 0 elsewhere. */
  readonly overlatencyCount: number;
  /** SS: (n−1) / issue time of the last query, in seconds. */
  readonly qpsWithLoadgenOverhead: number;
  /** SS: 1 / mean latency in seconds. */
  readonly qpsWithoutLoadgenOverhead: number;
  /** Server: (n−1) / scheduled time of the last query. */
  readonly scheduledSamplesPerSecond: number;
  /** Server's metric: (n−1) / time at which the last issued query completed. */
  readonly completedSamplesPerSecond: number;
  /** Offline's metric: n / max latency. */
  readonly samplesPerSecond: number;
  readonly checks: ValidityChecks;
  readonly isValid: boolean;
  readonly earlyStopping: EarlyStoppingOutcome;
  /** Summary bullet texts of the failed checks, in order (without the leading ` * `). */
  readonly recommendations: readonly string[];
  /** `result_invalid_reason`: the failed texts each followed by a space ("" if only ES failed). */
  readonly invalidReason: string;
}

/** ns → seconds as LoadGen converts (double division by 1e9). */
function toSeconds(ns: bigint): number {
  return Number(ns) / 1e9;
}

/** A rate that guards a zero or negative time span (LoadGen would print inf or nan). */
function rate(count: number, seconds: number): number {
  return seconds > 0 ? count / seconds : 0;
}

function isMinDurationMet(record: RunRecord, settings: ResultSettings): boolean {
  const minDurationS = Number(settings.minDurationMs) / 1000;
  switch (settings.scenario) {
    case 'Offline':
      return toSeconds(record.maxLatencyNs) >= minDurationS;
    case 'Server':
      return toSeconds(record.finalQueryScheduledNs) >= minDurationS;
    case 'SingleStream':
    case 'MultiStream':
      return toSeconds(record.finalQueryIssuedNs) >= minDurationS;
    default: {
      const unknown: never = settings.scenario;
      throw new Error(`unknown scenario ${String(unknown)}`);
    }
  }
}

function checkValidity(
  record: RunRecord,
  settings: ResultSettings,
  sampleStats: LatencyStats,
  earlyStopping: EarlyStoppingOutcome,
): ValidityChecks {
  return {
    isMinDurationMet: isMinDurationMet(record, settings),
    isMinQueriesMet:
      record.queriesIssued >= settings.minQueryCount &&
      sampleStats.count >= settings.minSampleCount,
    isPerfConstraintsMet:
      settings.scenario !== 'Server' || sampleStats.targetNs <= settings.targetLatencyNs,
    isEarlyStoppingMet: earlyStopping.isMet,
  };
}

function recommendationsOf(scenario: Scenario, checks: ValidityChecks): string[] {
  const texts: string[] = [];
  if (!checks.isPerfConstraintsMet) {
    texts.push(PERF_CONSTRAINT_RECOMMENDATION);
  }
  if (!checks.isMinDurationMet) {
    texts.push(minDurationRecommendation(scenario));
  }
  if (!checks.isMinQueriesMet) {
    texts.push(MIN_QUERIES_RECOMMENDATION);
  }
  return texts;
}

function invalidReasonOf(scenario: Scenario, checks: ValidityChecks): string {
  let reason = '';
  if (!checks.isPerfConstraintsMet) {
    reason += `${PERF_CONSTRAINT_RECOMMENDATION} `;
  }
  if (!checks.isMinDurationMet) {
    reason += `${minDurationRecommendation(scenario)} `;
  }
  if (!checks.isMinQueriesMet) {
    reason += MIN_QUERIES_RECOMMENDATION;
  }
  return reason;
}

function metricOf(
  scenario: Scenario,
  earlyStopping: EarlyStoppingOutcome,
  completedSamplesPerSecond: number,
  samplesPerSecond: number,
): ScenarioMetric {
  switch (scenario) {
    case 'SingleStream':
      return { key: 'early_stopping_latency_ss', valueNs: earlyStopping.latencySsNs ?? 0n };
    case 'MultiStream':
      return { key: 'early_stopping_latency_ms', valueNs: earlyStopping.latencyMsNs ?? 0n };
    case 'Server':
      return { key: 'result_completed_samples_per_sec', value: completedSamplesPerSecond };
    case 'Offline':
      return { key: 'result_samples_per_second', value: samplesPerSecond };
    default: {
      const unknown: never = scenario;
      throw new Error(`unknown scenario ${String(unknown)}`);
    }
  }
}

/** Computes the results of one performance series from its record and effective settings. */
export function summarizeRun(
  record: RunRecord,
  settings: ResultSettings,
  earlyStopping: EarlyStoppingOutcome,
): PerformanceResult {
  const { scenario, targetLatencyPercentile } = settings;
  const sampleStats = computeLatencyStats(record.sampleLatenciesNs, targetLatencyPercentile);
  const sampleCount = sampleStats.count;
  const checks = checkValidity(record, settings, sampleStats, earlyStopping);
  const isValid =
    checks.isMinDurationMet &&
    checks.isMinQueriesMet &&
    checks.isPerfConstraintsMet &&
    checks.isEarlyStoppingMet;
  const overlatencyCount =
    scenario === 'Server'
      ? record.sampleLatenciesNs.filter((latency) => latency > settings.targetLatencyNs).length
      : 0;
  const spanCount = Math.max(sampleCount - 1, 0);
  const queryStats =
    scenario === 'MultiStream'
      ? computeLatencyStats(record.queryLatenciesNs, targetLatencyPercentile)
      : undefined;
  const completedSamplesPerSecond = rate(spanCount, toSeconds(record.finalQueryAllSamplesDoneNs));
  const samplesPerSecond = rate(sampleCount, toSeconds(record.maxLatencyNs));
  return {
    scenario,
    targetLatencyPercentile,
    queryCount: record.queriesIssued,
    sampleCount,
    sampleStats,
    headlineLatencyNs:
      scenario === 'SingleStream' ? sampleStats.targetNs : (queryStats?.targetNs ?? 0n),
    metric: metricOf(scenario, earlyStopping, completedSamplesPerSecond, samplesPerSecond),
    ...(queryStats === undefined ? {} : { queryStats }),
    overlatencyCount,
    qpsWithLoadgenOverhead: rate(spanCount, toSeconds(record.finalQueryIssuedNs)),
    qpsWithoutLoadgenOverhead: rate(1, toSeconds(sampleStats.meanNs)),
    scheduledSamplesPerSecond: rate(spanCount, toSeconds(record.finalQueryScheduledNs)),
    completedSamplesPerSecond,
    samplesPerSecond,
    checks,
    isValid,
    earlyStopping,
    recommendations: recommendationsOf(scenario, checks),
    invalidReason: isValid ? '' : invalidReasonOf(scenario, checks),
  };
}
