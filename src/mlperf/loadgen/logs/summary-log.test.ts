import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeRun } from '../results/performance-result.js';
import type { EarlyStoppingOutcome, ResultSettings, RunRecord } from '../results/run-record.js';
import { renderSummary, renderSummaryTrailer, type SummaryParameters } from './summary-log.js';

const seeds = {
  qslRngSeed: 2085463073848966840n,
  sampleIndexRngSeed: 2747215439041700203n,
  scheduleRngSeed: 16159082839903944936n,
  accuracyLogRngSeed: 0n,
};

const ssParameters: SummaryParameters = {
  samplesPerQuery: 1,
  targetQps: 500,
  targetLatencyNs: 0n,
  maxAsyncQueries: 1,
  minDurationMs: 2000n,
  maxDurationMs: 0n,
  minQueryCount: 500,
  maxQueryCount: 0,
  ...seeds,
  accuracyLogProbability: 0,
  accuracyLogSamplingTarget: 0,
  printTimestamps: false,
  performanceIssueUnique: false,
  performanceIssueSame: false,
  performanceIssueSameIndex: 0,
  performanceSampleCount: 1024,
  accuracySampleCount: 50000,
  sampleConcatenatePermutation: false,
};

const ssSettings: ResultSettings = {
  scenario: 'SingleStream',
  targetLatencyNs: 0n,
  targetLatencyPercentile: 0.9,
  minDurationMs: 2000n,
  minQueryCount: 500,
  minSampleCount: 500,
};

function fixedRecord(count: number, latencyNs: bigint, periodNs: bigint): RunRecord {
  const last = BigInt(count - 1) * periodNs;
  return {
    sampleLatenciesNs: Array(count).fill(latencyNs),
    queryLatenciesNs: [],
    queriesIssued: count,
    maxLatencyNs: latencyNs,
    finalQueryScheduledNs: last,
    finalQueryIssuedNs: last,
    finalQueryAllSamplesDoneNs: last + latencyNs,
  };
}

function parameterBlock(p: {
  spq: number;
  qps: string;
  latency: string;
  async: number;
  dur: number;
  mqc: number;
}): string {
  return [
    '================================================',
    'Test Parameters Used',
    '================================================',
    `samples_per_query : ${p.spq}`,
    `target_qps : ${p.qps}`,
    `target_latency (ns): ${p.latency}`,
    `max_async_queries : ${p.async}`,
    `min_duration (ms): ${p.dur}`,
    'max_duration (ms): 0',
    `min_query_count : ${p.mqc}`,
    'max_query_count : 0',
    'qsl_rng_seed : 2085463073848966840',
    'sample_index_rng_seed : 2747215439041700203',
    'schedule_rng_seed : 16159082839903944936',
    'accuracy_log_rng_seed : 0',
    'accuracy_log_probability : 0',
    'accuracy_log_sampling_target : 0',
    'print_timestamps : 0',
    'performance_issue_unique : 0',
    'performance_issue_same : 0',
    'performance_issue_same_index : 0',
    'performance_sample_count : 1024',
    'accuracy_sample_count : 50000',
    '',
  ].join('\n');
}

const clean = '\nNo warnings encountered during test.\n\nNo errors encountered during test.\n';

test('a VALID SingleStream summary matches LoadGen byte for byte (§7 scenarios 20, 36)', () => {
  const es: EarlyStoppingOutcome = {
    isMet: true,
    lines: [
      ' * Processed at least 64 queries (1000).',
      ' * Would discard 77 highest latency queries.',
      ' * Early stopping 90.0th percentile estimate: 2500000',
      ' * Early stopping 99.0th percentile estimate: 2500000',
    ],
    latencySsNs: 2_500_000n,
    latencyMsNs: 2_500_000n,
  };
  const result = summarizeRun(fixedRecord(1000, 2_500_000n, 3_000_000n), ssSettings, es);
  const text = renderSummary(
    [{ sutName: 'fake SUT', mode: 'PerformanceOnly', result, parameters: ssParameters }],
    {
      warnings: 0,
      errors: 0,
    },
  );
  const expected = [
    '================================================',
    'MLPerf Results Summary',
    '================================================',
    'SUT name : fake SUT',
    'Scenario : SingleStream',
    'Mode     : PerformanceOnly',
    '90.0th percentile latency (ns) : 2500000',
    'Result is : VALID',
    '  Min duration satisfied : Yes',
    '  Min queries satisfied : Yes',
    '  Early stopping satisfied: Yes',
    'Early Stopping Result:',
    ' * Processed at least 64 queries (1000).',
    ' * Would discard 77 highest latency queries.',
    ' * Early stopping 90.0th percentile estimate: 2500000',
    ' * Early stopping 99.0th percentile estimate: 2500000',
    '',
    '================================================',
    'Additional Stats',
    '================================================',
    'QPS w/ loadgen overhead         : 333.33',
    'QPS w/o loadgen overhead        : 400.00',
    '',
    'Min latency (ns)                : 2500000',
    'Max latency (ns)                : 2500000',
    'Mean latency (ns)               : 2500000',
    '50.00 percentile latency (ns)   : 2500000',
    '90.00 percentile latency (ns)   : 2500000',
    '95.00 percentile latency (ns)   : 2500000',
    '97.00 percentile latency (ns)   : 2500000',
    '99.00 percentile latency (ns)   : 2500000',
    '99.90 percentile latency (ns)   : 2500000',
    '',
    parameterBlock({ spq: 1, qps: '500', latency: '0', async: 1, dur: 2000, mqc: 500 }),
  ].join('\n');
  assert.deepEqual(text.split('\n'), (expected + clean).split('\n'));
  assert.equal(text, expected + clean);
});

