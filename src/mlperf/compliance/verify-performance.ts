// The compliance tests' verify_performance (spec loadgen.md §1.8), with the official scripts'
// report lines. TEST01: the compliance run's metric (from the detail log) is within ±10 % of the
// performance run's (±20 % for a short SingleStream/MultiStream latency). TEST04: the run that
// issues one sample over and over (from the summary) must not be more than 10 % faster.
import { lastEntry, parseMllog } from '../submission/mllog.js';
import { formatFloatPython } from '../submission/python-format.js';
import type { ComplianceTest } from './audit-config.js';

export interface PerformanceVerification {
  isPassing: boolean;
  /** verify_performance.txt */
  report: string;
}

interface LogText {
  text: string;
  path: string;
}

const RESULT_FIELD: Readonly<Record<string, string>> = {
  Offline: 'result_samples_per_second',
  SingleStream: 'early_stopping_latency_ss',
  MultiStream: 'early_stopping_latency_ms',
  Server: 'result_completed_samples_per_sec',
};

class Fail extends Error {}

function detailResult(log: LogText): { scenario: string; score: number; targetLatency?: string } {
  const parsed = parseMllog(log.text, log.path);
  const scenario = String(lastEntry(parsed, 'effective_scenario')?.value ?? '');
  const field = RESULT_FIELD[scenario];
  const score = Number(field ? lastEntry(parsed, field)?.value : NaN);
  if (String(lastEntry(parsed, 'result_validity')?.value) !== 'VALID')
    throw new Fail(`TEST FAIL: Invalid results in ${log.path}`);
  const latency = lastEntry(parsed, 'effective_target_latency_ns');
  return {
    scenario,
    score,
    ...(scenario === 'Server' && latency
      ? { targetLatency: String(latency.integer ?? latency.value) }
      : {}),
  };
}

/** The threshold of both tests: 20 % for short latencies, else 10 %. */
function threshold(scenario: string, refScore: number): number {
  return (scenario === 'SingleStream' && refScore <= 200_000) ||
    (scenario === 'MultiStream' && refScore <= 1_600_000)
    ? 0.2
    : 0.1;
}

function verifyTest01(reference: LogText, test: LogText, lines: string[]): boolean {
  const ref = detailResult(reference);
  const got = detailResult(test);
  if (got.scenario !== ref.scenario)
    throw new Fail('TEST FAIL: Test and reference scenarios do not match!');
  if (ref.scenario === 'Server' && got.targetLatency !== ref.targetLatency)
    throw new Fail('TEST FAIL: Server target latency mismatch');
  lines.push(
    `Reference score = ${formatFloatPython(ref.score)}`,
    `Test score = ${formatFloatPython(got.score)}`,
  );
  const t = threshold(ref.scenario, ref.score);
  const ok = ref.score * (1 - t) <= got.score && got.score <= ref.score * (1 + t);
  lines.push(ok ? 'TEST PASS' : 'TEST FAIL: Test score invalid');
  return ok;
}

/** A summary's scenario, score (1e9/latency for SS/MS), target latency, and validity. */
function summaryResult(
  log: LogText,
  which: string,
  lines: string[],
): { scenario: string; score: number; shown: string; latency?: string } {
  let scenario = '';
  let score = 0;
  // As printed: the summary's text for Server and Offline, Python's float for SS and MS.
  let shown = '0';
  let latency: string | undefined;
  for (const line of log.text.split('\n')) {
    const value = (): string => line.split(': ').slice(1).join(': ').trim();
    if (/^Scenario/.test(line)) scenario = value();
    else if (
      scenario === 'SingleStream' &&
      /Early stopping (90th|90.0th|99.9th) percentile estimate/.test(line)
    ) {
      score = 1e9 / Number(value());
      shown = formatFloatPython(score);
    } else if (
      scenario === 'MultiStream' &&
      /Early stopping (99th|99.0th) percentile estimate/.test(line)
    ) {
      score = 1e9 / Number(value());
      shown = formatFloatPython(score);
    } else if (scenario === 'Server' && /^Completed samples per second/.test(line)) {
      shown = value();
      score = Number(shown);
    } else if (scenario === 'Server' && /^target_latency \(ns\)/.test(line)) latency = value();
    else if (scenario === 'Offline' && /^Samples per second/.test(line)) {
      shown = value();
      score = Number(shown);
    } else if (/^Result is/.test(line) && value() === 'INVALID')
      throw new Fail(`TEST FAIL: ${which} results are invalid`);
    else if (/^\d+ ERROR/.test(line))
      lines.push(`WARNING: ${line.split(' ')[0]} ERROR reported in ${which.toLowerCase()} results`);
  }
  return { scenario, score, shown, ...(latency !== undefined ? { latency } : {}) };
}

function verifyTest04(reference: LogText, test: LogText, lines: string[]): boolean {
  const ref = summaryResult(reference, 'Reference', lines);
  const got = summaryResult(test, 'Test', lines);
  if (ref.scenario === 'Server' && got.latency !== ref.latency)
    throw new Fail('TEST FAIL: Server target latency mismatch');
  if (got.scenario !== ref.scenario) throw new Fail('Test and reference scenarios do not match!');
  lines.push(`reference score = ${ref.shown}`, `test score = ${got.shown}`);
  const ok = got.score < ref.score * (1 + threshold(ref.scenario, ref.score));
  lines.push(ok ? 'TEST PASS' : 'TEST FAIL: Test score invalid');
  return ok;
}

/**
 * TEST01 compares detail logs, TEST04 summaries (as the official scripts do): give the
 * performance run's file as `reference` and the compliance run's as `test`.
 */
export function verifyPerformance(
  test: ComplianceTest,
  reference: LogText,
  compliance: LogText,
): PerformanceVerification {
  const lines = ['Verifying performance.'];
  let isPassing = false;
  try {
    isPassing =
      test === 'TEST01'
        ? verifyTest01(reference, compliance, lines)
        : verifyTest04(reference, compliance, lines);
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    lines.push(e.message);
  }
  return { isPassing, report: `${lines.join('\n')}\n` };
}
