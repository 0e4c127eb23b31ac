import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDerivations, compileFilter, parseDerivations } from '../expr/index.js';
import { paretoFront } from '../experiment/pareto.js';
import { parseObjectives } from '../experiment/objectives.js';
import { runQuery } from './query.js';
import type { QueryRequest, ResultRow } from './types.js';

/** A row of experiment `e1`, run `d1`, with provenance fields set from `uid`. */
function row(uid: string, fields: Record<string, unknown>): ResultRow {
  return {
    _id: `e1/d1/${uid}`,
    experiment_uid: 'e1',
    experiment_alias: 'mlperf-demo',
    experiment_tags: 'mlperf,demo',
    experiment_dir: 'd1',
    uid,
    ...fields,
  };
}

/** MLPerf-like rows, frozen so that any mutation by the engine throws. */
const MLPERF: readonly ResultRow[] = [
  ['r1', 'resnet50', 'v4.0', 1000, 100, 76.1],
  ['r2', 'resnet50', 'v4.0', 1500, 200, 76.0],
  ['r3', 'resnet50', 'v4.1', 1200, 90, 75.9],
  ['r4', 'bert-99', 'v4.1', 800, 120, 90.2],
  ['r5', 'bert-99', 'v4.0', 2000, 400, 90.1],
  ['r6', 'llama2-70b', 'v4.1', 50, 700, 69.0],
  ['r7', 'llama2-70b', 'v4.0', 60, 650, 68.5],
  ['r8', 'gptj-99', 'v4.1', 300, 300, 99.0],
].map(([uid, Model, version, Result, Result_Power, Accuracy]) =>
  Object.freeze(row(String(uid), { Model, version, Result, Result_Power, Accuracy })),
);

const ids = (rows: readonly ResultRow[]): string[] => rows.map((r) => r.uid);

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

test('the Pareto frontier of Result:max,Result_Power:min is the one paretoFront finds', () => {
  const out = runQuery(MLPERF, {
    pareto: {
      objectives: [
        { key: 'Result', goal: 'max' },
        { key: 'Result_Power', goal: 'min' },
      ],
    },
  });
  const front = paretoFront(MLPERF, parseObjectives('Result:max,Result_Power:min'));
  const expected = MLPERF.filter((_, i) => front.onFrontier[i]).map((r) => r._id);
  assert.deepEqual(out.frontier, expected);
  assert.deepEqual(expected, ['e1/d1/r2', 'e1/d1/r3', 'e1/d1/r5']);
  for (const [i, r] of out.rows.entries()) {
    assert.equal(r['_rank'], front.rank[i]);
    assert.equal(r['_frontier'], front.onFrontier[i] ? 1 : undefined);
  }
});

test('the query gives the answers of cm show experiment --derive --where --pareto', () => {
  const derive = 'eff = Result / Result_Power';
  const where = 'Accuracy > 70';
  const shown = applyDerivations(MLPERF, parseDerivations(derive)).rows.filter(
    compileFilter(where),
  );
  const front = paretoFront(shown, parseObjectives('eff:max,Accuracy:max'));
  const out = runQuery(MLPERF, {
    derived: derive,
    filter: where,
    pareto: {
      objectives: [
        { key: 'eff', goal: 'max' },
        { key: 'Accuracy', goal: 'max' },
      ],
      only: true,
    },
  });
  assert.deepEqual(
    out.rows.map((r) => r._id),
    shown.filter((_, i) => front.onFrontier[i]).map((r) => r['_id']),
  );
});

test('a row missing an objective is excluded from the frontier, counted, and given no rank', () => {
  const rows = [
    row('a', { time: 1, acc: 0.5 }),
    row('b', { time: 2, acc: 0.9 }),
    row('c', { time: 3 }),
    row('d', { time: 3, acc: 0.4 }),
  ];
  const out = runQuery(rows, {
    pareto: {
      objectives: [
        { key: 'time', goal: 'min' },
        { key: 'acc', goal: 'max' },
      ],
    },
  });
  assert.equal(out.excluded.paretoMissing, 1);
  assert.deepEqual(
    out.rows.map((r) => [r.uid, r['_frontier'], r['_rank']]),
    [
      ['a', 1, 1],
      ['b', 1, 1],
      ['c', undefined, undefined],
      ['d', undefined, 2],
    ],
  );
});

test('Pareto runs on rows passing the constraints; "only" keeps frontier rows', () => {
  const req: QueryRequest = {
    constraints: [{ expr: 'Result_Power <= 300' }],
    showViolating: true,
    pareto: {
      objectives: [
        { key: 'Result', goal: 'max' },
        { key: 'Result_Power', goal: 'min' },
      ],
    },
  };
  const out = runQuery(MLPERF, req);
  // r5 (2000, 400) is on the frontier of all rows, but violates the constraint.
  assert.deepEqual(out.frontier, ['e1/d1/r2', 'e1/d1/r3']);
  const violator = out.rows.find((r) => r.uid === 'r5')!;
  assert.deepEqual([violator['_violates'], violator['_rank']], [true, undefined]);
  const only = runQuery(MLPERF, { ...req, pareto: { ...req.pareto!, only: true } });
  assert.deepEqual(ids(only.rows), ['r2', 'r3']);
});

test('bad Pareto objectives are reported and no frontier is computed', () => {
  const cases: unknown[] = [[], [{ key: 'Result', goal: 'up' }], [{ goal: 'max' }]];
  for (const objectives of cases) {
    const out = runQuery(MLPERF, { pareto: { objectives } as never });
    assert.deepEqual(
      out.errors.map((e) => e.part),
      ['pareto'],
    );
    assert.deepEqual(out.frontier, []);
    assert.equal(out.rows[0]!['_rank'], undefined);
  }
});

const SWEEP: readonly ResultRow[] = [
  [1, 1, 10],
  [1, 1, 12],
  [1, 1, 14],
  [1, 2, 20],
  [2, 1, 5],
  [2, 1, 7],
].map(([A, B, time], i) => row(`s${i}`, { A, B, time, acc: 'n/a' }));

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
