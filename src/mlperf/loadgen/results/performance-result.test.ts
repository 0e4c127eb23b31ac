import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeRun } from './performance-result.js';
import type { EarlyStoppingOutcome, ResultSettings, RunRecord } from './run-record.js';

const ssSettings: ResultSettings = {
  scenario: 'SingleStream',
  targetLatencyNs: 0n,
  targetLatencyPercentile: 0.9,
  minDurationMs: 2000n,
  minQueryCount: 500,
  minSampleCount: 500,
};

/** A SingleStream record: query k issued at k·periodNs, every sample taking its latency. */
function ssRecord(latencies: readonly bigint[], periodNs: bigint): RunRecord {
  const last = BigInt(latencies.length - 1);
  return {
    sampleLatenciesNs: latencies,
    queryLatenciesNs: [],
    queriesIssued: latencies.length,
    maxLatencyNs: latencies.reduce((a, b) => (a > b ? a : b), 0n),
    finalQueryScheduledNs: last * periodNs,
    finalQueryIssuedNs: last * periodNs,
    finalQueryAllSamplesDoneNs: last * periodNs + (latencies.at(-1) ?? 0n),
  };
}

const esMet: EarlyStoppingOutcome = { isMet: true, lines: [' * Run successful.'] };

test('a SingleStream run of 997 queries over 2 s is VALID with the p90 at sorted[897] (§7 scenario 19)', () => {
  const latencies = Array.from(
    { length: 997 },
    (_, i) => 2_000_000n + BigInt((i * 7919) % 997) * 1000n,
  );
  const result = summarizeRun(ssRecord(latencies, 2_010_000n), ssSettings, {
    isMet: true,
    lines: [],
    latencySsNs: 2_920_000n,
    latencyMsNs: 2_995_000n,
  });
  assert.equal(result.isValid, true);
  assert.equal(result.headlineLatencyNs, 2_000_000n + 897_000n);
  assert.deepEqual(result.metric, { key: 'early_stopping_latency_ss', valueNs: 2_920_000n });
  assert.equal(result.invalidReason, '');
  assert.deepEqual(result.recommendations, []);
});

test('a fixed latency X gives QPS without loadgen overhead of exactly 1e9/X (§7 scenario 20)', () => {
  const result = summarizeRun(
    ssRecord(Array(1000).fill(2_500_000n), 3_000_000n),
    ssSettings,
    esMet,
  );
  assert.equal(result.qpsWithoutLoadgenOverhead, 400);
  assert.equal(result.qpsWithLoadgenOverhead, 999 / (999 * 0.003));
  assert.equal(result.sampleStats.meanNs, 2_500_000n);
});

test('SingleStream with 20 queries fails only early stopping: INVALID with an empty reason (§7 scenario 21)', () => {
  const settings = { ...ssSettings, minDurationMs: 0n, minQueryCount: 20, minSampleCount: 20 };
  const result = summarizeRun(ssRecord(Array(20).fill(1_000_000n), 1_000_000n), settings, {
    isMet: false,
    lines: [
      ' * Only processed 20 queries.',
      ' * Need to process at least 64 queries for early stopping.',
    ],
  });
  assert.equal(result.isValid, false);
  assert.deepEqual(result.checks, {
    isMinDurationMet: true,
    isMinQueriesMet: true,
    isPerfConstraintsMet: true,
    isEarlyStoppingMet: false,
  });
  assert.deepEqual(result.recommendations, []);
  assert.equal(result.invalidReason, '');
  assert.deepEqual(result.metric, { key: 'early_stopping_latency_ss', valueNs: 0n });
});

test('a table of failed checks gives the exact recommendation texts (§7 scenarios 22, 25, 27, 28, 30)', () => {
  const ranOut = ssRecord(Array(201).fill(2_000_000n), 2_000_000n);
  const server = (latency: bigint, count: number, periodNs: bigint): RunRecord => ({
    ...ssRecord(Array(count).fill(latency), periodNs),
  });
  const serverSettings: ResultSettings = {
    scenario: 'Server',
    targetLatencyNs: 15_000_000n,
    targetLatencyPercentile: 0.99,
    minDurationMs: 2000n,
    minQueryCount: 100,
    minSampleCount: 100,
  };
  const offline: RunRecord = {
    sampleLatenciesNs: Array(220).fill(30_000_000n),
    queryLatenciesNs: [],
    queriesIssued: 1,
    maxLatencyNs: 30_000_000n,
    finalQueryScheduledNs: 0n,
    finalQueryIssuedNs: 0n,
    finalQueryAllSamplesDoneNs: 30_000_000n,
  };
  const offlineSettings: ResultSettings = {
    scenario: 'Offline',
    targetLatencyNs: 0n,
    targetLatencyPercentile: 0.99,
    minDurationMs: 2000n,
    minQueryCount: 1,
    minSampleCount: 220,
  };
  const esFailed = { isMet: false, lines: [] };
  const cases: ReadonlyArray<
    readonly [string, RunRecord, ResultSettings, EarlyStoppingOutcome, readonly string[], string]
  > = [
    [
      'ran out of queries',
      ranOut,
      { ...ssSettings, minDurationMs: 1000n, minQueryCount: 100, minSampleCount: 100 },
      esMet,
      ['Decrease the expected latency so the loadgen pre-generates more queries.'],
      'Decrease the expected latency so the loadgen pre-generates more queries. ',
    ],
    [
      'offline too short',
      offline,
      offlineSettings,
      esMet,
      ['Increase expected QPS so the loadgen pre-generates a larger (coalesced) query.'],
      'Increase expected QPS so the loadgen pre-generates a larger (coalesced) query. ',
    ],
    [
      'server overloaded',
      server(40_000_000n, 4014, 500_000n),
      serverSettings,
      esFailed,
      ['Reduce target QPS to improve latency.'],
      'Reduce target QPS to improve latency. ',
    ],
    [
      'server aborted on max async queries',
      server(40_000_000n, 17, 5_000_000n),
      serverSettings,
      esFailed,
      [
        'Reduce target QPS to improve latency.',
        'Increase the target QPS so the loadgen pre-generates more queries.',
        'The test exited early, before enough queries were issued.',
      ],
      'Reduce target QPS to improve latency. Increase the target QPS so the loadgen pre-generates more queries. ' +
        'The test exited early, before enough queries were issued.',
    ],
    [
      'max query count 50',
      ssRecord(Array(50).fill(1_000_000n), 1_000_000n),
      { ...ssSettings, minDurationMs: 0n, minQueryCount: 100, minSampleCount: 100 },
      esFailed,
      ['The test exited early, before enough queries were issued.'],
      'The test exited early, before enough queries were issued.',
    ],
  ];
  for (const [name, record, settings, es, recommendations, reason] of cases) {
    const result = summarizeRun(record, settings, es);
    assert.equal(result.isValid, false, name);
    assert.deepEqual(result.recommendations, recommendations, name);
    assert.equal(result.invalidReason, reason, name);
  }
});

