import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  floorDivide,
  inclusiveRange,
  modulo,
  power,
  pythonRange,
  pythonRound,
  trueDivide,
} from './python-arithmetic.js';

test('floor division and modulo follow Python: floor of the quotient, sign of the divisor', () => {
  const cases: Array<[number, number, number, number]> = [
    // a, b, a // b, a % b
    [7, 2, 3, 1],
    [-7, 2, -4, 1],
    [7, -2, -4, -1],
    [-7, -2, 3, -1],
    [6, 3, 2, 0],
    [7.5, 2, 3, 1.5],
    [-0.5, 1, -1, 0.5],
  ];
  for (const [a, b, q, r] of cases) {
    assert.equal(floorDivide(a, b), q, `${a} // ${b}`);
    assert.equal(modulo(a, b), r, `${a} % ${b}`);
  }
});

test('division by zero, 0 ** -1, overflow and complex powers are errors', () => {
  assert.throws(() => trueDivide(1, 0), /division by zero/);
  assert.throws(() => floorDivide(1, 0), /modulo by zero/);
  assert.throws(() => modulo(1, 0), /modulo by zero/);
  assert.throws(() => power(0, -1), /negative power/);
  assert.throws(() => power(-8, 1 / 3), /complex/);
  assert.throws(() => power(10, 400), /overflows/);
  assert.equal(trueDivide(7, 2), 3.5);
  assert.equal(power(2, -1), 0.5);
});

test('round() rounds half to even, like Python', () => {
  const cases: Array<[number, number | undefined, number]> = [
    [2.5, undefined, 2],
    [3.5, undefined, 4],
    [-2.5, undefined, -2],
    [2.4, undefined, 2],
    [0.125, 2, 0.12],
    [2.675, 2, 2.67], // 2.675 is 2.67499999… in binary, as in Python
    [1250, -2, 1200],
    [1350, -2, 1400],
    [1.005, 2, 1],
    [0.285, 2, 0.28],
    [-0.5, undefined, -0],
    [1.5, 500, 1.5],
    [123, -500, 0],
  ];
  for (const [x, d, expected] of cases)
    assert.equal(pythonRound(x, d), expected, `round(${x}, ${d})`);
});

test('range() has Python semantics: stop excluded, negative steps, empty when it cannot move', () => {
  const cases: Array<[[number, number, number?], number[]]> = [
    [
      [0, 5],
      [0, 1, 2, 3, 4],
    ],
    [
      [1, 5],
      [1, 2, 3, 4],
    ],
    [
      [0, 10, 3],
      [0, 3, 6, 9],
    ],
    [
      [10, 0, -3],
      [10, 7, 4, 1],
    ],
    [[5, 1], []],
    [[1, 5, -1], []],
    [
      [-3, 0],
      [-3, -2, -1],
    ],
  ];
  for (const [[a, b, s], expected] of cases)
    assert.deepEqual(pythonRange(a, b, s), expected, `range(${a}, ${b}, ${s})`);
  assert.throws(() => pythonRange(0, 5, 0), /step must not be zero/);
  assert.throws(() => pythonRange(0, 2.5), /takes integers, got 2.5/);
});

test('start:stop:step includes stop, like MLCFlow, and takes negative steps', () => {
  const cases: Array<[[number, number, number?], number[]]> = [
    [
      [1, 9, 4],
      [1, 5, 9],
    ],
    [
      [1, 10, 4],
      [1, 5, 9],
    ],
    [
      [1, 3],
      [1, 2, 3],
    ],
    [
      [9, 1, -4],
      [9, 5, 1],
    ],
    [[3, 3], [3]],
    [[5, 1], []],
  ];
  for (const [[a, b, s], expected] of cases)
    assert.deepEqual(inclusiveRange(a, b, s), expected, `${a}:${b}:${s}`);
  assert.throws(() => inclusiveRange(1, 5, 0), /must not be zero/);
  assert.throws(() => inclusiveRange(0.5, 5), /takes integers/);
});
