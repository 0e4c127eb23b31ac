import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DistinctNumbers } from './distinct-numbers.js';

test('distinct numbers count like a Set: 0 equals -0 and NaN equals NaN', () => {
  const values = [1, 1, 0, -0, NaN, NaN, Infinity, -Infinity, 1e-300, 2 ** 53, 0.1 + 0.2, 0.3];
  const set = new DistinctNumbers();
  const isNew = values.map((v) => set.add(v));
  assert.deepEqual(isNew, [
    true,
    false,
    true,
    false,
    true,
    false,
    true,
    true,
    true,
    true,
    true,
    true,
  ]);
  assert.equal(set.size, new Set(values).size);
});

test('distinct numbers stay exact over many values', () => {
  const numbers = new DistinctNumbers();
  const reference = new Set<number>();
  let seed = 7;
  for (let i = 0; i < 20_000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const v = seed % 5000 === 0 ? seed : (seed % 7000) / 7;
    reference.add(v);
    numbers.add(v);
  }
  assert.equal(numbers.size, reference.size);
});