test('an INVALID summary lists the recommendations and the error trailer (§7 scenarios 21, 22, 30)', () => {
  const settings = { ...ssSettings, minDurationMs: 1000n, minQueryCount: 100, minSampleCount: 100 };
  const es: EarlyStoppingOutcome = {
    isMet: false,
    lines: [
      ' * Only processed 50 queries.',
      ' * Need to process at least 64 queries for early stopping.',
    ],
  };
  const result = summarizeRun(fixedRecord(50, 1_000_000n, 1_000_000n), settings, es);
  const text = renderSummary(
    [
      {
        sutName: 'fake SUT',
        mode: 'SubmissionRun',
        result,
        parameters: { ...ssParameters, minQueryCount: 100 },
      },
    ],
    { warnings: 0, errors: 1 },
  );
  const lines = text.split('\n');
  assert.deepEqual(lines.slice(5, 18), [
    'Mode     : SubmissionRun',
    '90.0th percentile latency (ns) : 1000000',
    'Result is : INVALID',
    '  Min duration satisfied : NO',
    '  Min queries satisfied : NO',
    '  Early stopping satisfied: NO',
    'Recommendations:',
    ' * Decrease the expected latency so the loadgen pre-generates more queries.',
    ' * The test exited early, before enough queries were issued.',
    '   See the detailed log for why this may have occurred.',
    'Early Stopping Result:',
    ' * Only processed 50 queries.',
    ' * Need to process at least 64 queries for early stopping.',
  ]);
  assert.ok(
    text.endsWith(
      '\nNo warnings encountered during test.\n\n1 ERROR encountered. See detailed log.\n',
    ),
  );
});

test('failing only early stopping prints "Recommendations:" with no bullet (§7 scenario 21)', () => {
  const settings = { ...ssSettings, minDurationMs: 0n, minQueryCount: 20, minSampleCount: 20 };
  const es = { isMet: false, lines: [' * Only processed 20 queries.'] };
  const result = summarizeRun(fixedRecord(20, 1_000_000n, 1_000_000n), settings, es);
  const text = renderSummary(
    [{ sutName: 's', mode: 'PerformanceOnly', result, parameters: ssParameters }],
    {
      warnings: 0,
      errors: 0,
    },
  );
  assert.ok(
    text.includes('Early stopping satisfied: NO\nRecommendations:\nEarly Stopping Result:\n'),
  );
});

test('the trailer counts warnings and errors in LoadGen words', () => {
  const cases: ReadonlyArray<readonly [number, number, string]> = [
    [0, 0, clean],
    [
      1,
      1,
      '\n1 warning encountered. See detailed log.\n\n1 ERROR encountered. See detailed log.\n',
    ],
    [
      3,
      2,
      '\n3 warnings encountered. See detailed log.\n\n2 ERRORS encountered. See detailed log.\n',
    ],
  ];
  for (const [warnings, errors, expected] of cases) {
    assert.equal(renderSummaryTrailer({ warnings, errors }), expected);
  }
});

test('an AccuracyOnly run writes only the trailer', () => {
  assert.equal(renderSummary([], { warnings: 0, errors: 0 }), clean);
});

