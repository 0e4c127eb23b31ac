// LoadGen's requested settings (spec §2.1) and log settings, with the official defaults.
// Reading config files into them lives in from-config.ts; normalising them in effective-settings.ts.

/** The four LoadGen scenarios, spelled as LoadGen logs them. */
export type Scenario = 'SingleStream' | 'MultiStream' | 'Server' | 'Offline';

/** The four test modes; the config key `mode` selects them by number 0..3 in this order. */
export type TestMode = 'SubmissionRun' | 'AccuracyOnly' | 'PerformanceOnly' | 'FindPeakPerformance';

export const SCENARIOS: readonly Scenario[] = ['SingleStream', 'MultiStream', 'Server', 'Offline'];

/** Index = the value of the config key `mode`. */
export const TEST_MODES: readonly TestMode[] = [
  'SubmissionRun',
  'AccuracyOnly',
  'PerformanceOnly',
  'FindPeakPerformance',
];

/**
 * What the harness asks for (LoadGen's TestSettings). Types follow LoadGen's: `number` fields that
 * LoadGen holds as doubles stay doubles (expected latencies are doubles in ns), uint64 seeds and
 * nanosecond latencies are bigint, counts and millisecond durations are integral numbers.
 */
export interface TestSettings {
  scenario: Scenario;
  mode: TestMode;
  /** A hint (double, ns) from which SingleStream pre-generates queries. */
  singleStreamExpectedLatencyNs: number;
  singleStreamTargetLatencyPercentile: number;
  /** A hint (double, ns) from which MultiStream pre-generates queries. */
  multiStreamExpectedLatencyNs: number;
  multiStreamTargetLatencyPercentile: number;
  multiStreamSamplesPerQuery: number;
  serverTargetQps: number;
  serverTargetLatencyNs: bigint;
  serverTargetLatencyPercentile: number;
  serverCoalesceQueries: boolean;
  /** An int in LoadGen. */
  serverFindPeakQpsDecimalsOfPrecision: number;
  /** A double in LoadGen. */
  serverFindPeakQpsBoundaryStepSize: number;
  /** 0 means unlimited. */
  serverMaxAsyncQueries: number;
  serverNumIssueQueryThreads: number;
  offlineExpectedQps: number;
  /** "Equal-issue mode". */
  sampleConcatenatePermutation: boolean;
  minDurationMs: number;
  /** 0 means unlimited. */
  maxDurationMs: number;
  minQueryCount: number;
  /** 0 means unlimited. */
  maxQueryCount: number;
  qslRngSeed: bigint;
  sampleIndexRngSeed: bigint;
  scheduleRngSeed: bigint;
  accuracyLogRngSeed: bigint;
  /** A probability in [0,1]; mlperf.conf writes it in percent. */
  accuracyLogProbability: number;
  accuracyLogSamplingTarget: number;
  /** Obsolete since v5.0; honoured only from mlperf.conf. */
  test05: boolean;
  test05QslRngSeed: bigint;
  test05SampleIndexRngSeed: bigint;
  test05ScheduleRngSeed: bigint;
  printTimestamps: boolean;
  performanceIssueUnique: boolean;
  performanceIssueSame: boolean;
  performanceIssueSameIndex: number;
  /** 0 means: use the QSL's performance sample count. */
  performanceSampleCountOverride: number;
  /** 0 means: use the QSL's total sample count. */
  accuracySampleCountOverride: number;
  useTokenLatencies: boolean;
  serverTtftLatencyNs: bigint;
  serverTpotLatencyNs: bigint;
  inferTokenLatencies: boolean;
  /** Uninitialised in LoadGen unless set; 0 here. */
  tokenLatencyScalingFactor: number;
}

/** LoadGen's defaults for every requested setting. */
export function defaultTestSettings(): TestSettings {
  return {
    scenario: 'SingleStream',
    mode: 'PerformanceOnly',
    singleStreamExpectedLatencyNs: 1_000_000,
    singleStreamTargetLatencyPercentile: 0.9,
    multiStreamExpectedLatencyNs: 8_000_000,
    multiStreamTargetLatencyPercentile: 0.99,
    multiStreamSamplesPerQuery: 8,
    serverTargetQps: 1,
    serverTargetLatencyNs: 100_000_000n,
    serverTargetLatencyPercentile: 0.99,
    serverCoalesceQueries: false,
    serverFindPeakQpsDecimalsOfPrecision: 1,
    serverFindPeakQpsBoundaryStepSize: 1,
    serverMaxAsyncQueries: 0,
    serverNumIssueQueryThreads: 0,
    offlineExpectedQps: 1,
    sampleConcatenatePermutation: false,
    minDurationMs: 10_000,
    maxDurationMs: 0,
    minQueryCount: 100,
    maxQueryCount: 0,
    qslRngSeed: 0n,
    sampleIndexRngSeed: 0n,
    scheduleRngSeed: 0n,
    accuracyLogRngSeed: 0n,
    accuracyLogProbability: 0,
    accuracyLogSamplingTarget: 0,
    test05: false,
    test05QslRngSeed: 0n,
    test05SampleIndexRngSeed: 0n,
    test05ScheduleRngSeed: 0n,
    printTimestamps: false,
    performanceIssueUnique: false,
    performanceIssueSame: false,
    performanceIssueSameIndex: 0,
    performanceSampleCountOverride: 0,
    accuracySampleCountOverride: 0,
    useTokenLatencies: false,
    serverTtftLatencyNs: 100_000_000n,
    serverTpotLatencyNs: 100_000_000n,
    inferTokenLatencies: false,
    tokenLatencyScalingFactor: 0,
  };
}

/** How LoadGen's logger flushes (only AsyncPoll is implemented by the official LoadGen). */
export type LoggingMode = 'AsyncPoll' | 'EndOfTestOnly' | 'Synchronous';

/** Where the four log files go: `<outdir>/<prefix>[<datetime>_]<name><suffix>.<ext>`. */
export interface LogSettings {
  outdir: string;
  prefix: string;
  suffix: string;
  prefixWithDatetime: boolean;
  copyDetailToStdout: boolean;
  copySummaryToStdout: boolean;
  logMode: LoggingMode;
  logModeAsyncPollIntervalMs: number;
  enableTrace: boolean;
}

/** LoadGen's default log settings. */
export function defaultLogSettings(): LogSettings {
  return {
    outdir: '.',
    prefix: 'mlperf_log_',
    suffix: '',
    prefixWithDatetime: false,
    copyDetailToStdout: false,
    copySummaryToStdout: false,
    logMode: 'AsyncPoll',
    logModeAsyncPollIntervalMs: 1000,
    enableTrace: true,
  };
}
