import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TuneObjective } from './objectives.js';
import {
  crowdingDistances,
  dominates,
  nonDominatedFronts,
  paretoFront,
  rankOrder,
  weaklyDominates,
  type Values,
} from './pareto.js';
import { createRandom } from './random.js';

const TIME_ACC: TuneObjective[] = [
  { key: 'time', goal: 'min' },
  { key: 'acc', goal: 'max' },
];

const DOMINANCE: Array<[number[], number[], boolean, boolean]> = [
  [[1, 0.7], [2, 0.7], true, true],
  [[1, 0.7], [1, 0.6], true, true],
  [[1, 0.7], [1, 0.7], false, true],
  [[1, 0.5], [2, 0.7], false, false],
  [[3, 0.6], [2, 0.7], false, false],
];

for (const [a, b, strict, weak] of DOMINANCE)
  test(`${JSON.stringify(a)} against ${JSON.stringify(b)} (time:min, acc:max): dominates ${strict}, weakly ${weak}`, () => {
    assert.equal(dominates(a, b, TIME_ACC), strict);
    assert.equal(weaklyDominates(a, b, TIME_ACC), weak);
  });

test('sorts points into fronts, keeping equal points together and failed points last', () => {
  // The spec's scenario (1,0.5),(2,0.7),(3,0.6),(2,0.7), with a failed point added.
  const values: Values[] = [[1, 0.5], [2, 0.7], [3, 0.6], undefined, [2, 0.7]];
  assert.deepEqual(nonDominatedFronts(values, TIME_ACC), [[0, 1, 4], [2], [3]]);
  assert.deepEqual(paretoFront(values, TIME_ACC), [0, 1, 4]);
  assert.deepEqual(paretoFront([undefined], TIME_ACC), []);
});

test('gives the extremes of a front infinite crowding and the others their normalised gap', () => {
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

test('ranks a less crowded point of the same front first', () => {
  const values: Values[] = [
    [1, 0.1],
    [2.9, 0.5],
    [3, 0.51],
    [5, 1],
  ];
  const order = rankOrder(values, TIME_ACC);
  assert.deepEqual(order.slice(0, 2).sort(), [0, 3]);
  assert.equal(order.length, 4);
});

test('the Pareto front is the first of the non-dominated fronts, on many random points', () => {
  const random = createRandom(3);
  const objectives: TuneObjective[] = [...TIME_ACC, { key: 'size', goal: 'min' }];
  for (const dims of [1, 2, 3]) {
    const values: Values[] = Array.from({ length: 300 }, (_, i) =>
      i % 17 === 0 ? undefined : Array.from({ length: dims }, () => random.below(12)),
    );
    const used = objectives.slice(0, dims);
    assert.deepEqual(paretoFront(values, used), nonDominatedFronts(values, used)[0]);
  }
});
