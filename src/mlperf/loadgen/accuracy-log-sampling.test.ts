import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accuracyLogSampler,
  isSampleLogged,
  loggedSampleSequenceIds,
  type AccuracyLogSettings,
} from './accuracy-log-sampling.js';
import { performanceSet } from './loadable-sets.js';
import { generateQueries } from './query-generation.js';
import { SequenceGenerator } from './sequence-generator.js';

const TEST01_SEED = 720381539243781796n;

function ssAcclog(overrides: Partial<AccuracyLogSettings> = {}): AccuracyLogSettings {
  return {
    scenario: 'SingleStream',
    targetQps: 1000,
    minDurationMs: 500,
    minQueryCount: 500,
    samplesPerQuery: 1,
    minSampleCount: 1,
    accuracyLogProbability: 0,
    accuracyLogSamplingTarget: 50,
    accuracyLogRngSeed: TEST01_SEED,
    ...overrides,
  };
}

test('TEST01 sampling of 500 SingleStream queries logs the 41 golden sequence ids', () => {
  const set = performanceSet({
    isMultiStream: false,
    samplesPerQuery: 1,
    totalSampleCount: 50_000,
    performanceSampleCount: 1024,
    qslRngSeed: 2085463073848966840n,
    rule: 'v6',
  });
  const generated = generateQueries(
    {
      scenario: 'SingleStream',
      mode: 'performance',
      targetQps: 1000,
      targetDurationMs: 500,
      minQueryCount: 500,
      samplesPerQuery: 1,
      sampleIndexRngSeed: 2747215439041700203n,
      scheduleRngSeed: 16159082839903944936n,
      performanceIssueUnique: false,
      performanceIssueSame: false,
      performanceIssueSameIndex: 0,
      sampleConcatenatePermutation: false,
    },
    set,
    new SequenceGenerator(),
  );
  const sampler = accuracyLogSampler(ssAcclog());
  assert.equal(sampler.probability, 0.1);
  assert.equal(sampler.offset, 0.49069568815352677);
  const ids = loggedSampleSequenceIds(generated.queries.slice(0, 500), sampler, false);
  assert.equal(ids.length, 41);
  assert.deepEqual(ids.slice(0, 10), [5, 56, 65, 82, 87, 89, 92, 107, 113, 116]);
});

test('the sampling probability follows the expected-sample rule of each scenario', () => {
  const table: Array<{
    name: string;
    settings: Partial<AccuracyLogSettings>;
    probability: number;
  }> = [
    {
      name: 'no target keeps accuracy_log_probability',
      settings: { accuracyLogSamplingTarget: 0, accuracyLogProbability: 0.25 },
      probability: 0.25,
    },
    {
      name: 'expected from qps x duration',
      settings: { targetQps: 2000, minDurationMs: 1000, minQueryCount: 10 },
      probability: 50 / 2000,
    },
    {
      name: 'expected truncated before scaling',
      settings: { targetQps: 333.3, minDurationMs: 1000, minQueryCount: 1 },
      probability: 50 / 333,
    },
    {
      name: 'MultiStream scales by spq',
      settings: {
        scenario: 'MultiStream',
        targetQps: 100,
        minDurationMs: 10_000,
        minQueryCount: 10,
        samplesPerQuery: 8,
      },
      probability: 50 / 8000,
    },
    {
      name: 'MultiStream minimum is min_query_count x spq',
      settings: {
        scenario: 'MultiStream',
        targetQps: 1,
        minDurationMs: 1000,
        minQueryCount: 662,
        samplesPerQuery: 8,
      },
      probability: 50 / 5296,
    },
    {
      name: 'Offline does not scale by spq',
      settings: {
        scenario: 'Offline',
        targetQps: 100,
        minDurationMs: 1000,
        samplesPerQuery: 24576,
        minSampleCount: 10,
      },
      probability: 50 / 100,
    },
    {
      name: 'Offline minimum is min_sample_count',
      settings: { scenario: 'Offline', targetQps: 100, minDurationMs: 1000, minSampleCount: 24576 },
      probability: 50 / 24576,
    },
  ];
  for (const row of table)
    assert.equal(accuracyLogSampler(ssAcclog(row.settings)).probability, row.probability, row.name);
});

test('a sample is logged iff its value plus the offset, wrapped below 1, is at most the probability', () => {
  const sampler = { offset: 0.5, probability: 0.1 };
  const table: Array<[number, boolean]> = [
    [0.5, true],
    [0.55, true],
    [0.61, false],
    [0.4, false],
    [0.0, false],
  ];
  for (const [value, logged] of table)
    assert.equal(isSampleLogged(value, sampler, false), logged, `value ${value}`);
  assert.equal(isSampleLogged(0.4, sampler, true), true);
});
