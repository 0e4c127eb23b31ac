import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracySets, performanceSet, type LoadableSet } from './loadable-sets.js';
import { generateQueries, type QueryGenSettings } from './query-generation.js';
import { SequenceGenerator } from './sequence-generator.js';

const V61 = {
  qslRngSeed: 2085463073848966840n,
  sampleIndexRngSeed: 2747215439041700203n,
  scheduleRngSeed: 16159082839903944936n,
};

function settings(overrides: Partial<QueryGenSettings>): QueryGenSettings {
  return {
    scenario: 'SingleStream',
    mode: 'performance',
    targetQps: 500,
    targetDurationMs: 0,
    minQueryCount: 100,
    samplesPerQuery: 1,
    sampleIndexRngSeed: V61.sampleIndexRngSeed,
    scheduleRngSeed: V61.scheduleRngSeed,
    performanceIssueUnique: false,
    performanceIssueSame: false,
    performanceIssueSameIndex: 0,
    sampleConcatenatePermutation: false,
    ...overrides,
  };
}

function resnetSet(
  opts: { isMultiStream?: boolean; samplesPerQuery?: number; total?: number } = {},
): LoadableSet {
  return performanceSet({
    isMultiStream: opts.isMultiStream ?? false,
    samplesPerQuery: opts.samplesPerQuery ?? 1,
    totalSampleCount: opts.total ?? 50_000,
    performanceSampleCount: 1024,
    qslRngSeed: V61.qslRngSeed,
    rule: 'v6',
  });
}

test('SingleStream 2 ms over 2 s pre-generates 2001 queries lasting 4 002 000 000 ns', () => {
  const out = generateQueries(
    settings({ targetQps: 1e9 / 2_000_000, targetDurationMs: 2000, minQueryCount: 500 }),
    resnetSet(),
    new SequenceGenerator(),
  );
  assert.equal(out.generatedQueryCount, 2001);
  assert.equal(out.generatedQueryDurationNs, 4_002_000_000n);
  assert.equal(out.generatedSamplesPerQuery, 1);
  assert.deepEqual(
    out.queries.slice(0, 3).map((q) => q.scheduledNs),
    [0n, 2_000_000n, 4_000_000n],
  );
});

test('min_query_count keeps generating past the duration', () => {
  const out = generateQueries(
    settings({ targetQps: 1000, targetDurationMs: 10, minQueryCount: 200 }),
    resnetSet(),
    new SequenceGenerator(),
  );
  assert.equal(out.generatedQueryCount, 200);
});

test('SingleStream performance order for the v6.1 seeds is the golden ss_order', () => {
  const out = generateQueries(
    settings({ minQueryCount: 200 }),
    resnetSet(),
    new SequenceGenerator(),
  );
  assert.deepEqual(
    out.queries.slice(0, 10).map((q) => q.sampleIndices[0]),
    [784, 618, 960, 248, 513, 635, 155, 667, 431, 242],
  );
});

test('SingleStream accuracy order over 100 samples is the golden ss_acc, each index once', () => {
  const [set] = accuracySets({
    isMultiStream: false,
    samplesPerQuery: 1,
    totalSampleCount: 100,
    performanceSampleCount: 1024,
    qslRngSeed: V61.qslRngSeed,
    accuracySampleCount: 100,
  });
  const out = generateQueries(
    settings({ mode: 'accuracy', targetDurationMs: 60_000, minQueryCount: 100_000 }),
    set!,
    new SequenceGenerator(),
  );
  const order = out.queries.map((q) => q.sampleIndices[0]!);
  assert.equal(order.length, 100);
  assert.deepEqual(order.slice(0, 12), [28, 95, 69, 60, 43, 9, 11, 17, 79, 29, 8, 89]);
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    Array.from({ length: 100 }, (_, i) => i),
  );
});

test('Server Poisson schedules give the golden generated counts and durations', () => {
  const table = [
    { qps: 200, durationMs: 3000, count: 601, durationNs: 3_000_770_763n },
    { qps: 2000, durationMs: 2000, count: 4014, durationNs: 2_002_021_855n },
  ];
  for (const row of table) {
    const out = generateQueries(
      settings({ scenario: 'Server', targetQps: row.qps, targetDurationMs: row.durationMs }),
      resnetSet(),
      new SequenceGenerator(),
    );
    assert.equal(out.generatedQueryCount, row.count, `qps ${row.qps}`);
    assert.equal(out.generatedQueryDurationNs, row.durationNs, `qps ${row.qps}`);
  }
});

test('Server arrival gaps are the truncated exponential draws, accumulated from 0', () => {
  const out = generateQueries(
    settings({ scenario: 'Server', targetQps: 100, minQueryCount: 4 }),
    resnetSet(),
    new SequenceGenerator(),
  );
  assert.deepEqual(
    out.queries.map((q) => q.scheduledNs),
    [0n, 18436540n, 18436540n + 4579236n, 18436540n + 4579236n + 12858623n],
  );
});

