// The parts of the detail log and summary that describe the test rather than its results: the
// version block and what the SUT and QSL report (§4.3 items 1-2), and the summary's "Test
// Parameters Used".
import type { DetailLog } from '../logs/detail-log.js';
import type { SummaryParameters } from '../logs/summary-log.js';
import type { EffectiveSettings } from '../settings/index.js';
import type { QuerySampleLibrary, SystemUnderTest } from './api.js';
import { nowNs } from './clock.js';

/** The LoadGen version this one follows, and what it is. */
export const LOADGEN_VERSION = '6.0.17 @ collective-mind-ts';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local time with a literal Z, as LoadGen writes test_datetime. */
function testDatetime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}Z`;
}

export function logPreamble(
  log: DetailLog,
  sut: SystemUnderTest,
  qsl: QuerySampleLibrary,
  at: () => { timeNs: bigint },
): void {
  log.log('loadgen_version', LOADGEN_VERSION, at());
  log.log('loadgen_build_date_local', 'n/a', at());
  log.log('loadgen_build_date_utc', 'n/a', at());
  log.log('loadgen_git_commit_date', 'n/a', at());
  log.log('loadgen_git_log_message', 'TypeScript LoadGen of Collective Mind', at());
  log.log('loadgen_git_status_message', '', at());
  log.log('loadgen_file_sha1', {}, at());
  log.log('test_datetime', testDatetime(new Date()), at());
  const t = nowNs();
  const name = sut.name();
  log.log('sut_name', name, at());
  log.log('get_sut_name_duration_ns', nowNs() - t, at());
  log.log('qsl_name', qsl.name(), at());
  log.log('qsl_reported_total_count', BigInt(qsl.totalSampleCount()), at());
  log.log('qsl_reported_performance_count', BigInt(qsl.performanceSampleCount()), at());
}

export function summaryParameters(e: EffectiveSettings): SummaryParameters {
  return {
    samplesPerQuery: e.samplesPerQuery,
    targetQps: e.targetQps,
    targetLatencyNs: e.targetLatencyNs,
    maxAsyncQueries: e.maxAsyncQueries,
    minDurationMs: BigInt(e.minDurationMs),
    maxDurationMs: BigInt(e.maxDurationMs),
    minQueryCount: e.minQueryCount,
    maxQueryCount: e.maxQueryCount,
    qslRngSeed: e.qslRngSeed,
    sampleIndexRngSeed: e.sampleIndexRngSeed,
    scheduleRngSeed: e.scheduleRngSeed,
    accuracyLogRngSeed: e.accuracyLogRngSeed,
    accuracyLogProbability: e.accuracyLogProbability,
    accuracyLogSamplingTarget: e.accuracyLogSamplingTarget,
    printTimestamps: e.printTimestamps,
    performanceIssueUnique: e.performanceIssueUnique,
    performanceIssueSame: e.performanceIssueSame,
    performanceIssueSameIndex: e.performanceIssueSameIndex,
    performanceSampleCount: e.performanceSampleCount,
    accuracySampleCount: e.accuracySampleCount,
    sampleConcatenatePermutation: e.sampleConcatenatePermutation,
  };
}
