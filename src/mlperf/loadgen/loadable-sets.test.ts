import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accuracySets,
  generateLoadableSets,
  loadSeries,
  performanceSet,
  type SetChoiceInput,
} from './loadable-sets.js';

const V61_QSL_SEED = 2085463073848966840n;

function resnet(overrides: Partial<SetChoiceInput> = {}): SetChoiceInput {
  return {
    isMultiStream: false,
    samplesPerQuery: 1,
    totalSampleCount: 50_000,
    performanceSampleCount: 1024,
    qslRngSeed: V61_QSL_SEED,
    ...overrides,
  };
}

test('the performance set follows the >= 6.0 rule or the <= 5.1 rule as asked', () => {
  const table = [
    { rule: 'v6' as const, prefix: [216, 267, 822, 906, 663, 580, 710, 908, 410, 882] },
    { rule: 'legacy' as const, prefix: [26417, 6860, 15735, 37676] },
  ];
  for (const { rule, prefix } of table) {
    const set = performanceSet({ ...resnet(), rule });
    assert.deepEqual(set.samples.slice(0, prefix.length), prefix, rule);
    assert.equal(set.samples.length, 1024);
    assert.equal(set.distributionEnd, 1024);
  }
});

test('the v6 performance set is a permutation of the first P dataset indices', () => {
  const set = performanceSet({ ...resnet(), rule: 'v6' });
  assert.deepEqual(
    [...set.samples].sort((a, b) => a - b),
    Array.from({ length: 1024 }, (_, i) => i),
  );
});

test('accuracy sets have performance_sample_count size, the last one shorter, and cover the data once', () => {
  const sets = accuracySets({
    ...resnet({ totalSampleCount: 100, performanceSampleCount: 30 }),
    accuracySampleCount: 100,
  });
  assert.deepEqual(
    sets.map((s) => s.samples.length),
    [30, 30, 30, 10],
  );
  const union = sets.flatMap((s) => s.samples).sort((a, b) => a - b);
  assert.deepEqual(
    union,
    Array.from({ length: 100 }, (_, i) => i),
  );
});

test('the sample count is capped at the QSL total', () => {
  const sets = accuracySets({ ...resnet({ totalSampleCount: 100 }), accuracySampleCount: 50_000 });
  assert.equal(sets.length, 1);
  assert.equal(sets[0]?.samples.length, 100);
});

test('MultiStream sets carry spq-1 padding copied from their start', () => {
  const set = performanceSet({
    ...resnet({ isMultiStream: true, samplesPerQuery: 8 }),
    rule: 'v6',
  });
  assert.equal(set.samples.length, 1024 + 7);
  assert.equal(set.distributionEnd, 1024);
  assert.deepEqual(set.samples.slice(1024), set.samples.slice(0, 7));
  assert.deepEqual(set.samples.slice(0, 3), [216, 267, 822]);
});

test('padding longer than a short set wraps around it', () => {
  const [set] = generateLoadableSets({
    sampleCount: 2,
    totalSampleCount: 2,
    setSize: 10,
    padding: 5,
    qslRngSeed: 1n,
  });
  const [a, b] = set!.samples;
  assert.deepEqual(set!.samples, [a, b, a, b, a, b, a]);
});

test('a set size below 1 is a bug, not a silent empty run', () => {
  assert.throws(() =>
    generateLoadableSets({
      sampleCount: 5,
      totalSampleCount: 5,
      setSize: 0,
      padding: 0,
      qslRngSeed: 1n,
    }),
  );
});

test('load series: accuracy sets in turn, the performance set once, a submission run both in that order', () => {
  const base = {
    ...resnet({ totalSampleCount: 100, performanceSampleCount: 30 }),
    accuracySampleCount: 100,
    rule: 'v6' as const,
  };
  const table = [
    {
      testMode: 'accuracy' as const,
      modes: ['accuracy', 'accuracy', 'accuracy', 'accuracy'],
      sizes: [30, 30, 30, 10],
    },
    { testMode: 'performance' as const, modes: ['performance'], sizes: [30] },
    {
      testMode: 'submission' as const,
      modes: ['accuracy', 'accuracy', 'accuracy', 'accuracy', 'performance'],
      sizes: [30, 30, 30, 10, 30],
    },
  ];
  for (const row of table) {
    const series = loadSeries({ ...base, testMode: row.testMode });
    assert.deepEqual(
      series.map((s) => s.mode),
      row.modes,
      row.testMode,
    );
    assert.deepEqual(
      series.map((s) => s.set.samples.length),
      row.sizes,
      row.testMode,
    );
  }
});

test('the legacy rule ignores accuracy_sample_count and shuffles the whole dataset', () => {
  const series = loadSeries({
    ...resnet({ totalSampleCount: 100 }),
    accuracySampleCount: 10,
    rule: 'legacy',
    testMode: 'accuracy',
  });
  assert.equal(series[0]?.set.samples.length, 100);
});
