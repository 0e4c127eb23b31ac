// The text of mlperf_log_summary.txt (spec §4.2): the result section of a performance series, the
// "Test Parameters Used" block and the warnings/errors trailer. Returns text; the caller writes it.

import type { LatencyStats } from '../results/latency-stats.js';
import {
  MIN_QUERIES_RECOMMENDATION,
  MIN_QUERIES_SUMMARY_HINT,
  type PerformanceResult,
} from '../results/performance-result.js';
import type { Scenario, TestMode } from '../results/run-record.js';
import { formatFixed, formatFlag, formatG } from './number-format.js';

/** The effective settings printed under "Test Parameters Used", in their printed order. */
export interface SummaryParameters {
  readonly samplesPerQuery: number;
  readonly targetQps: number;
  readonly targetLatencyNs: bigint;
  readonly maxAsyncQueries: number;
  readonly minDurationMs: bigint;
  readonly maxDurationMs: bigint;
  readonly minQueryCount: number;
  readonly maxQueryCount: number;
  readonly qslRngSeed: bigint;
  readonly sampleIndexRngSeed: bigint;
  readonly scheduleRngSeed: bigint;
  readonly accuracyLogRngSeed: bigint;
  readonly accuracyLogProbability: number;
  readonly accuracyLogSamplingTarget: number;
  readonly printTimestamps: boolean;
  readonly performanceIssueUnique: boolean;
  readonly performanceIssueSame: boolean;
  readonly performanceIssueSameIndex: number;
  readonly performanceSampleCount: number;
  readonly accuracySampleCount: number;
  readonly sampleConcatenatePermutation: boolean;
}

/** What one result section of the summary shows. */
export interface SummarySection {
  readonly sutName: string;
  readonly mode: TestMode;
  readonly result: PerformanceResult;
  readonly parameters: SummaryParameters;
}

const RULE = '='.repeat(48);

/** A latency-block label padded so that its colon sits at column 33. */
function padded(label: string, value: string): string {
  return `${label.padEnd(32)}: ${value}`;
}

function percentileLabel(percentile: number): string {
  return `${formatFixed(percentile * 100, 2)} percentile latency (ns)`;
}

function latencyBlock(stats: LatencyStats): string[] {
  return [
    padded('Min latency (ns)', stats.minNs.toString()),
    padded('Max latency (ns)', stats.maxNs.toString()),
    padded('Mean latency (ns)', stats.meanNs.toString()),
    ...stats.percentiles.map((entry) =>
      padded(percentileLabel(entry.percentile), entry.latencyNs.toString()),
    ),
  ];
}

function headlineLine(result: PerformanceResult): string {
  const scenario: Scenario = result.scenario;
  switch (scenario) {
    case 'SingleStream':
    case 'MultiStream':
      return `${formatFixed(result.targetLatencyPercentile * 100, 1)}th percentile latency (ns) : ${result.headlineLatencyNs}`;
    case 'Server':
      return `Completed samples per second    : ${formatFixed(result.completedSamplesPerSecond, 2)}`;
    case 'Offline':
      return `Samples per second: ${formatG(result.samplesPerSecond)}`;
    default: {
      const unknown: never = scenario;
      throw new Error(`unknown scenario ${String(unknown)}`);
    }
  }
}

function yesNo(isMet: boolean): string {
  return isMet ? 'Yes' : 'NO';
}

function validityLines(result: PerformanceResult): string[] {
  const { checks } = result;
  const lines = [`Result is : ${result.isValid ? 'VALID' : 'INVALID'}`];
  if (result.scenario === 'Server') {
    lines.push(`  Performance constraints satisfied : ${yesNo(checks.isPerfConstraintsMet)}`);
  }
  lines.push(
    `  Min duration satisfied : ${yesNo(checks.isMinDurationMet)}`,
    `  Min queries satisfied : ${yesNo(checks.isMinQueriesMet)}`,
    `  Early stopping satisfied: ${yesNo(checks.isEarlyStoppingMet)}`,
  );
  if (!result.isValid) {
    lines.push('Recommendations:');
    for (const text of result.recommendations) {
      lines.push(` * ${text}`);
      if (text === MIN_QUERIES_RECOMMENDATION) {
        lines.push(MIN_QUERIES_SUMMARY_HINT);
      }
    }
  }
  if (result.scenario !== 'Offline') {
    // LoadGen prints the text as one (possibly empty) line.
    const text = result.earlyStopping.lines;
    lines.push('Early Stopping Result:', ...(text.length === 0 ? [''] : text));
  }
  return lines;
}

