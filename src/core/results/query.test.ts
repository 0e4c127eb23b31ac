import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MLPERF, ids, row } from './fixture-rows.js';
import { runQuery } from './query.js';
import type { QueryRequest } from './types.js';

test('an empty request returns every row as it is, with the key catalogue and no errors', () => {
  const out = runQuery(MLPERF, {});
  assert.equal(out.total, 8);
  assert.ok(out.rows.every((r, i) => r === MLPERF[i]));
  assert.deepEqual(out.excluded, { filter: 0, constraints: 0, paretoMissing: 0 });
  assert.deepEqual(out.errors, []);
  assert.deepEqual(out.frontier, []);
  assert.deepEqual(
    out.keys.slice(0, 3).map((k) => k.name),
    ['Model', 'Result', 'Accuracy'],
  );
});

test('a derived metric adds a column to new rows and leaves the input rows untouched', () => {
  const out = runQuery(MLPERF, { derived: 'eff = Result / Result_Power' });
  assert.deepEqual(out.errors, []);
  assert.equal(out.rows[0]!['eff'], 10);
  assert.notEqual(out.rows[0], MLPERF[0]);
  assert.equal(MLPERF[0]!['eff'], undefined);
  const eff = out.keys.find((k) => k.name === 'eff');
  assert.equal(eff?.origin, 'derived');
  assert.equal(eff?.kind, 'number');
});

test("CM's result['key'] form and later lines seeing earlier ones both work", () => {
  const out = runQuery(MLPERF, {
    derived:
      "result['eff2'] = result['Result']*2\nquad = eff2 * 2; `per W` = Result / Result_Power",
  });
  assert.deepEqual(out.errors, []);
  assert.deepEqual(
    [out.rows[0]!['eff2'], out.rows[0]!['quad'], out.rows[0]!['per W']],
    [2000, 4000, 10],
  );
});

test('a syntax error in derived metrics gives its line and position, and the query still returns rows', () => {
  const out = runQuery(MLPERF, { derived: 'eff = Result / Result_Power\nbad = (Result * 2' });
  assert.equal(out.total, 8);
  assert.equal(out.rows[0]!['eff'], 10);
  assert.equal(out.rows[0]!['bad'], undefined);
  assert.equal(out.errors.length, 1);
  const [error] = out.errors;
  assert.equal(error!.part, 'derived');
  assert.equal(error!.line, 2);
  assert.equal(error!.position, 18);
  assert.match(error!.message, /^derived line 2: /);
});

test('a syntax error after ";" is placed by its column in the whole line', () => {
  const [error] = runQuery(MLPERF, { derived: 'a = 1; b = )' }).errors;
  assert.equal(error!.line, 1);
  assert.equal(error!.position, 12);
});

test('Python and JavaScript code is rejected as an invalid expression, never run', () => {
  const attacks = ["__import__('os').system('x')", 'process.exit(1)', "eval('1')", 'x = 1'];
  for (const text of attacks) {
    const req: QueryRequest = {
      derived: `evil = ${text}`,
      filter: text,
      constraints: [{ expr: text }],
    };
    const out = runQuery(MLPERF, req);
    assert.deepEqual(
      out.errors.map((e) => e.part),
      ['derived', 'filter', 'constraints'],
      text,
    );
    assert.ok(
      out.errors.every((e) => typeof e.position === 'number'),
      text,
    );
    assert.equal(out.total, 8, text);
  }
});

test('a derived metric failing on a row gives null there and counts the rows affected', () => {
  const rows = [row('a', { x: 4, y: 2 }), row('b', { x: 1, y: 0 }), row('c', { x: 1, y: 0 })];
  const out = runQuery(rows, { derived: 'q = x / y\nr = q * 2' });
  assert.deepEqual(
    out.rows.map((r) => [r['q'], r['r']]),
    [
      [2, 4],
      [null, null],
      [null, null],
    ],
  );
  assert.equal(out.errors.length, 1);
  assert.deepEqual(
    { ...out.errors[0]!, message: '' },
    { part: 'derived', message: '', position: 7, line: 1, rowsAffected: 2 },
  );
});

test('a name of the playground cannot be derived', () => {
  const out = runQuery(MLPERF, { derived: '_id = 1\n  uid = 2\nok = 3' });
  assert.deepEqual(
    out.errors.map((e) => [e.line, e.position]),
    [
      [1, 1],
      [2, 3],
    ],
  );
  assert.equal(out.rows[0]!._id, 'e1/d1/r1');
  assert.equal(out.rows[0]!['ok'], 3);
});

test('the filter keeps matching rows and counts the others', () => {
  const out = runQuery(MLPERF, { filter: 'Accuracy > 75' });
  assert.deepEqual(ids(out.rows), ['r1', 'r2', 'r3', 'r4', 'r5', 'r8']);
  assert.equal(out.excluded.filter, 2);
  const like = runQuery(MLPERF, { filter: "'llama2' in result['Model']" });
  assert.deepEqual(ids(like.rows), ['r6', 'r7']);
});

