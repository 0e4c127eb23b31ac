import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countOverLatency,
  estimateIndex,
  minPassingQueries,
  multiStreamEarlyStopping,
  serverEarlyStopping,
  singleStreamEarlyStopping,
} from './early-stopping.js';

test('h(t) reproduces the official table for p = 0.90, 0.99 and 0.999', () => {
  const table: Array<{ p: number; h: Array<[number, number]> }> = [
    {
      p: 0.9,
      h: [
        [0, 44],
        [1, 63],
        [2, 79],
        [3, 94],
        [10, 187],
        [100, 1146],
        [1000, 9722],
        [3986, 37291],
      ],
    },
    {
      p: 0.99,
      h: [
        [0, 459],
        [1, 661],
        [2, 836],
        [3, 998],
        [10, 2000],
        [100, 12471],
        [1000, 106569],
        [3986, 409476],
      ],
    },
    {
      p: 0.9990000000000001,
      h: [
        [0, 4603],
        [1, 6635],
        [2, 8401],
        [3, 10039],
        [10, 20130],
        [100, 125726],
      ],
    },
  ];
  for (const { p, h } of table) {
    for (const [t, expected] of h) assert.equal(minPassingQueries(t, p), expected, `p=${p} t=${t}`);
  }
});

test('the estimate index is the largest t with h(t) + t <= n', () => {
  const table: Array<{ p: number; rows: Array<[number, number]> }> = [
    {
      p: 0.9,
      rows: [
        [64, 1],
        [100, 3],
        [500, 34],
        [997, 77],
        [1000, 78],
        [1024, 80],
        [10_000, 930],
        [270_336, 26_670],
      ],
    },
    {
      p: 0.99,
      rows: [
        [662, 1],
        [997, 2],
        [1000, 2],
        [1024, 3],
        [10_000, 77],
        [270_336, 2583],
      ],
    },
  ];
  for (const { p, rows } of table) {
    for (const [n, t] of rows)
      assert.deepEqual(estimateIndex(n, p), { isMet: true, t }, `p=${p} n=${n}`);
  }
});

test('too few queries fail with the number still needed', () => {
  assert.deepEqual(estimateIndex(661, 0.99), { isMet: false, minQueries: 662 });
  assert.deepEqual(estimateIndex(20, 0.9), { isMet: false, minQueries: 64 });
});

function ascending(n: number): bigint[] {
  return Array.from({ length: n }, (_, i) => 1_000_000n + BigInt(i));
}

test('SingleStream with 997 queries discards 76 and estimates p90 at sorted[920] and p99 at sorted[995]', () => {
  const latencies = ascending(997);
  const out = singleStreamEarlyStopping({
    queriesIssued: 997,
    sortedLatenciesNs: latencies,
    percentile: 0.9,
  });
  assert.equal(out.isMet, true);
  assert.equal(out.latencySsNs, latencies[920]);
  assert.equal(out.latencyMsNs, latencies[995]);
  assert.equal(
    out.recommendation,
    ' * Processed at least 64 queries (997).\n * Would discard 76 highest latency queries.\n' +
      ` * Early stopping 90.0th percentile estimate: ${latencies[920]}\n` +
      ` * Early stopping 99.0th percentile estimate: ${latencies[995]}`,
  );
});

test('SingleStream with 20 queries fails and reports no estimate', () => {
  const out = singleStreamEarlyStopping({
    queriesIssued: 20,
    sortedLatenciesNs: ascending(20),
    percentile: 0.9,
  });
  assert.deepEqual(out, {
    isMet: false,
    recommendation:
      ' * Only processed 20 queries.\n * Need to process at least 64 queries for early stopping.',
    latencySsNs: 0n,
    latencyMsNs: 0n,
  });
});

test('SingleStream below 662 queries says the 99th-percentile estimate is missing', () => {
  const latencies = ascending(100);
  const out = singleStreamEarlyStopping({
    queriesIssued: 100,
    sortedLatenciesNs: latencies,
    percentile: 0.9,
  });
  assert.equal(out.isMet, true);
  assert.equal(out.latencySsNs, latencies[97]);
  assert.equal(out.latencyMsNs, 0n);
  assert.ok(
    out.recommendation.endsWith(
      '\n * Not enough queries processed for 99.0th percentile\n early stopping estimate (would need to process at\n least 662 total queries).',
    ),
  );
});

test('MultiStream with 662 queries estimates the maximum query latency', () => {
  const latencies = ascending(662);
  const out = multiStreamEarlyStopping({
    queriesIssued: 662,
    sortedLatenciesNs: latencies,
    percentile: 0.99,
  });
  assert.equal(out.isMet, true);
  assert.equal(out.latencyMsNs, latencies[661]);
  assert.equal(
    out.recommendation,
    ` * Processed at least 662 queries (662).\n * Would discard 0 highest latency queries.\n * Early stopping 99.0th percentile estimate: ${latencies[661]}`,
  );
  assert.equal(
    multiStreamEarlyStopping({
      queriesIssued: 661,
      sortedLatenciesNs: ascending(661),
      percentile: 0.99,
    }).isMet,
    false,
  );
});

test('a 99.9th percentile prints with one decimal', () => {
  const out = multiStreamEarlyStopping({
    queriesIssued: 10,
    sortedLatenciesNs: ascending(10),
    percentile: 0.9990000000000001,
  });
  assert.equal(
    out.recommendation,
    ' * Only processed 10 queries.\n * Need to process at least 6636 queries for early stopping.',
  );
});

test('the Server rule passes iff n >= h(t) + t and says how many more queries are needed', () => {
  const table: Array<{ n: number; t: number; isMet: boolean; more: number }> = [
    { n: 4014, t: 3986, isMet: false, more: 409_448 },
    { n: 17, t: 0, isMet: false, more: 442 },
    { n: 459, t: 0, isMet: true, more: 0 },
    { n: 661, t: 1, isMet: false, more: 1 },
    { n: 662, t: 1, isMet: true, more: 0 },
    { n: 12_571, t: 100, isMet: true, more: 0 },
  ];
  for (const row of table) {
    const out = serverEarlyStopping({
      queriesIssued: row.n,
      overLatencyCount: row.t,
      percentile: 0.99,
    });
    assert.equal(out.isMet, row.isMet, `n=${row.n} t=${row.t}`);
    assert.equal(out.moreQueriesNeeded, row.more, `n=${row.n} t=${row.t}`);
  }
  assert.equal(
    serverEarlyStopping({ queriesIssued: 459, overLatencyCount: 0, percentile: 0.99 })
      .recommendation,
    ' * Run successful.',
  );
  assert.equal(
    serverEarlyStopping({ queriesIssued: 4014, overLatencyCount: 3986, percentile: 0.99 })
      .recommendation,
    ' * Run unsuccessful.\n * Processed 4014 queries.\n * Would need to run at least 409448 more queries,\n' +
      ' with the run being successful if every additional\n query were under latency.',
  );
});

test('over-latency counts only latencies strictly above the target', () => {
  assert.equal(
    countOverLatency([14_999_999n, 15_000_000n, 15_000_001n, 20_000_000n], 15_000_000n),
    2,
  );
});

test('a percentile of 1 or more is rejected as bad input', () => {
  assert.throws(() => minPassingQueries(0, 1), { code: 'bad-input' });
});
