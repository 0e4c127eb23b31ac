import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MLPERF, ids, row } from './fixture-rows.js';
import { runQuery } from './query.js';
import type { QueryRequest } from './types.js';

test('sort orders numbers by value, text naturally, and missing values last both ways', () => {
  const rows = [
    row('a', { v: 10, t: 'v10' }),
    row('b', { v: '9', t: 'v9' }),
    row('c', { t: 'V2' }),
    row('d', { v: 'x', t: 'v9' }),
    row('e', { v: -1, t: null }),
  ];
  const cases: Array<[QueryRequest['sort'], string[]]> = [
    [[{ key: 'v' }], ['e', 'b', 'a', 'd', 'c']],
    [[{ key: 'v', desc: true }], ['a', 'b', 'e', 'd', 'c']],
    [[{ key: 't' }], ['c', 'b', 'd', 'a', 'e']],
    [
      [{ key: 't', desc: true }, { key: 'v' }],
      ['a', 'b', 'd', 'c', 'e'],
    ],
  ];
  for (const [sort, expected] of cases) {
    assert.deepEqual(ids(runQuery(rows, { sort }).rows), expected, JSON.stringify(sort));
  }
});

test('sorting by a key no row has is reported with a suggestion', () => {
  const out = runQuery(MLPERF, { sort: [{ key: 'Acuracy' }] });
  assert.deepEqual(
    out.errors.map((e) => [e.part, e.hint]),
    [['sort', 'did you mean "Accuracy"?']],
  );
  assert.equal(out.total, 8);
});
