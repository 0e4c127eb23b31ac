import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../errors.js';
import { applyDerivations, parseDerivations } from './derive.js';

test('derivations run in order, so a later line sees an earlier one', () => {
  const ds = parseDerivations('eff = Result / Result_Power\nscore = eff * 2\n');
  assert.deepEqual(
    ds.map((d) => d.name),
    ['eff', 'score'],
  );
  const out = applyDerivations([{ Result: 10, Result_Power: 5 }], ds);
  assert.deepEqual(out, { rows: [{ Result: 10, Result_Power: 5, eff: 2, score: 4 }], errors: 0 });
});

test('lines, ";" separators, a list of lines, comments and CM result[...] targets all parse', () => {
  const text = "# comment; with 'quote\na = 1; b = 'x;y'\n\nresult['c d'] = a + 1;`e.f` = b";
  const names = (t: string | string[]): string[] => parseDerivations(t).map((d) => d.name);
  assert.deepEqual(names(text), ['a', 'b', 'c d', 'e.f']);
  assert.deepEqual(names(['a = 1', 'b = a']), ['a', 'b']);
  assert.deepEqual(names('a = 1\n  # b = 2; c = 3\nd = 4'), ['a', 'd']);
  assert.throws(
    () => parseDerivations('d = 4 # no trailing comments'),
    /unexpected character "#" at column 7/,
  );
  assert.throws(
    () => parseDerivations("a = 'x\\\nb = 1"),
    /^CmError: --derive line 1: unknown escape/,
  );
  const [row] = applyDerivations([{}], parseDerivations(text)).rows;
  assert.deepEqual(row, { a: 1, b: 'x;y', 'c d': 2, 'e.f': 'x;y' });
});

test('a failing derivation gives null on that row, is counted, and later lines see the null', () => {
  const ds = parseDerivations('eff = a / b\ndouble = eff * 2\nlabel = name + 1');
  const rows = [
    { a: 4, b: 2, name: 'x' },
    { a: 1, b: 0, name: 'y' },
    { a: 'p', b: 1, name: true },
  ];
  const out = applyDerivations(rows, ds);
  assert.deepEqual(
    out.rows.map((r) => [r['eff'], r['double'], r['label']]),
    [
      [2, 4, 'x1'],
      [null, null, 'y1'],
      [null, null, null],
    ],
  );
  assert.equal(out.errors, 3);
  assert.ok(out.firstError instanceof CmError);
  assert.match(
    out.firstError.message,
    /^--derive line 1: division by zero at column 9 of "eff = a \/ b"$/,
  );
});

test('input rows are not mutated; each output row is a new object', () => {
  const input = [{ a: 1 }];
  const frozen = input.map((r) => Object.freeze(r));
  const out = applyDerivations(frozen, parseDerivations('a = a + 1\nb = 2'));
  assert.deepEqual(input, [{ a: 1 }]);
  assert.deepEqual(out.rows, [{ a: 2, b: 2 }]);
  assert.notEqual(out.rows[0], input[0]);
});

test('a syntax error on any line throws before any row is evaluated, naming the line and column', () => {
  assert.throws(
    () => parseDerivations('ok = 1\nbad = (a +\n', '--derive'),
    (e: unknown) =>
      e instanceof CmError &&
      e.code === 'bad-input' &&
      e.message === '--derive line 2: unexpected end of expression at column 11 of "bad = (a +"',
  );
  assert.throws(() => parseDerivations('x == 1'), /--derive: unexpected "==" at column 3/);
  assert.throws(() => parseDerivations('just_an_expression'), /unexpected end of expression/);
});

test('a derived key named like an Object.prototype member becomes an own key, __proto__ is refused', () => {
  const out = applyDerivations([{}], parseDerivations("constructor = 1\nr['toString'] = 2"));
  const row = out.rows[0]!;
  assert.ok(Object.hasOwn(row, 'constructor') && Object.hasOwn(row, 'toString'));
  assert.equal(Object.getPrototypeOf(row), Object.prototype);
  assert.deepEqual(JSON.parse(JSON.stringify(row)), { constructor: 1, toString: 2 });
  assert.throws(() => parseDerivations('`__proto__` = 1'), /"__proto__" cannot be a derived key/);
});

test('a row carrying an own __proto__ key keeps it as data and can be read', () => {
  const row = JSON.parse('{"__proto__": 3}') as Record<string, unknown>;
  const out = applyDerivations([row], parseDerivations("x = r['__proto__'] * 2"));
  assert.equal(out.rows[0]!['x'], 6);
  assert.equal(Object.getPrototypeOf(out.rows[0]), Object.prototype);
  assert.ok(Object.hasOwn(out.rows[0]!, '__proto__'));
});
