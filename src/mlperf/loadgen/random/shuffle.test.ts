import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mt19937 } from './mt19937.js';
import { shuffle } from './shuffle.js';

const QSL_SEED = 2085463073848966840n;

function range(length: number): number[] {
  return Array.from({ length }, (_, i) => i);
}

test('shuffle(0..9) with the v6.1 qsl seed is 1 5 7 6 0 8 3 2 9 4 (two-at-a-time path)', () => {
  assert.deepEqual(shuffle(range(10), new Mt19937(QSL_SEED)), [1, 5, 7, 6, 0, 8, 3, 2, 9, 4]);
});

test('a 100 000-element list takes the Fisher-Yates path with the golden prefix', () => {
  const shuffled = shuffle(range(100_000), new Mt19937(QSL_SEED));
  assert.deepEqual(shuffled.slice(0, 8), [3434, 25598, 53455, 80666, 91728, 83041, 64811, 73110]);
});

test('shuffles are permutations for odd, even, empty and single-element lists', () => {
  for (const length of [0, 1, 2, 3, 10, 11, 1024, 65_535, 65_536]) {
    const shuffled = shuffle(range(length), new Mt19937(7n));
    assert.deepEqual(
      [...shuffled].sort((x, y) => x - y),
      range(length),
      `length ${length}`,
    );
  }
});

test('an empty or single-element list consumes no draws', () => {
  const rng = new Mt19937(5n);
  shuffle([], rng);
  shuffle([42], rng);
  assert.equal(rng.next(), new Mt19937(5n).next());
});
