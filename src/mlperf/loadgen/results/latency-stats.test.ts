import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeLatencyStats, percentileIndex, REPORTED_PERCENTILES } from './latency-stats.js';

/** 1..1000 in a fixed scrambled order (multiplication by a unit modulo 1000). */
const scrambled = Array.from({ length: 1000 }, (_, i) => BigInt(((i * 617) % 1000) + 1));

test('percentiles of 1..1000 ns in random order are taken at index floor(n·p) (§7 scenario 31)', () => {
  const stats = computeLatencyStats(scrambled, 0.9);
  assert.deepEqual(
    stats.percentiles.map((entry) => [entry.percentile, entry.latencyNs]),
    [
      [0.5, 501n],
      [0.9, 901n],
      [0.95, 951n],
      [0.97, 971n],
      [0.99, 991n],
      [0.999, 1000n],
    ],
  );
  assert.equal(stats.targetNs, 901n);
  assert.equal(stats.minNs, 1n);
  assert.equal(stats.maxNs, 1000n);
});

test('the mean is the int64 sum divided by the count, truncated', () => {
  assert.equal(computeLatencyStats(scrambled, 0.9).meanNs, 500n);
  assert.equal(computeLatencyStats([1n, 2n], 0.9).meanNs, 1n);
});

test('the percentile index multiplies in float64 before flooring', () => {
  const cases: ReadonlyArray<readonly [number, number, number]> = [
    [997, 0.9, 897],
    [1000, 0.999, 999],
    [662, 0.99, 655],
    [20, 0.9, 18],
  ];
  for (const [count, percentile, index] of cases) {
    assert.equal(percentileIndex(count, percentile), index, `${count}·${percentile}`);
  }
});

test('an empty list gives zero statistics instead of failing', () => {
  const stats = computeLatencyStats([], 0.99);
  assert.equal(stats.count, 0);
  assert.equal(stats.meanNs, 0n);
  assert.equal(stats.percentiles.length, REPORTED_PERCENTILES.length);
});

test('a fixed latency is every statistic (§7 scenario 20)', () => {
  const stats = computeLatencyStats(
    Array.from({ length: 700 }, () => 1_234_567n),
    0.9,
  );
  assert.deepEqual(
    new Set([
      stats.minNs,
      stats.maxNs,
      stats.meanNs,
      stats.targetNs,
      ...stats.percentiles.map((p) => p.latencyNs),
    ]),
    new Set([1_234_567n]),
  );
});
