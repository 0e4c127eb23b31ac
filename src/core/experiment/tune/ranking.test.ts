import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom } from './random.js';
import { crowdingDistances, layersOf, rankOrder } from './ranking.js';
import type { TuneObjective, Values } from './tuner.js';

const TIME_ACC: TuneObjective[] = [
  { key: 'time', goal: 'min' },
  { key: 'acc', goal: 'max' },
];

test('puts points in Pareto layers, equal points together and failed points in none', () => {
  // The spec's scenario (1,0.5),(2,0.7),(3,0.6),(2,0.7), with a failed point added.
  const values: Values[] = [[1, 0.5], [2, 0.7], [3, 0.6], undefined, [2, 0.7]];
  assert.deepEqual(layersOf(values, TIME_ACC), [1, 1, 2, 0, 1]);
});

test('gives the extremes of a layer infinite crowding and the others their normalised gap', () => {
  const values: Values[] = [
    [1, 0.1],
    [2, 0.5],
    [4, 0.6],
    [5, 1.1],
  ];
  const d = crowdingDistances(values, [0, 1, 2, 3], TIME_ACC);
  assert.equal(d.get(0), Infinity);
  assert.equal(d.get(3), Infinity);
  assert.ok(Math.abs(d.get(1)! - (3 / 4 + 0.5 / 1)) < 1e-12);
  assert.ok(Math.abs(d.get(2)! - (3 / 4 + 0.6 / 1)) < 1e-12);
});

test('with one objective ranks by value, ties by first seen, failed points last', () => {
  const min: TuneObjective[] = [{ key: 't', goal: 'min' }];
  const max: TuneObjective[] = [{ key: 't', goal: 'max' }];
  const values: Values[] = [[3], undefined, [1], [2], [1]];
  assert.deepEqual(rankOrder(values, min), [2, 4, 3, 0, 1]);
  assert.deepEqual(rankOrder(values, max), [0, 3, 2, 4, 1]);
});

test('ranks the ends of a layer before its crowded middle', () => {
  const values: Values[] = [
    [1, 0.1],
    [2.9, 0.5],
    [3, 0.51],
    [5, 1],
    [6, 0.2],
  ];
  const order = rankOrder(values, TIME_ACC);
  assert.deepEqual(order.slice(0, 2).sort(), [0, 3]);
  assert.equal(order[4], 4, 'the dominated point comes last');
});

test('orders layer by layer: no point comes after one that it dominates', () => {
  const random = createRandom(3);
  const values: Values[] = Array.from({ length: 200 }, (_, i) =>
    i % 17 === 0 ? undefined : [random.below(12), random.below(12)],
  );
  const order = rankOrder(values, TIME_ACC);
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    values.map((_, i) => i),
  );
  const position = new Map(order.map((i, k) => [i, k]));
  values.forEach((a, i) =>
    values.forEach((b, j) => {
      if (!a || !b) return;
      const dominates = a[0]! <= b[0]! && a[1]! >= b[1]! && (a[0]! < b[0]! || a[1]! > b[1]!);
      if (dominates) assert.ok(position.get(i)! < position.get(j)!, `${i} before ${j}`);
    }),
  );
  for (const [i, v] of values.entries()) if (!v) assert.ok(position.get(i)! >= 200 - 12);
});
