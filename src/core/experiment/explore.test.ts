import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../errors.js';
import {
  countPoints,
  evaluateDimension,
  explorationPoints,
  formatExploreValue,
  MAX_EXPLORE_VALUES,
  mergeDimensions,
  type ExploreValue,
} from './explore.js';

test('the value forms of experiment.md §9 scenarios 14-22 give the documented values', () => {
  const cases: Array<[string, unknown, ExploreValue[]]> = [
    ['14: a YAML list of numbers', [1, 2, 3], [1, 2, 3]],
    ['14: a YAML list of strings', ['x', 'y'], ['x', 'y']],
    ['15: a comprehension of powers', '[2**i for i in range(0,6)]', [1, 2, 4, 8, 16, 32]],
    ['16: range, stop excluded', 'range(1,5)', [1, 2, 3, 4]],
    ['16: MLCFlow slice, stop included', '1:9:4', [1, 5, 9]],
    ['17: an inline list of quoted strings', '["xx","yy"]', ['xx', 'yy']],
    ['19: a CLI string list', '[1,2]', [1, 2]],
    ['20: a one-item list', [7], [7]],
    ['22: an empty YAML list', [], []],
    ['22: an empty list expression', '[]', []],
  ];
  for (const [what, value, expected] of cases)
    assert.deepEqual(evaluateDimension('C', value), expected, what);
});

test('string expressions: Python-ish literals, ranges, comprehensions and arithmetic', () => {
  const cases: Array<[string, ExploreValue[]]> = [
    [`[1, 'a', "b", true, 2.5, -3]`, [1, 'a', 'b', true, 2.5, -3]],
    ['[True, False, false]', [true, false, false]],
    ['[1, 2,]', [1, 2]],
    [`['it\\'s', "tab\\t"]`, ["it's", 'tab\t']],
    ['range(4)', [0, 1, 2, 3]],
    ['range(10, 0, -3)', [10, 7, 4, 1]],
    [' 0 : 4 : 2 ', [0, 2, 4]],
    ['-2:2', [-2, -1, 0, 1, 2]],
    ['[n * 10 for n in range(3)]', [0, 10, 20]],
    ['[i / 2 for i in range(3)]', [0, 0.5, 1]],
    ['[i // 2 for i in range(-3, 3)]', [-2, -1, -1, 0, 0, 1]],
    ['[i % 3 for i in range(-3, 1)]', [0, 1, 2, 0]],
    ['[2 ** 3 ** 2, -2 ** 2, 2 ** -1, (1 + 2) * 3]', [512, -4, 0.5, 9]],
    ['[min(i, 2) + max(i, 1) for i in range(4)]', [1, 2, 4, 5]],
    ['[abs(i) for i in range(-2, 1)]', [2, 1, 0]],
    [
      '[round(2.5), round(3.5), round(2.675, 2), int(-2.7), int(True), float(3), float("1.5")]',
      [2, 4, 2.67, -2, 1, 3, 1.5],
    ],
    ['[x + 1 for x in [10, 20]]', [11, 21]],
    ['max(range(5))', [4]],
    ['5', [5]],
    ["'only'", ['only']],
  ];
  for (const [text, expected] of cases)
    assert.deepEqual(evaluateDimension('C', text), expected, text);
});

test('numbers and booleans are one-value dimensions; lists are copied', () => {
  assert.deepEqual(evaluateDimension('A', 3), [3]);
  assert.deepEqual(evaluateDimension('A', false), [false]);
  const list = [1, 2];
  const values = evaluateDimension('A', list);
  values.push(3);
  assert.deepEqual(list, [1, 2]);
});

test('anything outside the grammar is refused naming the variable and the column, and nothing runs', () => {
  const cases: Array<[string, string]> = [
    ["__import__('os')", 'unknown function "__import__" at column 1'],
    ["__import__('os').system('touch /tmp/x')", 'unexpected character "." at column 17'],
    ['open("/etc/passwd")', 'unknown function "open" at column 1'],
    ['os.system(1)', 'unexpected character "." at column 3'],
    ['[x for i in range(3)]', 'name "x" is not defined at column 2'],
    ['None', 'name "None" is not defined at column 1'],
    ['lambda: 1', 'name "lambda" is not defined at column 1'],
    ['[i for i in range(3) if i]', 'unexpected "if" at column 22'],
    ['[i for i in range(2) for j in range(2)]', 'unexpected "for" at column 22'],
    ['range(0, 5, 0)', 'range() step must not be zero at column 1'],
    ['range(1.5)', 'range() takes integers, got 1.5 at column 1'],
    ['1:5:0', 'must not be zero at column 1'],
    ['1:2.5', 'takes integers, got 2.5 at column 1'],
    ['1:2:3:4', 'unexpected ":" at column 6'],
    ['[1 / 0]', 'division by zero at column 4'],
    ["['a' + 1]", '"+" needs numbers, got \'a\' at column 6'],
    ['[[1], 2]', 'item 1 is a list'],
    ['range(1, 2, 3, 4)', 'range() takes 1 to 3 arguments, got 4 at column 1'],
    ['[1, 2', 'unexpected end of expression at column 6'],
    ["'abc", 'unterminated string at column 1'],
    ['', 'empty expression at column 1'],
    ['1.2.3', 'malformed number "1.2." at column 1'],
    ['x = 1', 'unexpected character "=" at column 3'],
    ['['.repeat(100), 'nested more than 64 levels deep'],
  ];
  for (const [text, fragment] of cases) {
    assert.throws(
      () => evaluateDimension('VAR', text),
      (e: unknown) =>
        e instanceof CmError &&
        e.code === 'bad-input' &&
        e.message.startsWith('cannot evaluate exploration expression for VAR: ') &&
        e.message.includes(fragment),
      `${text}: expected ${fragment}`,
    );
  }
});

