import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixedPython, formatFloatPython } from './python-format.js';

test('formats like Python .Nf, rounding exact midpoints half to even', () => {
  const table: Array<[number, number, string]> = [
    [1.5625, 3, '1.562'],
    [1.1875, 3, '1.188'],
    [12.5625, 3, '12.562'],
    [0.0005, 3, '0.001'],
    [2.675, 2, '2.67'],
    [66.66666666666667, 3, '66.667'],
    [100, 3, '100.000'],
    [0, 3, '0.000'],
    [-0.0001, 3, '-0.000'],
    [0.5, 0, '0'],
    [1.5, 0, '2'],
    [75.6954, 3, '75.695'],
  ];
  for (const [x, digits, expected] of table) {
    assert.equal(formatFixedPython(x, digits), expected, `${x} .${digits}f`);
  }
});

test('formatFloatPython writes a float as str(float(x))', () => {
  assert.equal(formatFloatPython(1), '1.0');
  assert.equal(formatFloatPython(20), '20.0');
  assert.equal(formatFloatPython(0.5), '0.5');
  assert.equal(formatFloatPython(573.1816885645954), '573.1816885645954');
});
