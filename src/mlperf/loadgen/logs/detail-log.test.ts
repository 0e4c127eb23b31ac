import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeRun } from '../results/performance-result.js';
import type { ResultSettings, RunRecord } from '../results/run-record.js';
import { DetailLog, formatDetailValue, formatTimeMs } from './detail-log.js';
import { logResults } from './result-entries.js';

test('an entry is one :::MLLOG line with the official keys, key order and spacing', () => {
  const log = new DetailLog({ pid: 4242, tid: 7 });
  log.log('effective_schedule_rng_seed', 16159082839903944936n, {
    timeNs: 1_234_567_891n,
    file: 'x.ts',
    lineNo: 12,
  });
  assert.equal(
    log.render(),
    ':::MLLOG {"key": "effective_schedule_rng_seed", "value": 16159082839903944936, "time_ms": 1234.567891, ' +
      '"namespace": "mlperf::logging", "event_type": "POINT_IN_TIME", "metadata": {"is_error": false, ' +
      '"is_warning": false, "file": "x.ts", "line_no": 12, "pid": 4242, "tid": 7}}\n',
  );
});

test('values are printed as LoadGen prints them, as strict JSON', () => {
  const cases: ReadonlyArray<readonly [Parameters<typeof formatDetailValue>[0], string]> = [
    ['Starting performance mode', '"Starting performance mode"'],
    ['say "hi"\n', '"say \\"hi\\"\\n"'],
    [2085463073848966840n, '2085463073848966840'],
    [500, '500'],
    [0.9990000000000001, '0.999'],
    [1234567.5, '1.23457e+06'],
    [true, 'true'],
    [false, 'false'],
    [[216, 267, 822], '[216,267,822]'],
    [[], '[]'],
    [{ 'loadgen.cc': 'ab12', 'utils.cc': 'cd34' }, '{"loadgen.cc":"ab12","utils.cc":"cd34"}'],
  ];
  for (const [value, expected] of cases) {
    assert.equal(formatDetailValue(value), expected);
  }
});

test('time_ms has exactly six decimals', () => {
  assert.deepEqual([0n, 999n, 1_000_000n, 12_000_000_001n].map(formatTimeMs), [
    '0.000000',
    '0.000999',
    '1.000000',
    '12000.000001',
  ]);
});

test('errors and warnings are flagged and counted (§7 scenario 35)', () => {
  const log = new DetailLog({ pid: 1, tid: 1 });
  log.log('loadgen_version', '6.0.17 @ ts', { timeNs: 0n });
  log.logWarning(
    'Found Audit Config file (audit.config). Overriding TestSettings from audit.config file.',
  );
  log.logError('error_invalid_config', "expected 'key=value', line=1", { timeNs: 5n });
  log.log('effective_qsl_rng_seed', 2085463073848966840n);
  const lines = log.render().split('\n').slice(0, -1);
  assert.ok(lines.every((line) => line.startsWith(':::MLLOG {')));
  const parsed = lines.map(
    (line) => JSON.parse(line.slice(':::MLLOG '.length)) as Record<string, unknown>,
  );
  assert.equal(parsed[0]?.['key'], 'loadgen_version');
  assert.deepEqual(
    parsed.map((entry) => Object.keys(entry)),
    Array(4).fill(['key', 'value', 'time_ms', 'namespace', 'event_type', 'metadata']),
  );
  assert.deepEqual(parsed[1]?.['metadata'], {
    is_error: false,
    is_warning: true,
    file: 'loadgen',
    line_no: 0,
    pid: 1,
    tid: 1,
  });
  assert.equal((parsed[2]?.['metadata'] as Record<string, unknown>)['is_error'], true);
  assert.ok(lines[3]?.includes('"value": 2085463073848966840,'));
  assert.equal(parsed[3]?.['time_ms'], 0.000005);
  assert.deepEqual([log.errorCount, log.warningCount], [1, 1]);
});

