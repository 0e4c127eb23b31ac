import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ckFrontier } from './ck-frontier.js';
import { parseCkMargins } from './objectives.js';

test('scenario 40: a 1.10 margin on time keeps P unless Q is at least 10 % faster', () => {
  const { keys, maximise, margins } = parseCkMargins('time:min:1.10,acc:max');
  const p = { time: 1.05, acc: 0.7 };
  assert.deepEqual(ckFrontier([p, { time: 1.0, acc: 0.7 }], keys, maximise, margins), {
    kept: [0, 1],
    deleted: [],
  });
  assert.deepEqual(ckFrontier([p, { time: 0.9, acc: 0.7 }], keys, maximise, margins), {
    kept: [1],
    deleted: [0],
  });
});

test('with margin 1 it is weak dominance and only the last of duplicates survives', () => {
  const points = [
    { t: 2, a: 5 },
    { t: 1, a: 5 },
    { t: 1, a: 5 },
    { t: 3, a: 9 },
    { t: 4, a: 1 },
  ];
  assert.deepEqual(ckFrontier(points, ['t', 'a'], [false, true], []), {
    kept: [2, 3],
    deleted: [0, 1, 4],
  });
});

test('a missing or empty value does not count against dominance', () => {
  const points = [{ t: 2, a: 5 }, { t: 1 }, { t: 3, a: '' }];
  // Point 0 is beaten by point 1 on t (a is not compared); point 2 too.
  assert.deepEqual(ckFrontier(points, ['t', 'a'], [false, true], [1, 1]), {
    kept: [1],
    deleted: [0, 2],
  });
  // A point with no comparable key is beaten by any surviving point, as in CK.
  assert.deepEqual(ckFrontier([{ x: 1 }, { t: 5 }], ['t'], [false], [1]), {
    kept: [1],
    deleted: [0],
  });
});

test('a zero value of Q is replaced by P/10, and P = 0 is never beaten when minimising', () => {
  // P t=1, Q t=0 → Q counts as 0.1: P/Q = 10 ≥ 1, Q is better.
  assert.deepEqual(ckFrontier([{ t: 1 }, { t: 0 }], ['t'], [false], [1]).deleted, [0]);
  // P t=0: "P == 0" means Q is not better; Q t=0 → P/10 = 0 → 0.01 does not matter.
  assert.deepEqual(ckFrontier([{ t: 0 }, { t: 0 }], ['t'], [false], [1]).kept, [0, 1]);
  // Maximising: P=0, Q=0 → Q becomes 0.01, P/Q = 0 ≤ 1, so Q is at least as good.
  assert.deepEqual(ckFrontier([{ a: 0 }, { a: 0 }], ['a'], [true], [1]), {
    kept: [1],
    deleted: [0],
  });
});

test('numeric strings compare as numbers and an empty key list uses every key of P', () => {
  const points = [
    { t: '2', s: '10' },
    { t: '1', s: '10' },
  ];
  assert.deepEqual(ckFrontier(points, [], [], []), { kept: [1], deleted: [0] });
});

test('a single point is always kept', () => {
  assert.deepEqual(ckFrontier([{}], ['t'], [false], [1]), { kept: [0], deleted: [] });
  assert.deepEqual(ckFrontier([], ['t'], [false], [1]), { kept: [], deleted: [] });
});
