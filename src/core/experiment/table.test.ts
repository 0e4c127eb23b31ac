import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTable, formatTable, type Table } from './table.js';
import { CmError } from '../errors.js';

const rows = [
  { uid: 'u1', A: 1, latency: 12.5, model: 'resnet', host: 'h' },
  { uid: 'u2', A: 2, latency: 3, model: 'bert', host: 'h' },
  { uid: 'u3', A: 3, model: 'gpt', host: 'h' },
  { uid: 'u4', A: 4, latency: '100', model: 'x', host: 'h' },
];

test('preferred columns come first, then the other keys alphabetically', () => {
  const t = buildTable(rows, { columns: ['uid', 'missing', 'model'] });
  assert.deepEqual(t.columns, ['uid', 'model', 'A', 'host', 'latency']);
  assert.deepEqual(t.rows[2], ['u3', 'gpt', 3, 'h', undefined]);
});

test('only-changed hides columns constant across all rows (scenario 37)', () => {
  const t = buildTable(rows, { onlyChanged: true });
  assert.deepEqual(t.columns, ['A', 'latency', 'model', 'uid']);
  // A key missing from some rows is not constant.
  const partial = buildTable([{ a: 1 }, { a: 1, b: 2 }, { a: 1, b: 2 }], { onlyChanged: true });
  assert.deepEqual(partial.columns, ['b']);
  // Lists are compared by value.
  assert.deepEqual(buildTable([{ l: [1] }, { l: [1] }], { onlyChanged: true }).columns, []);
});

test('drop hides matching columns and keep shows columns whatever drop or only-changed say', () => {
  assert.deepEqual(buildTable(rows, { drop: /^(uid|host)$/ }).columns, ['A', 'latency', 'model']);
  assert.deepEqual(buildTable(rows, { drop: /.*/, keep: /^lat/ }).columns, ['latency']);
  assert.deepEqual(buildTable(rows, { onlyChanged: true, keep: /host/g }).columns, [
    'A',
    'host',
    'latency',
    'model',
    'uid',
  ]);
});

test('sorting is numeric, numeric strings included, with missing values last in both orders', () => {
  const asc = buildTable(rows, { columns: ['uid'], sortBy: 'latency' });
  assert.deepEqual(
    asc.rows.map((r) => r[0]),
    ['u2', 'u1', 'u4', 'u3'],
  );
  const desc = buildTable(rows, { columns: ['uid'], sortBy: 'latency', sortOrder: 'desc' });
  assert.deepEqual(
    desc.rows.map((r) => r[0]),
    ['u4', 'u1', 'u2', 'u3'],
  );
});

test('numbers sort before text, text sorts by characters, equal keys keep their order', () => {
  const mixed = [
    { k: 'b', i: 1 },
    { k: 10, i: 2 },
    { k: 'a', i: 3 },
    { k: 9, i: 4 },
    { k: 'a', i: 5 },
  ];
  const t = buildTable(mixed, { columns: ['i'], sortBy: 'k' });
  assert.deepEqual(
    t.rows.map((r) => r[0]),
    [4, 2, 3, 5, 1],
  );
});

test('sorting by a key no result has is bad input with a did-you-mean', () => {
  assert.throws(
    () => buildTable(rows, { sortBy: 'latnecy' }),
    (e: unknown) =>
      e instanceof CmError &&
      e.code === 'bad-input' &&
      /latnecy/.test(e.message) &&
      /latency/.test(e.hint ?? ''),
  );
  assert.deepEqual(buildTable([], { sortBy: 'x' }), { columns: [], rows: [] });
});

const sample: Table = {
  columns: ['name', 'time', 'note'],
  rows: [
    ['a', 1.23456789, 'x, "y"'],
    ['bb', 100, undefined],
    ['c|d', null, 'line1\nline2'],
    ['e', 0.1 + 0.2, [1, { k: 2 }]],
  ],
};

test('csv quotes per RFC 4180 and keeps full number precision', () => {
  assert.equal(
    formatTable(sample, 'csv'),
    'name,time,note\n' +
      'a,1.23456789,"x, ""y"""\n' +
      'bb,100,\n' +
      'c|d,null,"line1\nline2"\n' +
      'e,0.30000000000000004,"[1,{""k"":2}]"\n',
  );
});

test('markdown escapes pipes, breaks lines with <br> and right-aligns number columns', () => {
  assert.equal(
    formatTable(sample, 'md'),
    '| name | time | note |\n' +
      '| --- | ---: | --- |\n' +
      '| a | 1.23457 | x, "y" |\n' +
      '| bb | 100 |   |\n' +
      '| c\\|d | null | line1<br>line2 |\n' +
      '| e | 0.3 | [1,{"k":2}] |\n',
  );
});

test('text aligns columns, right-aligns numbers and cuts long cells with an ellipsis', () => {
  const t: Table = {
    columns: ['model', 'latency'],
    rows: [
      ['resnet50-very-long-name', 12.3456789],
      ['bert', 1000],
    ],
  };
  assert.equal(
    formatTable(t, 'text', { cellWidth: 10 }),
    'model       latency\n' +
      '----------  -------\n' +
      'resnet50-…  12.3457\n' +
      'bert           1000\n',
  );
});

test('text replaces control characters so a cell stays on one line', () => {
  const out = formatTable({ columns: ['n'], rows: [['a\nb\tc']] }, 'text');
  assert.equal(out, 'n\n-----\na b c\n');
});

test('a table without columns renders as nothing', () => {
  for (const f of ['text', 'csv', 'md'] as const) {
    assert.equal(formatTable({ columns: [], rows: [] }, f), '');
  }
});

test('integers print in full and floats with 6 significant digits, in text', () => {
  const t: Table = { columns: ['v'], rows: [[123456789], [1.5e-10], [2.5], [-0.000123456789]] };
  assert.equal(
    formatTable(t, 'text'),
    '           v\n' +
      '------------\n' +
      '   123456789\n' +
      '     1.5e-10\n' +
      '         2.5\n' +
      '-0.000123457\n',
  );
});
