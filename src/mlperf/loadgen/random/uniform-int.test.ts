import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mt19937 } from './mt19937.js';
import { uniformInt } from './uniform-int.js';

const SAMPLE_SEED = 2747215439041700203n;

/** Lemire's method written with BigInt, as a reference for the 32x32-bit split arithmetic. */
function referenceDraw(words: () => number, n: bigint): bigint {
  let product = BigInt(words()) * n;
  let low = product & 0xffffffffn;
  if (low < n) {
    const threshold = (2n ** 32n - n) % n;
    while (low < threshold) {
      product = BigInt(words()) * n;
      low = product & 0xffffffffn;
    }
  }
  return product >> 32n;
}

test('int[0,1023] from the v6.1 sample-index seed starts 818 976 516 292 672 710 120 666', () => {
  const rng = new Mt19937(SAMPLE_SEED);
  const draws = Array.from({ length: 8 }, () => uniformInt(rng, 0, 1023));
  assert.deepEqual(draws, [818, 976, 516, 292, 672, 710, 120, 666]);
});

test('draws match a BigInt Lemire reference over ranges small and near 2^32', () => {
  const ranges = [1, 2, 3, 7, 1000, 65_535 * 65_536 - 1, 2 ** 31 + 1, 2 ** 32 - 2, 4_000_000_000];
  for (const n of ranges) {
    const ours = new Mt19937(BigInt(n));
    const theirs = new Mt19937(BigInt(n));
    for (let i = 0; i < 2000; i++) {
      assert.equal(
        BigInt(uniformInt(ours, 0, n - 1)),
        referenceDraw(() => theirs.next(), BigInt(n)),
        `n=${n} i=${i}`,
      );
    }
  }
});

test('the full engine range returns the engine word offset by a', () => {
  const ours = new Mt19937(9n);
  const raw = new Mt19937(9n);
  for (let i = 0; i < 10; i++) assert.equal(uniformInt(ours, 5, 5 + 0xffffffff), 5 + raw.next());
});

test('ranges wider than the engine stay in bounds and use the upscaling path', () => {
  const rng = new Mt19937(3n);
  const top = 2 ** 40;
  for (let i = 0; i < 1000; i++) {
    const x = uniformInt(rng, 0, top);
    assert.ok(x >= 0 && x <= top && Number.isInteger(x));
  }
});

test('bad ranges are rejected as bugs', () => {
  assert.throws(() => uniformInt(new Mt19937(), 3, 2));
  assert.throws(() => uniformInt(new Mt19937(), 0.5, 2));
});