test('the same seeds give the same queries; another schedule seed moves only Server arrivals', () => {
  const base = settings({ scenario: 'Server', targetQps: 200, targetDurationMs: 1000 });
  const first = generateQueries(base, resnetSet(), new SequenceGenerator());
  const again = generateQueries(base, resnetSet(), new SequenceGenerator());
  assert.deepEqual(again, first);
  const moved = generateQueries(
    { ...base, scheduleRngSeed: 1n, minQueryCount: 300 },
    resnetSet(),
    new SequenceGenerator(),
  );
  const n = Math.min(first.queries.length, moved.queries.length);
  const indices = (q: typeof first) => q.queries.slice(0, n).map((x) => x.sampleIndices[0]);
  assert.deepEqual(indices(moved), indices(first));
  assert.notDeepEqual(moved.queries[1]?.scheduledNs, first.queries[1]?.scheduledNs);
});

test('MultiStream queries take 8 consecutive entries of the padded set', () => {
  const set = resnetSet({ isMultiStream: true, samplesPerQuery: 8 });
  const out = generateQueries(
    settings({
      scenario: 'MultiStream',
      samplesPerQuery: 8,
      minQueryCount: 662,
      targetQps: 1e9 / 4e6,
    }),
    set,
    new SequenceGenerator(),
  );
  assert.equal(out.generatedQueryCount, 662);
  assert.equal(out.generatedSamplesPerQuery, 8);
  for (const query of out.queries) {
    const start = set.samples.indexOf(query.sampleIndices[0]!);
    assert.ok(start >= 0 && start < 1024);
    assert.deepEqual(query.sampleIndices, set.samples.slice(start, start + 8));
  }
});

test('MultiStream accuracy mode shuffles the start offsets 0, 8, 16, ... and covers every sample', () => {
  const [set] = accuracySets({
    isMultiStream: true,
    samplesPerQuery: 8,
    totalSampleCount: 100,
    performanceSampleCount: 1024,
    qslRngSeed: V61.qslRngSeed,
    accuracySampleCount: 100,
  });
  const out = generateQueries(
    settings({ scenario: 'MultiStream', mode: 'accuracy', samplesPerQuery: 8 }),
    set!,
    new SequenceGenerator(),
  );
  assert.equal(out.generatedQueryCount, 13);
  const starts = out.queries
    .map((q) => set!.samples.indexOf(q.sampleIndices[0]!))
    .sort((a, b) => a - b);
  assert.deepEqual(starts, [0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96]);
  assert.deepEqual(new Set(out.queries.flatMap((q) => q.sampleIndices)).size, 100);
});

test('Offline performance issues one query: the loaded set 10 whole times then its first 760', () => {
  const set = resnetSet();
  const out = generateQueries(
    settings({ scenario: 'Offline', targetQps: 10_000, minQueryCount: 1, samplesPerQuery: 11_000 }),
    set,
    new SequenceGenerator(),
  );
  assert.equal(out.generatedQueryCount, 1);
  const samples = out.queries[0]!.sampleIndices;
  assert.equal(samples.length, 11_000);
  const expected = [
    ...Array.from({ length: 10 }, () => set.samples).flat(),
    ...set.samples.slice(0, 760),
  ];
  assert.deepEqual(samples, expected);
});

test('Offline accuracy issues each loaded set whole in loaded order', () => {
  const sets = accuracySets({
    isMultiStream: false,
    samplesPerQuery: 1,
    totalSampleCount: 100,
    performanceSampleCount: 30,
    qslRngSeed: V61.qslRngSeed,
    accuracySampleCount: 100,
  });
  const sequence = new SequenceGenerator();
  for (const set of sets) {
    const out = generateQueries(
      settings({ scenario: 'Offline', mode: 'accuracy', minQueryCount: 1, samplesPerQuery: 24576 }),
      set,
      sequence,
    );
    assert.equal(out.generatedQueryCount, 1);
    assert.deepEqual(out.queries[0]!.sampleIndices, set.samples);
  }
  assert.equal(sequence.currentSampleId, 100);
});

test('sequence ids continue across series', () => {
  const sequence = new SequenceGenerator();
  const first = generateQueries(settings({ minQueryCount: 3 }), resnetSet(), sequence);
  const second = generateQueries(settings({ minQueryCount: 2 }), resnetSet(), sequence);
  assert.deepEqual(
    [...first.queries, ...second.queries].map((q) => [q.sequenceId, q.firstSampleSequenceId]),
    [
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ],
  );
});

test('performance_issue_unique issues each loaded sample once; performance_issue_same repeats one', () => {
  const set = resnetSet();
  const unique = generateQueries(
    settings({ performanceIssueUnique: true, targetDurationMs: 1000 }),
    set,
    new SequenceGenerator(),
  );
  assert.equal(unique.generatedQueryCount, 1024);
  assert.equal(new Set(unique.queries.map((q) => q.sampleIndices[0])).size, 1024);
  const same = generateQueries(
    settings({ performanceIssueSame: true, performanceIssueSameIndex: 3 }),
    set,
    new SequenceGenerator(),
  );
  assert.ok(same.queries.every((q) => q.sampleIndices[0] === set.samples[3]));
});

test('equal-issue mode pads min_query_count to whole sets and issues each set member equally', () => {
  const set = resnetSet();
  const out = generateQueries(
    settings({ sampleConcatenatePermutation: true, minQueryCount: 1500 }),
    set,
    new SequenceGenerator(),
  );
  assert.equal(out.generatedQueryCount, 2048);
  const counts = new Map<number, number>();
  for (const q of out.queries)
    counts.set(q.sampleIndices[0]!, (counts.get(q.sampleIndices[0]!) ?? 0) + 1);
  assert.equal(counts.size, 1024);
  assert.ok([...counts.values()].every((c) => c === 2));
});
