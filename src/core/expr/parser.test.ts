import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../errors.js';
import { evaluate } from './evaluate.js';
import { MAX_EXPRESSION_BYTES, MAX_NESTING, parseAssignment, parseExpression } from './parser.js';

const value = (text: string, row: Record<string, unknown> = {}): unknown =>
  evaluate(parseExpression(text), row);

function parseError(text: string, what = '--where'): CmError {
  try {
    parseExpression(text, what);
  } catch (e) {
    assert.ok(e instanceof CmError, `expected a CmError for ${text}, got ${String(e)}`);
    assert.equal(e.code, 'bad-input');
    return e;
  }
  assert.fail(`${JSON.stringify(text)} parsed`);
}

test('operators bind by precedence: ** over unary minus over * / % over + - over comparisons over not/&& over ||', () => {
  const cases: Array<[string, unknown]> = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 / 2', 8],
    ['7 % 4 * 2', 6],
    ['-2 ** 2', -4],
    ['2 ** -1', 0.5],
    ['(-2) ** 2', 4],
    ['1 + 2 > 2', true],
    ['true || false && false', true],
    ['false && true || true', true],
    ['not 1 == 2', true],
    ['!1 == 2', false],
    ['1 > 0 ? 10 : 20 + 1', 10],
    ['0 ? 1 : 0 ? 2 : 3', 3],
    ['2 * 3 in [6]', true],
    ['1 + 1 not in [3]', true],
  ];
  for (const [text, expected] of cases) assert.deepEqual(value(text), expected, text);
  // == and < share one level, and comparisons do not chain.
  assert.throws(
    () => parseExpression('1 < 2 == true'),
    (e: unknown) =>
      e instanceof CmError && /column 7/.test(e.message) && /do not chain/.test(e.hint ?? ''),
  );
});

test('** is right-associative and the other binary operators are left-associative', () => {
  const cases: Array<[string, number]> = [
    ['2 ** 3 ** 2', 512],
    ['(2 ** 3) ** 2', 64],
    ['10 - 3 - 2', 5],
    ['64 / 4 / 2', 8],
    ['17 % 10 % 4', 3],
  ];
  for (const [text, expected] of cases) assert.equal(value(text), expected, text);
});

test('literals: numbers, both quotes with escapes, true/false/null, lists', () => {
  const cases: Array<[string, unknown]> = [
    ['12', 12],
    ['1.5e3', 1500],
    ['.5', 0.5],
    ['"a\\"b"', 'a"b'],
    ["'it\\'s'", "it's"],
    ["'tab\\there'", 'tab\there'],
    ["'\\u00e9\\x41\\u{1F600}'", 'éA😀'],
    ['true', true],
    ['false', false],
    ['null', null],
    ["[1, 'a', [true]]", [1, 'a', [true]]],
    ['[]', []],
  ];
  for (const [text, expected] of cases) assert.deepEqual(value(text), expected, text);
});

test('keys are read bare, backquoted, as r[...] and as CM result[...]', () => {
  const row = { latency: 3, 'a.b': 4, 'with space': 5, r: 6, and: 7 };
  const cases: Array<[string, unknown]> = [
    ['latency', 3],
    ['`a.b`', 4],
    ['`with space`', 5],
    ["r['a.b']", 4],
    ['r["with space"]', 5],
    ["result['a.b']", 4],
    ['r', 6],
    ['`and`', 7],
  ];
  for (const [text, expected] of cases) assert.deepEqual(value(text, row), expected, text);
});

