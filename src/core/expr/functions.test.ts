import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from './evaluate.js';
import { FUNCTION_NAMES } from './functions.js';
import { parseExpression } from './parser.js';

const value = (text: string, row: Record<string, unknown> = {}): unknown =>
  evaluate(parseExpression(text), row);

/** [expression, expected value]; every function appears, with its null case. */
const CASES: Array<[string, unknown]> = [
  ['abs(-3)', 3],
  ["abs('-2.5')", 2.5],
  ['abs(null)', null],
  ['min(3, 1, 2)', 1],
  ['min([4, 2, 8])', 2],
  ['min(1, null)', null],
  ['min([])', null],
  ['max(3, 1, 2)', 3],
  ["max(['1', '10', '9'])", 10],
  ['round(2.5)', 3],
  ['round(-2.5)', -3],
  ['round(2.675, 2)', 2.68],
  ['round(1234.5, -2)', 1200],
  ['round(null)', null],
  ['floor(-1.5)', -2],
  ['ceil(1.2)', 2],
  ['sqrt(16)', 4],
  ['pow(2, 10)', 1024],
  ['pow(null, 2)', null],
  ['exp(0)', 1],
  ['log(1)', 0],
  ['log2(8)', 3],
  ['log10(1000)', 3],
  ["num('12.5')", 12.5],
  ["num('12 ms')", null],
  ['num(true)', 1],
  ['num(null)', null],
  ['str(1.5)', '1.5'],
  ['str(true)', 'true'],
  ['str([1, 2])', '[1,2]'],
  ['str(null)', null],
  ["len('héllo')", 5],
  ["len('😀')", 1],
  ['len([1, 2, 3])', 3],
  ['len(null)', null],
  ["lower('AbC')", 'abc'],
  ["upper('AbC')", 'ABC'],
  ['upper(null)', null],
  ["contains('resnet50', 'net')", true],
  ['contains([1, 2], 2)', true],
  ["contains(null, 'x')", false],
  ["startsWith('resnet50', 'res')", true],
  ["startsWith('resnet50', 'net')", false],
  ["endsWith('resnet50', '50')", true],
  ["endsWith(null, '50')", false],
  ["matches('resnet50', 'net[0-9]+$')", true],
  ["matches('RESNET', '^res', 'i')", true],
  ["matches('resnet', '^net')", false],
  ["matches(null, 'x')", false],
  ['isnum(3)', true],
  ["isnum('3.5')", true],
  ["isnum('x')", false],
  ['isnum(null)', false],
  ['isnum(true)', false],
  ['coalesce(null, missing, 0, 5)', 0],
  ['coalesce(null)', null],
];

test('every whitelisted function computes its documented value, null cases included', () => {
  for (const [text, expected] of CASES) assert.deepEqual(value(text), expected, text);
});

test('the table above calls every whitelisted function', () => {
  const called = new Set(CASES.map(([text]) => /^[a-zA-Z0-9]+/.exec(text)![0]));
  assert.deepEqual(
    FUNCTION_NAMES.filter((f) => !called.has(f)),
    [],
  );
  assert.deepEqual(
    [...FUNCTION_NAMES].sort(),
    'abs min max round floor ceil sqrt pow exp log log2 log10 num str len lower upper contains startsWith endsWith matches isnum coalesce'
      .split(' ')
      .sort(),
  );
});

test('functions refuse values of the wrong kind at run time', () => {
  const cases: Array<[string, RegExp]> = [
    ["abs('x')", /abs\(\) needs a number, got string "x"/],
    ["min(1, 'x')", /min\(\) needs a number/],
    ['round(1.5, 0.5)', /digits must be a whole number/],
    ['log(0)', /log\(\) gives no finite number/],
    ['len(5)', /len\(\) needs a string or a list/],
    ['lower(true)', /lower\(\) needs a string/],
    ["matches('a', 'b', 'g')", /unknown regex flags "g"/],
    ["matches('a', p)", /unsupported regex syntax "\\\\1"/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(() => value(text, { p: '(a)\\1' }), pattern, text);
  }
});