test('Server counts samples strictly over the target latency and checks the p99 against it (§7 scenarios 26, 27)', () => {
  const settings: ResultSettings = {
    scenario: 'Server',
    targetLatencyNs: 15_000_000n,
    targetLatencyPercentile: 0.99,
    minDurationMs: 3000n,
    minQueryCount: 100,
    minSampleCount: 100,
  };
  const latencies = Array.from({ length: 601 }, (_, i) => (i < 5 ? 15_000_000n : 1_000_000n));
  const record = { ...ssRecord(latencies, 5_001_283n), finalQueryAllSamplesDoneNs: 3_001_770_000n };
  const result = summarizeRun(record, settings, esMet);
  assert.equal(result.overlatencyCount, 0);
  assert.equal(result.isValid, true);
  assert.equal(result.scheduledSamplesPerSecond, 600 / ((600 * 5_001_283) / 1e9));
  assert.deepEqual(result.metric, {
    key: 'result_completed_samples_per_sec',
    value: 600 / 3.00177,
  });
  const over = summarizeRun(
    { ...record, sampleLatenciesNs: latencies.map((l, i) => (i < 7 ? 15_000_001n : l)) },
    settings,
    esMet,
  );
  assert.equal(over.overlatencyCount, 7);
  assert.equal(over.checks.isPerfConstraintsMet, false);
});

test('MultiStream reports the query-latency percentile as its headline (§7 scenario 23)', () => {
  const queryLatencies = Array.from({ length: 662 }, (_, i) => 4_000_000n + BigInt(i));
  const record: RunRecord = {
    sampleLatenciesNs: queryLatencies.flatMap((q) =>
      Array.from({ length: 8 }, (_, k) => q - BigInt(k)),
    ),
    queryLatenciesNs: queryLatencies,
    queriesIssued: 662,
    maxLatencyNs: 4_000_661n,
    finalQueryScheduledNs: 661n * 4_010_000n,
    finalQueryIssuedNs: 661n * 4_010_000n,
    finalQueryAllSamplesDoneNs: 661n * 4_010_000n + 4_000_661n,
  };
  const settings: ResultSettings = {
    scenario: 'MultiStream',
    targetLatencyNs: 0n,
    targetLatencyPercentile: 0.99,
    minDurationMs: 1000n,
    minQueryCount: 662,
    minSampleCount: 662 * 8,
  };
  const result = summarizeRun(record, settings, {
    isMet: true,
    lines: [],
    latencyMsNs: 4_000_661n,
  });
  assert.equal(result.isValid, true);
  assert.equal(result.headlineLatencyNs, 4_000_000n + 655n);
  assert.equal(result.queryStats?.maxNs, 4_000_661n);
  assert.equal(result.sampleStats.count, 662 * 8);
  assert.deepEqual(result.metric, { key: 'early_stopping_latency_ms', valueNs: 4_000_661n });
});

test('Offline reports samples over the max latency and passes min duration on it (§7 scenario 24)', () => {
  const record: RunRecord = {
    sampleLatenciesNs: Array.from({ length: 11000 }, (_, i) => BigInt(i + 1) * 100_000n),
    queryLatenciesNs: [],
    queriesIssued: 1,
    maxLatencyNs: 1_100_000_000n,
    finalQueryScheduledNs: 0n,
    finalQueryIssuedNs: 0n,
    finalQueryAllSamplesDoneNs: 1_100_000_000n,
  };
  const settings: ResultSettings = {
    scenario: 'Offline',
    targetLatencyNs: 0n,
    targetLatencyPercentile: 0.99,
    minDurationMs: 1000n,
    minQueryCount: 1,
    minSampleCount: 11000,
  };
  const result = summarizeRun(record, settings, { isMet: true, lines: [] });
  assert.equal(result.isValid, true);
  assert.equal(result.samplesPerSecond, 10000);
  assert.deepEqual(result.metric, { key: 'result_samples_per_second', value: 10000 });
});