test('a syntax error names the expression and the 1-based column of the offending token', () => {
  const cases: Array<[string, string]> = [
    ['a > (1))', 'unexpected ")" at column 8 of "a > (1))"'],
    ['(a', 'unexpected end of expression at column 3'],
    ['a +', 'unexpected end of expression at column 4'],
    ['a = 1', 'unexpected "=" at column 3'],
    ['a.b > 1', 'unexpected character "." at column 2'],
    ["'abc", 'unterminated string at column 1'],
    ['`abc', 'unterminated backquoted key at column 1'],
    ['``', 'empty backquoted key at column 1'],
    ["'a\\qb'", 'unknown escape "\\q" at column 3'],
    ['1.2.3', 'malformed number "1.2." at column 1'],
    ['x @ 2', 'unexpected character "@" at column 3'],
    ['foo(1)', 'unknown function "foo" at column 1'],
    ['1 + round()', 'round() takes 1 or 2 arguments, got 0 at column 5'],
    ['abs(1, 2)', 'abs() takes 1 argument, got 2 at column 1'],
    ['a < b < c', 'unexpected "<" at column 7'],
    ['x in', 'unexpected end of expression at column 5'],
    ['a ? b', 'unexpected end of expression at column 6'],
    ['r[1]', 'unexpected 1 at column 3'],
    ['and > 1', 'unexpected "and" at column 1'],
    ['', 'empty expression at column 1'],
    ['a b', 'unexpected "b" at column 3'],
  ];
  for (const [text, fragment] of cases) {
    const e = parseError(text);
    assert.ok(e.message.startsWith('--where: '), e.message);
    assert.ok(e.message.includes(fragment), `${text}: ${e.message}`);
  }
});

test('errors carry a hint where one helps', () => {
  assert.match(parseError('a = 1').hint ?? '', /==/);
  assert.match(parseError('a.b').hint ?? '', /`a\.b`/);
  assert.match(parseError('lenn(x)').hint ?? '', /len/);
  assert.match(parseError('a < b < c').hint ?? '', /&&/);
});

test('a literal regex in matches() is checked when parsing, at the pattern column', () => {
  const e = parseError('matches(name, "(a")');
  assert.match(e.message, /unsupported regex syntax "\(".*at column 15/);
});

test('an expression over 4 KB (UTF-8 bytes) is refused; one of exactly 4 KB parses', () => {
  const exact = `1${' '.repeat(MAX_EXPRESSION_BYTES - 1)}`;
  assert.equal(value(exact), 1);
  assert.match(parseError(`${exact} `).message, /4097 bytes long; at most 4096/);
  // 1366 three-byte characters in a string literal: fewer than 4096 code units, more bytes.
  assert.match(parseError(`'${'€'.repeat(1366)}'`).message, /bytes long/);
});

test(`nesting deeper than ${MAX_NESTING} levels is refused, shallower parses`, () => {
  const nested = (n: number): string => `${'('.repeat(n)}1${')'.repeat(n)}`;
  assert.equal(value(nested(MAX_NESTING)), 1);
  assert.match(parseError(nested(MAX_NESTING + 1)).message, /nested more than 64 levels/);
  assert.match(parseError(`${'-'.repeat(200)}1`).message, /nested more than/);
  assert.match(parseError(`${'not '.repeat(100)}1`).message, /nested more than/);
  assert.match(parseError(`${'2 ** '.repeat(100)}1`).message, /nested more than/);
  assert.match(parseError(`${'['.repeat(100)}`).message, /nested more than/);
});

test('a long flat chain is no nesting and evaluates', () => {
  assert.equal(value(Array(1000).fill('1').join('+')), 1000);
});

test('a derivation parses its target in every form, and refuses a missing "=" or __proto__', () => {
  const targets: Array<[string, string]> = [
    ['eff = a / b', 'eff'],
    ["result['eff x'] = 1", 'eff x'],
    ['r["e"] = 1', 'e'],
    ['`a.b` = 1', 'a.b'],
  ];
  for (const [text, name] of targets)
    assert.equal(parseAssignment(text, '--derive').name, name, text);
  assert.throws(() => parseAssignment('eff a', '--derive'), /unexpected "a" at column 5/);
  assert.throws(() => parseAssignment('eff =', '--derive'), /end of expression at column 6/);
  assert.throws(() => parseAssignment('1 = 2', '--derive'), /unexpected 1 at column 1/);
  assert.throws(
    () => parseAssignment("r['__proto__'] = 1", '--derive'),
    /"__proto__" cannot be a derived key/,
  );
  assert.throws(() => parseAssignment('eff == 1', '--derive'), /unexpected "==" at column 5/);
});
