import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, formatFlag, formatG } from './number-format.js';

// Expected strings were printed by C's printf (Python's % operator on the same doubles).
const gCases: ReadonlyArray<readonly [number, string]> = [
  [12345678.0, '1.23457e+07'],
  [0.0001, '0.0001'],
  [1e-5, '1e-05'],
  [123456.0, '123456'],
  [1234567.0, '1.23457e+06'],
  [9967.48, '9967.48'],
  [0.99, '0.99'],
  [6.90935e-9, '6.90935e-09'],
  [100.0, '100'],
  [0.5, '0.5'],
  [0.125, '0.125'],
  [1e100, '1e+100'],
  [199.87946, '199.879'],
  [999999.5, '1e+06'],
  [0.000123456789, '0.000123457'],
  [5e-324, '4.94066e-324'],
  [1.7976931348623157e308, '1.79769e+308'],
  [0.30000000000000004, '0.3'],
  [1234565.0, '1.23456e+06'],
  [0.9990000000000001, '0.999'],
  [500.0, '500'],
  [-2.5, '-2.5'],
  [-1.2345e-5, '-1.2345e-05'],
  [0.0, '0'],
  [99999.95, '99999.9'],
  [9.5, '9.5'],
  [9.999995e-5, '0.0001'],
  [199.8799, '199.88'],
  [0.03238327648331624, '0.0323833'],
  [3.948234964231735e-5, '3.94823e-05'],
  [72436286667.54277, '7.24363e+10'],
  [941300419396.8254, '9.413e+11'],
  [5799892477.47068, '5.79989e+09'],
  [0.00021469818083566172, '0.000214698'],
];

const fixedCases: ReadonlyArray<readonly [number, number, string]> = [
  [0.125, 2, '0.12'],
  [0.375, 2, '0.38'],
  [2.675, 2, '2.67'],
  [1.005, 2, '1.00'],
  [199.875, 2, '199.88'],
  [99.9, 2, '99.90'],
  [99.9, 2, '99.90'],
  [90.0, 1, '90.0'],
  [99.00000000000001, 1, '99.0'],
  [500.0, 2, '500.00'],
  [499.4984954864594, 2, '499.50'],
  [12.5, 0, '12'],
  [13.5, 0, '14'],
  [-0.004, 2, '-0.00'],
];

test('formatG prints every double as C printf %g does with precision 6', () => {
  for (const [value, expected] of gCases) {
    assert.equal(formatG(value), expected, String(value));
  }
});

test('formatG prints the spec examples of §4.1', () => {
  assert.deepEqual(
    [9967.48, 199.879, 500, 0.99, 6.90935e-9, 1234567].map((v) => formatG(v)),
    ['9967.48', '199.879', '500', '0.99', '6.90935e-09', '1.23457e+06'],
  );
});

test('formatG prints non-finite values and negative zero as C does', () => {
  assert.deepEqual(
    [Infinity, -Infinity, NaN, -0].map((v) => formatG(v)),
    ['inf', '-inf', 'nan', '-0'],
  );
});

test('formatG honours another precision', () => {
  assert.equal(formatG(Math.PI, 3), '3.14');
  assert.equal(formatG(123456789, 10), '123456789');
  assert.equal(formatG(0.5, 0), '0.5');
});

test('formatFixed rounds the exact binary value half to even as C printf %.Nf does', () => {
  for (const [value, decimals, expected] of fixedCases) {
    assert.equal(formatFixed(value, decimals), expected, `${value} %.${decimals}f`);
  }
});

test('formatFlag prints booleans as 0 and 1', () => {
  assert.deepEqual([formatFlag(false), formatFlag(true)], ['0', '1']);
});
