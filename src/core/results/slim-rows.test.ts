import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hydrateRows, slimRows } from './slim-rows.js';
import type { QueryResponse, ResultRow } from './types.js';

function row(exp: string, alias: string, dir: string, uid: string, extra: object): ResultRow {
  return {
    _id: `${exp}/${dir}/${uid}`,
    experiment_uid: exp,
    experiment_alias: alias,
    experiment_tags: `${alias},demo`,
    experiment_dir: dir,
    uid,
    ...extra,
  };
}

const answer = (): QueryResponse => ({
  rows: [
    row('e1', 'one', '2025-01-01.10-00-00.000000', 'u1', { x: 1, _frontier: 1 }),
    row('e2', 'two', 'r2', 'u2', { x: 'a/b' }),
    { _id: 'group:[1]', x: 3 } as unknown as ResultRow,
  ],
  keys: [],
  total: 3,
  excluded: { filter: 0, constraints: 0, paretoMissing: 0 },
  frontier: [],
  errors: [],
});

test('slim rows keep _id and their own keys, and name each experiment once', () => {
  const slim = slimRows(answer());
  assert.deepEqual(slim.rows[0], { _id: 'e1/2025-01-01.10-00-00.000000/u1', x: 1, _frontier: 1 });
  assert.deepEqual(slim.experiments, {
    e1: { alias: 'one', tags: 'one,demo' },
    e2: { alias: 'two', tags: 'two,demo' },
  });
});

test('hydrating slim rows gives back the full rows', () => {
  const full = answer();
  const back = hydrateRows(JSON.parse(JSON.stringify(slimRows(answer()))));
  assert.deepEqual(back.rows[0], full.rows[0]);
  assert.deepEqual(back.rows[1], full.rows[1]);
  assert.deepEqual(back.rows[2], { _id: 'group:[1]', x: 3 });
  assert.equal(back.experiments, undefined);
});