function record(count: number, latencyNs: bigint, periodNs: bigint): RunRecord {
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

const percentileKeys = (infix: string): string[] =>
  ['50.00', '90.00', '95.00', '97.00', '99.00', '99.90'].map(
    (p) => `result_${p}_percentile${infix}latency_ns`,
  );

test('the result entries follow §4.3 for each scenario, ending in num_errors', () => {
  const base = { targetLatencyNs: 0n, minDurationMs: 0n, minQueryCount: 1, minSampleCount: 1 };
  const cases: ReadonlyArray<readonly [ResultSettings, readonly string[]]> = [
    [
      { ...base, scenario: 'SingleStream', targetLatencyPercentile: 0.9 },
      [
        'result_qps_with_loadgen_overhead',
        'result_qps_without_loadgen_overhead',
        'early_stopping_latency_ss',
        'early_stopping_latency_ms',
      ],
    ],
    [
      { ...base, scenario: 'MultiStream', targetLatencyPercentile: 0.99 },
      [
        'result_min_query_latency_ns',
        'result_max_query_latency_ns',
        'result_mean_query_latency_ns',
        ...percentileKeys('_per_query_'),
        'early_stopping_latency_ms',
      ],
    ],
    [
      { ...base, scenario: 'Server', targetLatencyPercentile: 0.99, targetLatencyNs: 15_000_000n },
      [
        'result_overlatency_query_count',
        'result_scheduled_samples_per_sec',
        'result_completed_samples_per_sec',
      ],
    ],
    [
      { ...base, scenario: 'Offline', targetLatencyPercentile: 0.99 },
      ['result_samples_per_second'],
    ],
  ];
  for (const [settings, middle] of cases) {
    const log = new DetailLog({ pid: 1, tid: 1 });
    const run = {
      ...record(10, 1_000_000n, 1_000_000n),
      queryLatenciesNs: Array(10).fill(2_000_000n),
    };
    logResults(log, summarizeRun(run, settings, { isMet: true, lines: [' * Run successful.'] }));
    const server = settings.scenario === 'Server';
    assert.deepEqual(
      log.entries.map((entry) => entry.key),
      [
        'result_validity',
        ...(server ? ['result_perf_constraints_met'] : []),
        'result_min_duration_met',
        'result_min_queries_met',
        'early_stopping_met',
        'early_stopping_result',
        'result_query_count',
        ...middle,
        'result_min_latency_ns',
        'result_max_latency_ns',
        'result_mean_latency_ns',
        ...percentileKeys('_'),
        'num_errors',
      ],
      settings.scenario,
    );
  }
});

test('an INVALID SingleStream logs its reason, ES text with spaces and zero estimates (§7 scenario 21)', () => {
  const log = new DetailLog({ pid: 1, tid: 1 });
  log.logError(
    'error_runtime',
    'IssueQueryThread 0 Ending early: Max query count reached. query_count 20',
  );
  const settings: ResultSettings = {
    scenario: 'SingleStream',
    targetLatencyNs: 0n,
    targetLatencyPercentile: 0.9,
    minDurationMs: 0n,
    minQueryCount: 20,
    minSampleCount: 20,
  };
  const es = {
    isMet: false,
    lines: [
      ' * Only processed 20 queries.',
      ' * Need to process at least 64 queries for early stopping.',
    ],
  };
  logResults(log, summarizeRun(record(20, 1_000_000n, 1_000_000n), settings, es));
  const value = (key: string): unknown => log.entries.find((entry) => entry.key === key)?.value;
  assert.equal(value('result_validity'), 'INVALID');
  assert.equal(value('result_invalid_reason'), '');
  assert.equal(
    value('early_stopping_result'),
    ' * Only processed 20 queries.  * Need to process at least 64 queries for early stopping.',
  );
  assert.equal(value('early_stopping_latency_ss'), 0n);
  assert.equal(value('num_errors'), 1n);
  assert.ok(log.render().includes('"key": "result_qps_without_loadgen_overhead", "value": 1000, '));
});
