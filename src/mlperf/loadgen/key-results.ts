// A run's key results as one flat-able JSON object (scenario, mode, metric, validity, latencies),
// written as cm-output.json beside the logs so that `cme` sweeps record them (experiment.md §2.7).
import type { PerformanceResult } from './results/performance-result.js';
import type { TestOutcome } from './runtime/start-test.js';
import type { Scenario, TestMode } from './settings/index.js';

const ms = (ns: bigint): number => Number(ns) / 1e6;

/**
 * The run's headline figure: the scenario's metric, or — where early stopping was not met, so
 * LoadGen has no estimate — the latency at the target percentile, as the summary then shows it.
 */
function headline(r: PerformanceResult): { name: string; value: number; unit: string } {
  if (!('valueNs' in r.metric))
    return { name: r.metric.key, value: r.metric.value, unit: 'samples/s' };
  if (r.checks.isEarlyStoppingMet || r.metric.valueNs !== 0n)
    return { name: r.metric.key, value: ms(r.metric.valueNs), unit: 'ms' };
  const pct = (r.targetLatencyPercentile * 100).toFixed(1);
  return { name: `${pct}th_percentile_latency`, value: ms(r.sampleStats.targetNs), unit: 'ms' };
}

function performanceKeys(r: PerformanceResult): Record<string, unknown> {
  const p = (q: number): number | undefined => {
    const hit = r.sampleStats.percentiles.find((x) => Math.abs(x.percentile - q) < 1e-9);
    return hit ? ms(hit.latencyNs) : undefined;
  };
  return {
    valid: r.isValid,
    metric: headline(r),
    latency_ms: {
      mean: ms(r.sampleStats.meanNs),
      p50: p(0.5),
      p90: p(0.9),
      p99: p(0.99),
      max: ms(r.sampleStats.maxNs),
    },
    queries: r.queryCount,
    samples: r.sampleCount,
    early_stopping_met: r.checks.isEarlyStoppingMet,
  };
}

export function keyResults(
  scenario: Scenario,
  mode: TestMode,
  outcome: TestOutcome,
): Record<string, unknown> {
  const last = outcome.results[outcome.results.length - 1];
  return {
    scenario,
    mode,
    ...(last ? performanceKeys(last) : {}),
    loadgen_errors: outcome.errors,
    loadgen_warnings: outcome.warnings,
  };
}
