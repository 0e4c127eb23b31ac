import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../expr/index.js';
import { fieldsOf, rowAt, rowEvaluator, valueAt, type RowTable } from './row-table.js';
import { row } from './fixture-rows.js';

const table: RowTable = {
  rows: [row('a', { x: 2, y: 3 }), JSON.parse('{"uid": "b", "__proto__": 5, "x": 1}')],
  derived: new Map([
    ['y', [30, 40]],
    ['z', [null, 7]],
  ]),
};

test('a derived metric wins over the row key of the same name; missing keys are undefined', () => {
  assert.deepEqual(
    ['x', 'y', 'z', 'w'].map((k) => valueAt(table, 0, k)),
    [2, 30, null, undefined],
  );
  assert.deepEqual(
    rowAt(table, 1),
    JSON.parse('{"uid": "b", "__proto__": 5, "x": 1, "y": 40, "z": 7}'),
  );
  assert.equal(Object.hasOwn(rowAt(table, 1), '__proto__'), true);
});

test('an expression reads the merged row through the keys it names, and only those', () => {
  const expr = parseExpression(
    "x + y + coalesce(z, 0) + coalesce(w, 0) + coalesce(r['__proto__'], 0)",
  );
  assert.deepEqual(fieldsOf(expr).sort(), ['__proto__', 'w', 'x', 'y', 'z']);
  const evaluate = rowEvaluator(expr);
  assert.deepEqual([evaluate(table, 0), evaluate(table, 1)], [32, 53]);
  assert.equal(rowEvaluator(parseExpression('constructor == null'))(table, 0), true);
});
