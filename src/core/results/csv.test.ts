import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv, toJsonExport } from './csv.js';
import type { ResultRow } from './types.js';

const base = {
  _id: 'e/d/1',
  experiment_uid: 'e',
  experiment_alias: 'a',
  experiment_tags: 'x,y',
  experiment_dir: 'd',
  uid: '1',
};

test('CSV quotes fields holding commas, quotes, CR or LF (RFC 4180), and nothing else', () => {
  const cases: Array<[unknown, string]> = [
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    [' spaced ', ' spaced '],
    [0.1 + 0.2, '0.30000000000000004'],
    [true, 'true'],
    [null, ''],
    [undefined, ''],
    [{ a: [1, 'b,c'] }, '"{""a"":[1,""b,c""]}"'],
  ];
  for (const [value, cell] of cases) {
    assert.equal(toCsv([{ ...base, v: value }], ['v']), `v\n${cell}\n`, String(value));
  }
});

test('CSV has a header of the columns and one line per row, missing cells empty', () => {
  const rows: ResultRow[] = [
    { ...base, Model: 'bert', Result: 1 },
    { ...base, uid: '2', Result: 2 },
  ];
  const csv = toCsv(rows, ['uid', 'Model', 'Result', 'a "key"']);
  assert.equal(csv, 'uid,Model,Result,"a ""key"""\n1,bert,1,\n2,,2,\n');
  assert.equal(toCsv([], ['x']), 'x\n');
});

test('the JSON export keeps the chosen columns in order, or whole rows', () => {
  const rows: ResultRow[] = [{ ...base, b: 2, a: 1 }];
  assert.deepEqual(JSON.parse(toJsonExport(rows, ['a', 'uid', 'missing'])), [{ a: 1, uid: '1' }]);
  assert.deepEqual(Object.keys(JSON.parse(toJsonExport(rows, ['b', 'a']))[0]), ['b', 'a']);
  assert.deepEqual(JSON.parse(toJsonExport(rows)), rows);
  assert.ok(toJsonExport(rows).endsWith(']\n'));
});
