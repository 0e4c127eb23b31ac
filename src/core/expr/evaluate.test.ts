import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../errors.js';
import { compileFilter, evaluate, filterRows } from './evaluate.js';
import { parseExpression } from './parser.js';

const value = (text: string, row: Record<string, unknown> = {}): unknown =>
  evaluate(parseExpression(text), row);

test('null semantics: missing keys are null, arithmetic with null is null, comparisons with null are false, !null is true', () => {
  const row = { n: null, x: 2 };
  const cases: Array<[string, unknown]> = [
    ['missing', null],
    ['n', null],
    ['missing + 1', null],
    ['1 - n', null],
    ['missing * x', null],
    ['-missing', null],
    ['missing ** 2', null],
    ["missing + 'a'", null],
    ['missing < 3', false],
    ['missing >= 3', false],
    ['missing == 3', false],
    ['missing != 3', false],
    ['missing == missing', false],
    ["missing in 'abc'", false],
    ["'a' in missing", false],
    ['missing not in [1]', false],
    ['!missing', true],
    ['not missing', true],
    ['missing == null', true],
    ['null == missing', true],
    ['x == null', false],
    ['x != null', true],
    ['missing != null', false],
    ['missing ? 1 : 2', 2],
    ['missing || 5', 5],
    ['missing && 5', null],
  ];
  for (const [text, expected] of cases) assert.deepEqual(value(text, row), expected, text);
});

test('numeric strings compute and compare as numbers; other strings concatenate and compare as text', () => {
  const row = { s: '12.5', t: '3', word: 'abc', big: '1e3', spaced: ' 7', hex: '0x10' };
  const cases: Array<[string, unknown]> = [
    ['s + 1', 13.5],
    ['s * 2', 25],
    ['s + t', 15.5],
    ['t == 3', true],
    ["t == '3.0'", true],
    ['s > 9', true],
    ["'10' > '9'", true],
    ["'b' > 'abc'", true],
    ['big / 10', 100],
    ["word + 'def'", 'abcdef'],
    ['word + 1', 'abc1'],
    ["spaced + 'x'", ' 7x'],
    ["hex + ''", '0x10'],
    ['word == 0', false],
    ['word < 5', false],
    ['true == 1', false],
    ['[1, 2] == [1, 2]', true],
    ["'2' in [1, 2]", true],
    ["2 in '123'", true],
  ];
  for (const [text, expected] of cases) assert.deepEqual(value(text, row), expected, text);
});

test('&& || return the deciding operand, like JavaScript and Python; and/or/not are aliases', () => {
  const cases: Array<[string, unknown]> = [
    ['0 || 3', 3],
    ["'' or 'x'", 'x'],
    ['2 && 3', 3],
    ['0 and 3', 0],
    ['[] || 1', 1],
    ["'0' || 1", '0'],
    ['not 0', true],
    ['!2', false],
  ];
  for (const [text, expected] of cases) assert.deepEqual(value(text), expected, text);
});

test('runtime errors name the expression and the operator column', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a / b', { a: 1, b: 0 }, /^--where: division by zero at column 3 of "a \/ b"$/],
    ['a % 0', { a: 1 }, /remainder by zero at column 3/],
    ['a - 1', { a: 'x' }, /cannot apply "-" to string "x" and number 1 at column 3/],
    ['-a', { a: true }, /cannot apply unary "-" to boolean true at column 1/],
    ['10 ** 400', {}, /"\*\*" gives no finite number here at column 4/],
    ['1 + sqrt(a)', { a: -1 }, /sqrt\(\) gives no finite number here at column 5/],
    ['1 in 5', {}, /"in" needs a string or a list to look in, got number 5 at column 3/],
    ['a * 2', { a: [1] }, /cannot apply "\*" to a list and number 2/],
  ];
  for (const [text, row, pattern] of cases) {
    assert.throws(
      () => evaluate(parseExpression(text, '--where'), row),
      (e: unknown) => e instanceof CmError && e.code === 'bad-input' && pattern.test(e.message),
      text,
    );
  }
});

test('keys named __proto__, constructor or toString read only the row’s own values', () => {
  const plain = {};
  for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    assert.equal(value(`\`${key}\``, plain), null, key);
    assert.equal(value(`r['${key}']`, plain), null, key);
  }
  assert.equal(value('constructor', {}), null);
  const own = JSON.parse('{"__proto__": 5, "constructor": "c"}') as Record<string, unknown>;
  assert.equal(value("r['__proto__'] + 1", own), 6);
  assert.equal(value('constructor', own), 'c');
  assert.throws(() => parseExpression('constructor(1)'), /unknown function "constructor"/);
  assert.throws(() => parseExpression('__proto__(1)'), /unknown function "__proto__"/);
});

test('compileFilter keeps truthy rows, drops null and false, and throws on a syntax error before any row', () => {
  const keep = compileFilter('latency < 10 && model in ["a", "b"]');
  assert.deepEqual(
    [
      { latency: 5, model: 'a' },
      { latency: 15, model: 'a' },
      { model: 'b' },
      { latency: '3', model: 'b' },
    ].map(keep),
    [true, false, false, true],
  );
  assert.equal(compileFilter('x')({ x: null }), false);
  assert.equal(compileFilter('x')({ x: 'yes' }), true);
  assert.throws(() => compileFilter('latency <', '--where'), /^CmError: --where: unexpected end/);
  assert.throws(() => compileFilter('a / b')({ a: 1, b: 0 }), /division by zero/);
});

test('filterRows drops and counts the rows whose evaluation fails', () => {
  const rows = [
    { a: 4, b: 2 },
    { a: 1, b: 0 },
    { a: 1, b: 'x' },
    { a: 9, b: 3 },
  ];
  const out = filterRows(rows, parseExpression('a / b > 2', '--where'));
  assert.deepEqual(out.rows, [{ a: 9, b: 3 }]);
  assert.equal(out.errors, 2);
  assert.match(out.firstError?.message ?? '', /division by zero at column 3/);
  assert.deepEqual(filterRows(rows, parseExpression('a > 3')), {
    rows: [rows[0], rows[3]],
    errors: 0,
  });
});
