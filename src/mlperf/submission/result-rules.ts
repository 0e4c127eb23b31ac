// The checker's rules over one result's logs (spec §6.7, resnet50, v6.x): performance detail log,
// accuracy run and accuracy.txt. Pure: each takes parsed text and returns the problems it finds.

import type { RoundSeeds } from '../loadgen/settings/mlperf-conf.js';
import { lastEntry, type MllogEntry, type ParsedMllog, type SubmissionProblem } from './mllog.js';
import { findHashLine, MAX_ACCURACY_LOG_SIZE } from './truncate-accuracy-log.js';

export type SubmissionScenario = 'SingleStream' | 'MultiStream' | 'Server' | 'Offline';

/** The thresholds of the round; defaults are resnet50's. */
export interface ResultLimits {
  minDurationMs: bigint;
  minPerformanceSampleCount: bigint;
  minOfflineSamplesPerQuery: bigint;
  maxServerLatencyNs: bigint;
  accuracyTargetPercent: number;
  accuracySampleCount: bigint;
}

export const RESNET50_LIMITS: ResultLimits = {
  minDurationMs: 600000n,
  minPerformanceSampleCount: 1024n,
  minOfflineSamplesPerQuery: 24576n,
  maxServerLatencyNs: 15_000_000n,
  accuracyTargetPercent: 76.46 * 0.99,
  accuracySampleCount: 50000n,
};

const ACCURACY_LINE = /^(?:\{"accuracy|accuracy)[": ]*=?\s*([\d.]+).*/m;

function integerOf(
  log: ParsedMllog,
  key: string,
  path: string,
  problems: SubmissionProblem[],
): bigint | undefined {
  const entry: MllogEntry | undefined = lastEntry(log, key);
  if (entry === undefined) problems.push({ path, message: `key '${key}' is missing` });
  else if (entry.integer === undefined)
    problems.push({ path, message: `key '${key}' is not an integer` });
  return entry?.integer;
}

function errorProblems(log: ParsedMllog, path: string): SubmissionProblem[] {
  return log.entries
    .filter((e) => e.isError)
    .map((e) => ({
      path,
      message: `line ${e.lineNo}: LoadGen error '${e.key}': ${JSON.stringify(e.value)}`,
    }));
}

/** Problems of a performance run's detail log against the round's seeds and the limits. */
export function checkPerformanceLog(
  log: ParsedMllog,
  where: { path: string; scenario: SubmissionScenario; seeds: RoundSeeds; division: string },
  limits: ResultLimits = RESNET50_LIMITS,
): SubmissionProblem[] {
  const { path, scenario } = where;
  const problems: SubmissionProblem[] = [...log.problems, ...errorProblems(log, path)];
  const logged = lastEntry(log, 'effective_scenario')?.value;
  if (logged !== scenario)
    problems.push({
      path,
      message: `effective_scenario is '${String(logged)}', expected '${scenario}'`,
    });
  const seeds: Array<[string, bigint]> = [
    ['effective_qsl_rng_seed', where.seeds.qslRngSeed],
    ['effective_sample_index_rng_seed', where.seeds.sampleIndexRngSeed],
    ['effective_schedule_rng_seed', where.seeds.scheduleRngSeed],
  ];
  for (const [key, expected] of seeds) {
    const value = integerOf(log, key, path, problems);
    if (value !== undefined && value !== expected)
      problems.push({ path, message: `${key} is ${value}, the round's is ${expected}` });
  }
  const atLeast = (key: string, min: bigint): void => {
    const value = integerOf(log, key, path, problems);
    if (value !== undefined && value < min)
      problems.push({ path, message: `${key} is ${value}, must be ≥ ${min}` });
  };
  atLeast('effective_min_duration_ms', limits.minDurationMs);
  atLeast('effective_performance_sample_count', limits.minPerformanceSampleCount);
  if (scenario === 'Offline' && where.division === 'closed')
    atLeast('effective_samples_per_query', limits.minOfflineSamplesPerQuery);
  if (scenario === 'Server') {
    const latency = integerOf(log, 'effective_target_latency_ns', path, problems);
    if (latency !== undefined && latency > limits.maxServerLatencyNs) {
      problems.push({
        path,
        message: `effective_target_latency_ns is ${latency}, must be ≤ ${limits.maxServerLatencyNs}`,
      });
    }
  }
  if (scenario !== 'Offline' && lastEntry(log, 'early_stopping_met')?.value !== true) {
    problems.push({ path, message: 'early_stopping_met is not true' });
  }
  const validity = lastEntry(log, 'result_validity')?.value;
  if (validity !== 'VALID')
    problems.push({ path, message: `result_validity is '${String(validity)}', expected 'VALID'` });
  const numErrors = integerOf(log, 'num_errors', path, problems);
  if (numErrors !== undefined && numErrors !== 0n)
    problems.push({ path, message: `num_errors is ${numErrors}, expected 0` });
  return problems;
}

/** Problems of an accuracy run: its detail log, accuracy.txt (score and hash line) and the log size. */
export function checkAccuracyRun(
  run: {
    detail: ParsedMllog;
    detailPath: string;
    accuracyTxt: string;
    txtPath: string;
    logSize: number;
    logPath: string;
  },
  limits: ResultLimits = RESNET50_LIMITS,
): SubmissionProblem[] {
  const problems: SubmissionProblem[] = [
    ...run.detail.problems,
    ...errorProblems(run.detail, run.detailPath),
  ];
  const count =
    lastEntry(run.detail, 'effective_accuracy_sample_count') ??
    lastEntry(run.detail, 'qsl_reported_total_count');
  if (count?.integer === undefined) {
    problems.push({
      path: run.detailPath,
      message: "key 'effective_accuracy_sample_count' is missing",
    });
  } else if (count.integer < limits.accuracySampleCount) {
    problems.push({
      path: run.detailPath,
      message: `${count.key} is ${count.integer}, the accuracy run must cover ${limits.accuracySampleCount} samples`,
    });
  }
  const score = ACCURACY_LINE.exec(run.accuracyTxt)?.[1];
  if (score === undefined) problems.push({ path: run.txtPath, message: 'no accuracy line' });
  else if (Number(score) < limits.accuracyTargetPercent) {
    problems.push({
      path: run.txtPath,
      message: `accuracy ${score} is below the target ${Number(limits.accuracyTargetPercent.toFixed(6))}`,
    });
  }
  if (findHashLine(run.accuracyTxt) === undefined)
    problems.push({ path: run.txtPath, message: "no 'hash=' line (run the truncation)" });
  if (run.logSize > MAX_ACCURACY_LOG_SIZE) {
    problems.push({
      path: run.logPath,
      message: `${run.logSize} bytes, a truncated accuracy log must be ≤ ${MAX_ACCURACY_LOG_SIZE}`,
    });
  }
  return problems;
}
