import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isConfigNumber, scanDouble, scanUint64 } from './c-number.js';

describe('C number parsing for config values', () => {
  const wholeTokens: [string, boolean][] = [
    ['15', true],
    ['15.7', true],
    ['0x1F', true],
    ['010', true],
    ['08', true],
    ['1e3', true],
    ['-1', true],
    ['.5', true],
    ['inf', true],
    ['abc', false],
    ['100ms', false],
    ['#', false],
    ['1.2.3', false],
    ['0x', false],
  ];
  for (const [token, expected] of wholeTokens) {
    test(`treats ${JSON.stringify(token)} as ${expected ? 'a number' : 'not a number'}`, () => {
      assert.equal(isConfigNumber(token), expected);
    });
  }

  const unsigned: [string, bigint][] = [
    ['15.7', 15n],
    ['0x10', 16n],
    ['010', 8n],
    ['08', 0n],
    ['1e3', 1n],
    ['-1', (1n << 64n) - 1n],
    ['99999999999999999999999', (1n << 64n) - 1n],
    ['16159082839903944936', 16159082839903944936n],
    ['abc', 0n],
  ];
  for (const [text, expected] of unsigned) {
    test(`strtoull reads ${text} as ${expected}`, () => {
      assert.equal(scanUint64(text).value, expected);
    });
  }

  const doubles: [string, number][] = [
    ['99.9', 99.9],
    ['010', 10],
    ['0x10', 16],
    ['0x1.8p1', 3],
    ['1e3', 1000],
    ['2', 2],
    ['-0.5', -0.5],
  ];
  for (const [text, expected] of doubles) {
    test(`strtod reads ${text} as ${expected}`, () => {
      assert.equal(scanDouble(text).value, expected);
    });
  }
});