test(`a dimension over ${MAX_EXPLORE_VALUES} values is refused before it is built`, () => {
  assert.equal(evaluateDimension('N', `range(${MAX_EXPLORE_VALUES})`).length, MAX_EXPLORE_VALUES);
  assert.throws(
    () => evaluateDimension('N', `range(${MAX_EXPLORE_VALUES + 1})`),
    /1000001 values; at most 1000000/,
  );
  assert.throws(() => evaluateDimension('N', '0:1000000'), /1000001 values/);
  assert.throws(
    () => evaluateDimension('N', '[range(1000000) for i in range(1000000)]'),
    /creates over 2000000 values/,
  );
  assert.throws(() => evaluateDimension('N', 'range(10 ** 12)'), /1000000000000 values/);
});

test('lists with non-scalar items and values of other types are refused naming the variable', () => {
  const cases: Array<[unknown, RegExp]> = [
    [[1, { a: 1 }], /explore\.B: item 2 is an object/],
    [[1, null], /explore\.B: item 2 is null/],
    [[[1]], /explore\.B: item 1 is a list/],
    [[Number.NaN], /explore\.B: item 1 is the number NaN/],
    [null, /explore\.B is null/],
    [{ a: 1 }, /explore\.B is an object/],
    [Number.POSITIVE_INFINITY, /explore\.B is the number Infinity/],
  ];
  for (const [value, pattern] of cases) assert.throws(() => evaluateDimension('B', value), pattern);
});

test('values are written as Python str() writes them, whole numbers without ".0"', () => {
  const cases: Array<[ExploreValue, string]> = [
    [8, '8'],
    [-3, '-3'],
    [0, '0'],
    [-0, '0'],
    [2.5, '2.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e-4, '0.0001'],
    [1e-5, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [2 ** 70, '1180591620717411303424'],
    [1e21, '1000000000000000000000'],
    [true, 'True'],
    [false, 'False'],
    ['x y', 'x y'],
    ['', ''],
  ];
  for (const [v, expected] of cases) assert.equal(formatExploreValue(v), expected, String(v));
});

test('inline dimensions come after the file ones; a name in both keeps its place and takes the inline value', () => {
  const fromFile: Array<[string, unknown]> = [
    ['A', [1, 2]],
    ['B', 'range(2)'],
  ];
  assert.deepEqual(
    mergeDimensions(fromFile, [
      ['C', '[3]'],
      ['A', '["x"]'],
      ['C', '[4]'],
    ]),
    [
      ['A', '["x"]'],
      ['B', 'range(2)'],
      ['C', '[4]'],
    ],
  );
  assert.deepEqual(mergeDimensions([], []), []);
});

test('points follow odometer order, the last dimension varying fastest', () => {
  const dims: Array<[string, ExploreValue[]]> = [
    ['A', [1, 2, 3]],
    ['B', ['x', 'y']],
  ];
  const points = [...explorationPoints(dims)];
  assert.deepEqual(
    points.map((p) => `${p['A']}-${p['B']}`),
    ['1-x', '1-y', '2-x', '2-y', '3-x', '3-y'],
  );
  assert.equal(countPoints(dims), 6);
});

test('no dimensions give exactly one empty point; an empty dimension gives none', () => {
  assert.deepEqual([...explorationPoints([])], [{}]);
  assert.equal(countPoints([]), 1);
  const withEmpty: Array<[string, ExploreValue[]]> = [
    ['A', [1, 2]],
    ['B', []],
  ];
  assert.deepEqual([...explorationPoints(withEmpty)], []);
  assert.equal(countPoints(withEmpty), 0);
});

test('a dimension named __proto__ is a plain key of each point', () => {
  const [point] = [...explorationPoints([['__proto__', [1]]])];
  assert.ok(point && Object.hasOwn(point, '__proto__'));
  assert.equal(Object.getPrototypeOf(point), Object.prototype);
});
