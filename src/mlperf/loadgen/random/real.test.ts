import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mt19937 } from './mt19937.js';
import { exponential, generateCanonical, secondsToNs, uniformReal } from './real.js';

test('U[0,1) from MT(720381539243781796) is the libstdc++ sequence', () => {
  const rng = new Mt19937(720381539243781796n);
  const draws = Array.from({ length: 3 }, () => uniformReal(rng, 0, 1));
  assert.deepEqual(draws, [0.49069568815352677, 0.5876462688689615, 0.5065901841758983]);
});

test('Exponential(100/s) from the v6.1 schedule seed, truncated to ns, is the golden gap list', () => {
  const rng = new Mt19937(16159082839903944936n);
  const gaps = Array.from({ length: 5 }, () => secondsToNs(exponential(rng, 100)));
  assert.deepEqual(gaps, [18436540n, 4579236n, 12858623n, 7129947n, 3864066n]);
});

test('generate_canonical consumes two engine words per double', () => {
  const a = new Mt19937(11n);
  const b = new Mt19937(11n);
  generateCanonical(a);
  b.next();
  b.next();
  assert.equal(a.next(), b.next());
});

test('secondsToNs truncates toward zero', () => {
  const table: Array<[number, bigint]> = [
    [0.002, 2_000_000n],
    [1 / 3, 333_333_333n],
    [0.0000000019, 1n],
  ];
  for (const [seconds, ns] of table) assert.equal(secondsToNs(seconds), ns);
});
