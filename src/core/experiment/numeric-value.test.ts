import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numericValue } from './numeric-value.js';

test('numbers and decimal strings are numeric; anything else is not', () => {
  const cases: Array<[unknown, number | undefined]> = [
    [3, 3],
    [-0.5, -0.5],
    ['12', 12],
    [' 1.5e3 ', 1500],
    ['.25', 0.25],
    ['-7.', -7],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    ['Infinity', undefined],
    ['0x10', undefined],
    ['', undefined],
    ['1,5', undefined],
    ['1e999', undefined],
    [true, undefined],
    [null, undefined],
    [undefined, undefined],
    [[1], undefined],
  ];
  for (const [value, expected] of cases) {
    assert.equal(numericValue(value), expected, `numericValue(${JSON.stringify(value)})`);
  }
});