function additionalStats(result: PerformanceResult): string[] {
  switch (result.scenario) {
    case 'SingleStream':
      return [
        `QPS w/ loadgen overhead         : ${formatFixed(result.qpsWithLoadgenOverhead, 2)}`,
        `QPS w/o loadgen overhead        : ${formatFixed(result.qpsWithoutLoadgenOverhead, 2)}`,
        '',
        ...latencyBlock(result.sampleStats),
      ];
    case 'Server':
      return [
        `Scheduled samples per second : ${formatFixed(result.scheduledSamplesPerSecond, 2)}`,
        ...latencyBlock(result.sampleStats),
      ];
    case 'MultiStream':
      return ['Per-query latency:  ', ...latencyBlock(result.queryStats ?? result.sampleStats)];
    case 'Offline':
      return latencyBlock(result.sampleStats);
    default: {
      const unknown: never = result.scenario;
      throw new Error(`unknown scenario ${String(unknown)}`);
    }
  }
}

function parameterLines(p: SummaryParameters): string[] {
  const lines = [
    `samples_per_query : ${p.samplesPerQuery}`,
    `target_qps : ${formatG(p.targetQps)}`,
    `target_latency (ns): ${p.targetLatencyNs}`,
    `max_async_queries : ${p.maxAsyncQueries}`,
    `min_duration (ms): ${p.minDurationMs}`,
    `max_duration (ms): ${p.maxDurationMs}`,
    `min_query_count : ${p.minQueryCount}`,
    `max_query_count : ${p.maxQueryCount}`,
    `qsl_rng_seed : ${p.qslRngSeed}`,
    `sample_index_rng_seed : ${p.sampleIndexRngSeed}`,
    `schedule_rng_seed : ${p.scheduleRngSeed}`,
    `accuracy_log_rng_seed : ${p.accuracyLogRngSeed}`,
    `accuracy_log_probability : ${formatG(p.accuracyLogProbability)}`,
    `accuracy_log_sampling_target : ${p.accuracyLogSamplingTarget}`,
    `print_timestamps : ${formatFlag(p.printTimestamps)}`,
    `performance_issue_unique : ${formatFlag(p.performanceIssueUnique)}`,
    `performance_issue_same : ${formatFlag(p.performanceIssueSame)}`,
    `performance_issue_same_index : ${p.performanceIssueSameIndex}`,
    `performance_sample_count : ${p.performanceSampleCount}`,
    `accuracy_sample_count : ${p.accuracySampleCount}`,
  ];
  if (p.sampleConcatenatePermutation) {
    lines.push(
      'WARNING: sample_concatenate_permutation was set to true. ',
      'Generated samples per query might be different as the one in the setting.',
      'Check the generated_samples_per_query line in the detailed log for the real',
      'samples_per_query value',
    );
  }
  return lines;
}

/** The result section of one performance series, each line ending in `\n`. */
export function renderSummarySection(section: SummarySection): string {
  const { result } = section;
  const lines = [
    RULE,
    'MLPerf Results Summary',
    RULE,
    `SUT name : ${section.sutName}`,
    `Scenario : ${result.scenario}`,
    `Mode     : ${section.mode}`,
    headlineLine(result),
    ...validityLines(result),
    '',
    RULE,
    'Additional Stats',
    RULE,
    ...additionalStats(result),
    '',
    RULE,
    'Test Parameters Used',
    RULE,
    ...parameterLines(section.parameters),
  ];
  return lines.map((line) => `${line}\n`).join('');
}

function countLine(count: number, singular: string, plural: string, none: string): string {
  if (count === 0) {
    return `\n${none}\n`;
  }
  return count === 1
    ? `\n1 ${singular} encountered. See detailed log.\n`
    : `\n${count} ${plural} encountered. See detailed log.\n`;
}

/** The trailer LoadGen appends when it closes the summary. */
export function renderSummaryTrailer(counts: {
  readonly warnings: number;
  readonly errors: number;
}): string {
  return (
    countLine(counts.warnings, 'warning', 'warnings', 'No warnings encountered during test.') +
    countLine(counts.errors, 'ERROR', 'ERRORS', 'No errors encountered during test.')
  );
}

/**
 * The whole summary file: the result sections (none in a pure AccuracyOnly run, one per performance
 * series otherwise, several in a FindPeakPerformance search) followed by the trailer.
 */
export function renderSummary(
  sections: readonly SummarySection[],
  counts: { readonly warnings: number; readonly errors: number },
): string {
  return sections.map(renderSummarySection).join('') + renderSummaryTrailer(counts);
}
