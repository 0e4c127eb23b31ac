// The result keys of the detail log (spec §4.3 item 6): validity, early stopping, the scenario's
// figures, the per-sample latencies and `num_errors`, appended in LoadGen's order.

import type { LatencyStats } from '../results/latency-stats.js';
import type { PerformanceResult } from '../results/performance-result.js';
import type { DetailLog, DetailLogOptions } from './detail-log.js';
import { formatFixed } from './number-format.js';

function percentileName(percentile: number): string {
  return formatFixed(percentile * 100, 2);
}

function logQueryLatencies(log: DetailLog, stats: LatencyStats, at: DetailLogOptions): void {
  log.log('result_min_query_latency_ns', stats.minNs, at);
  log.log('result_max_query_latency_ns', stats.maxNs, at);
  log.log('result_mean_query_latency_ns', stats.meanNs, at);
  for (const entry of stats.percentiles) {
    log.log(
      `result_${percentileName(entry.percentile)}_percentile_per_query_latency_ns`,
      entry.latencyNs,
      at,
    );
  }
}

function logScenarioFigures(log: DetailLog, result: PerformanceResult, at: DetailLogOptions): void {
  const es = result.earlyStopping;
  switch (result.scenario) {
    case 'SingleStream':
      log.log('result_qps_with_loadgen_overhead', result.qpsWithLoadgenOverhead, at);
      log.log('result_qps_without_loadgen_overhead', result.qpsWithoutLoadgenOverhead, at);
      log.log('early_stopping_latency_ss', es.latencySsNs ?? 0n, at);
      log.log('early_stopping_latency_ms', es.latencyMsNs ?? 0n, at);
      return;
    case 'MultiStream':
      logQueryLatencies(log, result.queryStats ?? result.sampleStats, at);
      log.log('early_stopping_latency_ms', es.latencyMsNs ?? 0n, at);
      return;
    case 'Server':
      log.log('result_scheduled_samples_per_sec', result.scheduledSamplesPerSecond, at);
      log.log('result_completed_samples_per_sec', result.completedSamplesPerSecond, at);
      return;
    case 'Offline':
      log.log('result_samples_per_second', result.samplesPerSecond, at);
      return;
    default: {
      const unknown: never = result.scenario;
      throw new Error(`unknown scenario ${String(unknown)}`);
    }
  }
}

/** Appends the result entries of one performance series, ending with `num_errors`. */
export function logResults(
  log: DetailLog,
  result: PerformanceResult,
  at: DetailLogOptions = {},
): void {
  const { checks } = result;
  log.log('result_validity', result.isValid ? 'VALID' : 'INVALID', at);
  if (result.scenario === 'Server') {
    log.log('result_perf_constraints_met', checks.isPerfConstraintsMet, at);
  }
  log.log('result_min_duration_met', checks.isMinDurationMet, at);
  log.log('result_min_queries_met', checks.isMinQueriesMet, at);
  log.log('early_stopping_met', checks.isEarlyStoppingMet, at);
  if (!result.isValid) {
    log.log('result_invalid_reason', result.invalidReason.replaceAll('\n', ' '), at);
  }
  log.log('early_stopping_result', result.earlyStopping.lines.join(' '), at);
  log.log('result_query_count', BigInt(result.queryCount), at);
  if (result.scenario === 'Server') {
    log.log('result_overlatency_query_count', BigInt(result.overlatencyCount), at);
  }
  logScenarioFigures(log, result, at);
  const stats = result.sampleStats;
  log.log('result_min_latency_ns', stats.minNs, at);
  log.log('result_max_latency_ns', stats.maxNs, at);
  log.log('result_mean_latency_ns', stats.meanNs, at);
  for (const entry of stats.percentiles) {
    log.log(
      `result_${percentileName(entry.percentile)}_percentile_latency_ns`,
      entry.latencyNs,
      at,
    );
  }
  log.log('num_errors', BigInt(log.errorCount), at);
}