test('Server, MultiStream and Offline summaries have their own metric lines and stats blocks', () => {
  const serverSettings: ResultSettings = {
    scenario: 'Server',
    targetLatencyNs: 15_000_000n,
    targetLatencyPercentile: 0.99,
    minDurationMs: 3000n,
    minQueryCount: 100,
    minSampleCount: 100,
  };
  const server = summarizeRun(
    { ...fixedRecord(601, 1_000_000n, 5_001_283n), finalQueryAllSamplesDoneNs: 3_001_770_763n },
    serverSettings,
    { isMet: true, lines: [' * Run successful.'] },
  );
  const serverText = renderSummary(
    [
      {
        sutName: 's',
        mode: 'PerformanceOnly',
        result: server,
        parameters: {
          ...ssParameters,
          targetQps: 200,
          targetLatencyNs: 15_000_000n,
          maxAsyncQueries: 0,
        },
      },
    ],
    { warnings: 0, errors: 0 },
  ).split('\n');
  assert.deepEqual(serverText.slice(6, 14), [
    'Completed samples per second    : 199.88',
    'Result is : VALID',
    '  Performance constraints satisfied : Yes',
    '  Min duration satisfied : Yes',
    '  Min queries satisfied : Yes',
    '  Early stopping satisfied: Yes',
    'Early Stopping Result:',
    ' * Run successful.',
  ]);
  assert.deepEqual(serverText.slice(18, 20), [
    'Scheduled samples per second : 199.95',
    'Min latency (ns)                : 1000000',
  ]);
  assert.ok(
    serverText.includes('target_qps : 200') && serverText.includes('target_latency (ns): 15000000'),
  );

  const offlineSettings: ResultSettings = {
    scenario: 'Offline',
    targetLatencyNs: 0n,
    targetLatencyPercentile: 0.99,
    minDurationMs: 1000n,
    minQueryCount: 1,
    minSampleCount: 11000,
  };
  const offline = summarizeRun(
    {
      sampleLatenciesNs: Array(11000).fill(1_103_612_345n),
      queryLatenciesNs: [],
      queriesIssued: 1,
      maxLatencyNs: 1_103_612_345n,
      finalQueryScheduledNs: 0n,
      finalQueryIssuedNs: 0n,
      finalQueryAllSamplesDoneNs: 1_103_612_345n,
    },
    offlineSettings,
    { isMet: true, lines: [] },
  );
  const offlineText = renderSummary(
    [
      {
        sutName: 's',
        mode: 'PerformanceOnly',
        result: offline,
        parameters: { ...ssParameters, samplesPerQuery: 11000, targetQps: 10000, minQueryCount: 1 },
      },
    ],
    { warnings: 0, errors: 0 },
  ).split('\n');
  assert.deepEqual(offlineText.slice(6, 16), [
    'Samples per second: 9967.27',
    'Result is : VALID',
    '  Min duration satisfied : Yes',
    '  Min queries satisfied : Yes',
    '  Early stopping satisfied: Yes',
    '',
    '================================================',
    'Additional Stats',
    '================================================',
    'Min latency (ns)                : 1103612345',
  ]);
  assert.ok(
    offlineText.includes('samples_per_query : 11000') && offlineText.includes('target_qps : 10000'),
  );

  const msSettings: ResultSettings = {
    ...offlineSettings,
    scenario: 'MultiStream',
    minQueryCount: 662,
    minSampleCount: 5296,
  };
  const ms = summarizeRun(
    {
      ...fixedRecord(662 * 8, 3_000_000n, 0n),
      queriesIssued: 662,
      queryLatenciesNs: Array(662).fill(4_000_000n),
      finalQueryIssuedNs: 1_500_000_000n,
    },
    msSettings,
    { isMet: true, lines: [' * Processed at least 662 queries (662).'], latencyMsNs: 4_000_000n },
  );
  const msText = renderSummary(
    [{ sutName: 's', mode: 'PerformanceOnly', result: ms, parameters: ssParameters }],
    {
      warnings: 0,
      errors: 0,
    },
  ).split('\n');
  assert.equal(msText[6], '99.0th percentile latency (ns) : 4000000');
  const stats = msText.indexOf('Additional Stats');
  assert.deepEqual(msText.slice(stats + 2, stats + 5), [
    'Per-query latency:  ',
    'Min latency (ns)                : 4000000',
    'Max latency (ns)                : 4000000',
  ]);
  assert.equal(msText.filter((line) => line.startsWith('Min latency')).length, 1);
});

test('equal-issue mode appends the four-line warning to the parameters', () => {
  const result = summarizeRun(fixedRecord(1000, 2_500_000n, 3_000_000n), ssSettings, {
    isMet: true,
    lines: [],
  });
  const text = renderSummary(
    [
      {
        sutName: 's',
        mode: 'PerformanceOnly',
        result,
        parameters: { ...ssParameters, sampleConcatenatePermutation: true },
      },
    ],
    { warnings: 0, errors: 0 },
  );
  assert.ok(
    text.endsWith(
      'accuracy_sample_count : 50000\nWARNING: sample_concatenate_permutation was set to true. \n' +
        'Generated samples per query might be different as the one in the setting.\n' +
        'Check the generated_samples_per_query line in the detailed log for the real\n' +
        'samples_per_query value\n' +
        clean,
    ),
  );
});
