import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyntheticSut } from '../synthetic-sut.js';
import { withActiveTest, querySamplesComplete } from './active-test.js';
import { Completions } from './completions.js';
import { runSeries, type PlannedQuery, type SeriesPlan } from './run-series.js';

function plan(over: Partial<SeriesPlan> & Pick<SeriesPlan, 'scenario' | 'queries'>): SeriesPlan {
  return {
    accuracy: false,
    minQueryCount: 1,
    targetDurationNs: 0n,
    maxQueryCount: 0,
    maxDurationNs: 0n,
    maxAsyncQueries: 0,
    ...over,
  };
}

function queries(n: number, perQuery = 1, gapNs = 0n): PlannedQuery[] {
  let seq = 0;
  return Array.from({ length: n }, (_, k) => ({
    scheduledNs: BigInt(k) * gapNs,
    samples: Array.from({ length: perQuery }, (_, j) => ({
      index: k * perQuery + j,
      seqId: seq++,
      logged: true,
    })),
  }));
}

test('SingleStream issues one query at a time and stops once the minimums are met', async () => {
  const sut = new SyntheticSut(200);
  const c = new Completions();
  const r = await withActiveTest(c, () =>
    runSeries(sut, plan({ scenario: 'SingleStream', queries: queries(50), minQueryCount: 10 }), c),
  );
  assert.equal(r.issuedQueries, 10);
  assert.equal(r.sampleLatenciesNs.length, 10);
  assert.deepEqual(r.errors, []);
  for (const l of r.sampleLatenciesNs)
    assert.ok(l >= 200_000n, `latency ${l} below the service time`);
  assert.deepEqual(
    c.accuracy.map((a) => a.qslIdx),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.deepEqual([...c.accuracy[3]!.data], [0, 0, 64, 64]);
});

test('running out of generated queries before the minimums is an error', async () => {
  const c = new Completions();
  const r = await withActiveTest(c, () =>
    runSeries(
      new SyntheticSut(0),
      plan({ scenario: 'SingleStream', queries: queries(5), minQueryCount: 10 }),
      c,
    ),
  );
  assert.equal(r.issuedQueries, 5);
  assert.match(r.errors[0]!, /^Ending early: Ran out of generated queries/);
});

test('max_query_count ends SingleStream with the official message', async () => {
  const c = new Completions();
  const r = await withActiveTest(c, () =>
    runSeries(
      new SyntheticSut(0),
      plan({
        scenario: 'SingleStream',
        queries: queries(100),
        minQueryCount: 100,
        maxQueryCount: 50,
      }),
      c,
    ),
  );
  assert.equal(r.issuedQueries, 50);
  assert.deepEqual(r.errors, [
    'IssueQueryThread 0 Ending early: Max query count reached. query_count 50',
  ]);
});

test('Server issues at the scheduled times and counts latency from them', async () => {
  const c = new Completions();
  const r = await withActiveTest(c, () =>
    runSeries(
      new SyntheticSut(100),
      plan({ scenario: 'Server', queries: queries(20, 1, 2_000_000n) }),
      c,
    ),
  );
  assert.equal(r.issuedQueries, 20);
  assert.ok(r.lastScheduledNs === 38_000_000n);
  assert.ok(r.lastIssueNs >= 38_000_000n);
});

test('Server stops when more queries are outstanding than max_async_queries allows', async () => {
  const c = new Completions();
  const r = await withActiveTest(c, () =>
    runSeries(
      new SyntheticSut(50_000),
      plan({ scenario: 'Server', queries: queries(40, 1, 100_000n), maxAsyncQueries: 10 }),
      c,
    ),
  );
  assert.equal(r.errors.length, 1);
  assert.match(
    r.errors[0]!,
    /^IssueQueryThread 0 Ending early: Too many outstanding queries\. issued 11 outstanding 11$/,
  );
});

test('Offline issues one query of every sample; its latency is the time to the last completion', async () => {
  const c = new Completions();
  const r = await withActiveTest(c, () =>
    runSeries(new SyntheticSut(10, 4), plan({ scenario: 'Offline', queries: queries(1, 1000) }), c),
  );
  assert.equal(r.issuedQueries, 1);
  assert.equal(r.sampleLatenciesNs.length, 1000);
  assert.ok(r.maxLatencyNs >= 2_500_000n, String(r.maxLatencyNs));
});

test('a sample completed twice, or never issued, is an error entry, not a crash', async () => {
  const c = new Completions();
  await withActiveTest(c, async () => {
    const q = { scheduledNs: 0n, remaining: 1 };
    c.add(7, q, 6, 3, false);
    querySamplesComplete([{ id: 7 }]);
    querySamplesComplete([{ id: 7 }, { id: 99 }]);
  });
  assert.deepEqual(c.errors, [
    'Attempted to complete a sample twice.',
    'Received completion for an old sample.',
  ]);
});

test('completed ids are remembered past the first thousands (the bitset grows), odd ids are old', async () => {
  const c = new Completions();
  const ids = [1, 8, 9, 8191, 8192, 100_000];
  await withActiveTest(c, async () => {
    for (const id of ids) c.add(id, { scheduledNs: 0n, remaining: 1 }, id - 1, 0, false);
    querySamplesComplete(ids.map((id) => ({ id })));
    querySamplesComplete([...ids, 2, -1, 0.5, 2 ** 53].map((id) => ({ id })));
  });
  assert.deepEqual(c.errors, [
    ...ids.map(() => 'Attempted to complete a sample twice.'),
    ...[2, -1, 0.5, 2 ** 53].map(() => 'Received completion for an old sample.'),
  ]);
});

test('a series reports only its own latencies when the test ran an earlier one (a submission run)', async () => {
  const c = new Completions();
  await withActiveTest(c, async () => {
    const sut = new SyntheticSut(100);
    const first = await runSeries(
      sut,
      plan({ scenario: 'Offline', queries: queries(1, 30), accuracy: true }),
      c,
    );
    assert.equal(first.sampleLatenciesNs.length, 30);
    const later = queries(1, 5).map((q) => ({
      ...q,
      samples: q.samples.map((s) => ({ ...s, seqId: s.seqId + 30 })),
    }));
    const second = await runSeries(sut, plan({ scenario: 'Offline', queries: later }), c);
    assert.equal(second.sampleLatenciesNs.length, 5);
  });
});