test('rows on which the filter fails are kept, and the error is reported once with their count', () => {
  const rows = [row('a', { x: 10 }), row('b', { x: 'ten' }), row('c', { x: 1 }), row('d', {})];
  const out = runQuery(rows, { filter: 'x * 2 > 5' });
  assert.deepEqual(ids(out.rows), ['a', 'b']);
  assert.equal(out.excluded.filter, 2);
  assert.equal(out.errors.length, 1);
  assert.equal(out.errors[0]!.part, 'filter');
  assert.equal(out.errors[0]!.rowsAffected, 1);
  assert.equal(out.errors[0]!.position, 3);
});

test('a filter with a syntax error is reported and not applied', () => {
  const out = runQuery(MLPERF, { filter: 'Accuracy >', derived: 'eff = Result / Result_Power' });
  assert.equal(out.total, 8);
  assert.equal(out.errors[0]!.part, 'filter');
  assert.equal(out.errors[0]!.position, 11);
  assert.equal(out.rows[0]!['eff'], 10);
});

test('constraints, expressions and CK conditions, are ANDed and their violators dropped', () => {
  const out = runQuery(MLPERF, {
    constraints: [{ expr: 'Result_Power <= 300' }, { key: 'Accuracy', op: '>=', value: 76 }],
  });
  assert.deepEqual(ids(out.rows), ['r1', 'r2', 'r4', 'r8']);
  assert.equal(out.excluded.constraints, 4);
  assert.deepEqual(out.errors, []);
});

test('CK conditions compare numbers by value, text by code unit, and fail on a missing value', () => {
  const rows = [row('a', { v: '10' }), row('b', { v: 9 }), row('c', { v: 'x' }), row('d', {})];
  const cases: Array<[QueryRequest['constraints'], string[]]> = [
    [[{ key: 'v', op: '>', value: 9.5 }], ['a']],
    [[{ key: 'v', op: '<=', value: '9' }], ['b']],
    [[{ key: 'v', op: '==', value: 10 }], ['a']],
    [[{ key: 'v', op: '!=', value: 10 }], ['b', 'c']],
    [[{ key: 'v', op: '>=', value: 'w' }], ['c']],
    [[{ key: 'v', op: '<', value: null }], []],
  ];
  for (const [constraints, expected] of cases) {
    assert.deepEqual(
      ids(runQuery(rows, { constraints }).rows),
      expected,
      JSON.stringify(constraints),
    );
  }
});

test('showViolating keeps violators, flagged _violates, and counts them', () => {
  const out = runQuery(MLPERF, {
    constraints: [{ expr: 'Result_Power <= 300' }],
    showViolating: true,
  });
  assert.equal(out.total, 8);
  assert.equal(out.excluded.constraints, 3);
  assert.deepEqual(
    out.rows.filter((r) => r['_violates'] === true).map((r) => r.uid),
    ['r5', 'r6', 'r7'],
  );
  assert.equal(MLPERF[4]!['_violates'], undefined);
});

test('a bad constraint is reported with its index and the others still apply', () => {
  const out = runQuery(MLPERF, {
    constraints: [
      { expr: 'Result_Power <= ' },
      { key: 'Accuracy', op: '=>' as never, value: 1 },
      { expr: 'Accuracy > 90' },
    ],
  });
  assert.deepEqual(
    out.errors.map((e) => [e.part, e.index]),
    [
      ['constraints', 0],
      ['constraints', 1],
    ],
  );
  assert.deepEqual(ids(out.rows), ['r4', 'r5', 'r8']);
});

test('columns project rows but keep provenance fields and flags', () => {
  const out = runQuery(MLPERF, {
    derived: 'eff = Result / Result_Power',
    columns: ['eff', 'Model'],
    pareto: { objectives: [{ key: 'eff', goal: 'max' }] },
  });
  assert.deepEqual(Object.keys(out.rows[0]!), [
    'eff',
    'Model',
    '_id',
    'experiment_uid',
    'experiment_alias',
    'experiment_tags',
    'experiment_dir',
    'uid',
    '_rank',
  ]);
  assert.deepEqual(out.frontier, ['e1/d1/r3']);
});

test('offset and limit page the sorted rows; total counts them all', () => {
  const out = runQuery(MLPERF, { sort: [{ key: 'Result', desc: true }], offset: 2, limit: 3 });
  assert.deepEqual(ids(out.rows), ['r3', 'r1', 'r4']);
  assert.equal(out.total, 8);
  assert.equal(runQuery(MLPERF, { limit: 0 }).rows.length, 0);
});

test('selection.resultUid keeps only the rows of that result uid', () => {
  const out = runQuery(MLPERF, { selection: { resultUid: 'r4', tags: ['ignored'] } });
  assert.deepEqual(ids(out.rows), ['r4']);
});
