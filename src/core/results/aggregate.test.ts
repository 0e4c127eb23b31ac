import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SWEEP } from './fixture-rows.js';
import { runQuery } from './query.js';
import type { QueryRequest } from './types.js';

test('group/agg gives one row per group with the statistics columns and the chosen aggregate', () => {
  const out = runQuery(SWEEP, { group: ['A', 'B'], agg: 'mean' });
  assert.equal(out.total, 3);
  const first = out.rows[0]!;
  assert.deepEqual(
    { ...first },
    {
      _id: 'group:[1,1]',
      experiment_uid: 'e1',
      experiment_alias: 'mlperf-demo',
      experiment_tags: 'mlperf,demo',
      experiment_dir: 'd1',
      uid: '',
      A: 1,
      B: 1,
      time: 12,
      'time#min': 10,
      'time#max': 14,
      'time#mean': 12,
      'time#range_percent': 0.4,
      'time#repeats': 3,
    },
  );
  const cases: Array<[QueryRequest['agg'], number[]]> = [
    ['min', [10, 20, 5]],
    ['max', [14, 20, 7]],
    ['median', [12, 20, 6]],
    ['count', [3, 1, 2]],
  ];
  for (const [agg, expected] of cases) {
    const rows = runQuery(SWEEP, { group: ['A', 'B'], ...(agg ? { agg } : {}) }).rows;
    assert.deepEqual(
      rows.map((r) => r['time']),
      expected,
      agg,
    );
  }
});

test('grouped rows can be sorted and take part in the Pareto frontier', () => {
  const out = runQuery(SWEEP, {
    group: ['A'],
    sort: [{ key: 'time#mean' }],
    pareto: { objectives: [{ key: 'time', goal: 'min' }] },
  });
  assert.deepEqual(
    out.rows.map((r) => [r['A'], r['time'], r['_frontier']]),
    [
      [2, 6, 1],
      [1, 14, undefined],
    ],
  );
  assert.deepEqual(out.frontier, ['group:[2]']);
});
