import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../../errors.js';
import { createTuner, DEFAULT_BUDGET, type TunerOptions } from './create-tuner.js';
import { indexOf, keyOf, parseSearchSpace, size, type Point } from './search-space.js';
import type { TuneObjective, Tuner, TuneStrategy } from './tuner.js';

const SPACE = parseSearchSpace(
  {
    OPT: ['-O1', '-O2', '-O3'],
    UNROLL: { flag: '-funroll-loops' },
    N: { range: [1, 12] },
    M: { range: [0, 30], step: 5 },
  },
  'test: space',
);
const TOTAL = size(SPACE); // 3 * 2 * 12 * 7 = 504
const TIME: TuneObjective[] = [{ key: 'time', goal: 'min' }];
const STRATEGIES: TuneStrategy[] = ['exhaustive', 'random', 'evolution'];

/** A smooth objective with its minimum at OPT=-O3, UNROLL on, N=9, M=20. */
const cost = (p: Point): number[] => {
  const [opt, unroll, n, m] = p.coords as [number, number, number, number];
  return [10 - opt * 2 + unroll + (n - 8) ** 2 + (m - 4) ** 2 / 2];
};

/** Runs a tuner to the end one point at a time; the proposed points in order. */
function drive(tuner: Tuner, f = cost): Point[] {
  const seen: Point[] = [];
  while (!tuner.done) {
    const points = tuner.next(1);
    assert.equal(points.length, 1, 'a tuner with nothing outstanding proposes or is done');
    for (const p of points) {
      seen.push(p);
      tuner.tell(p, f(p));
    }
  }
  return seen;
}

const make = (options: Partial<TunerOptions>): Tuner =>
  createTuner({ space: SPACE, strategy: 'evolution', objectives: TIME, ...options });

test('exhaustive proposes every point once, in odometer order', () => {
  const points = drive(make({ strategy: 'exhaustive' }));
  assert.deepEqual(
    points.map((p) => indexOf(SPACE, p)),
    Array.from({ length: TOTAL }, (_, i) => i),
  );
});

test('random proposes distinct points, the whole space when the budget covers it', () => {
  const points = drive(make({ strategy: 'random', budget: TOTAL + 10, seed: 3 }));
  assert.equal(points.length, TOTAL);
  assert.equal(new Set(points.map(keyOf)).size, TOTAL);
  assert.notDeepEqual(
    points.slice(0, 20).map((p) => indexOf(SPACE, p)),
    Array.from({ length: 20 }, (_, i) => i),
  );
});

for (const strategy of STRATEGIES)
  test(`${strategy} stops at the budget and never proposes a point twice`, () => {
    const tuner = make({ strategy, budget: 37, seed: 5 });
    const points = drive(tuner);
    assert.equal(points.length, 37);
    assert.equal(tuner.evaluations, 37);
    assert.equal(tuner.budget, 37);
    assert.equal(new Set(points.map(keyOf)).size, 37);
    assert.deepEqual(tuner.next(5), []);
  });

test('evolution can be run until the space is exhausted, never repeating a point', () => {
  const points = drive(make({ budget: TOTAL, seed: 2 }));
  assert.equal(new Set(points.map(keyOf)).size, TOTAL);
});

test('without a budget, exhaustive covers the space and the others stop at the default', () => {
  assert.equal(make({ strategy: 'exhaustive' }).budget, TOTAL);
  assert.equal(make({ strategy: 'random' }).budget, DEFAULT_BUDGET);
  assert.equal(make({ strategy: 'evolution' }).budget, DEFAULT_BUDGET);
  const tiny = parseSearchSpace({ A: [1, 2, 3] }, 'test: space');
  assert.equal(createTuner({ space: tiny, strategy: 'evolution', objectives: TIME }).budget, 3);
});

for (const strategy of ['random', 'evolution'] as const)
  test(`${strategy} proposes the same points for the same seed and others for another seed`, () => {
    const run = (seed: number): string[] => drive(make({ strategy, budget: 60, seed })).map(keyOf);
    assert.deepEqual(run(11), run(11));
    assert.notDeepEqual(run(11), run(12));
  });

test('evolution with several points outstanding waits for a generation, then breeds from it', () => {
  const tuner = make({ budget: 60, seed: 4 });
  const all: Point[] = [];
  const outstanding: Point[] = [];
  let waits = 0;
  while (!tuner.done) {
    const points = tuner.next(3);
    all.push(...points);
    outstanding.push(...points);
    if (points.length === 0) {
      assert.ok(outstanding.length > 0, 'an empty answer with nothing outstanding means done');
      waits++;
    }
    // Tell the older half, newest first, so results come back out of order.
    for (const p of outstanding.splice(0, Math.ceil(outstanding.length / 2)).reverse())
      tuner.tell(p, cost(p));
  }
  assert.equal(all.length, 60);
  assert.equal(new Set(all.map(keyOf)).size, 60);
  assert.ok(waits > 0, 'a generation boundary makes the runner wait');
  assert.equal(tuner.evaluations, 60);
});

test('random hands out up to max points at once and takes results in any order', () => {
  const tuner = make({ strategy: 'random', budget: 10, seed: 1 });
  const first = tuner.next(4);
  const second = tuner.next(4);
  assert.equal(first.length + second.length, 8);
  for (const p of [...second, ...first]) tuner.tell(p, cost(p));
  assert.equal(tuner.done, false);
  const rest = tuner.next(100);
  assert.equal(rest.length, 2);
  assert.equal(tuner.done, false, 'not done while results are outstanding');
  for (const p of rest) tuner.tell(p, undefined);
  assert.equal(tuner.done, true);
});

test('evolution ranks failed points below all others and still converges', () => {
  // Everything with N above 6 (index 5) fails; the best point that runs has N=6 and the rest
  // optimal: 10 - 2·2 (OPT=-O3) + 0 (UNROLL on) + (5-8)² + 0 (M=20).
  const f = (p: Point): number[] | undefined => (p.coords[2]! > 5 ? undefined : cost(p));
  const tuner = make({ budget: 200, seed: 8 });
  const points = drive(tuner, f as typeof cost);
  const values = points.map(f).filter((v) => v !== undefined);
  const best = Math.min(...values.map((v) => v[0]!));
  assert.equal(best, 10 - 4 + 0 + 9 + 0);
});

test('tells about points it did not propose, or twice, or with the wrong count, are bugs', () => {
  const tuner = make({ budget: 5, seed: 1 });
  const [p] = tuner.next(1);
  assert.throws(() => tuner.tell(p!, [1, 2]), /2 values for 1 objectives/);
  tuner.tell(p!, [1]);
  assert.throws(() => tuner.tell(p!, [1]), /told twice/);
  const other = make({ strategy: 'exhaustive' }).next(1)[0]!;
  if (keyOf(other) !== keyOf(p!)) assert.throws(() => tuner.tell(other, [1]), /never proposed/);
  assert.throws(() => tuner.next(-1), /max must be >= 0/);
});

const BAD: Array<[string, Partial<TunerOptions>, RegExp, RegExp]> = [
  [
    'an unknown strategy',
    { strategy: 'evolutoin' as TuneStrategy },
    /--strategy must be/,
    /--strategy=evolution/,
  ],
  [
    'a zero budget',
    { budget: 0 },
    /--budget must be a whole number >= 1 \(found 0\)/,
    /--budget=50/,
  ],
  ['a fractional budget', { budget: 2.5 }, /--budget must be/, /--budget/],
  ['a fractional seed', { seed: 0.5 }, /--seed must be a whole number/, /--seed=1/],
  ['evolution without objectives', { objectives: [] }, /--objectives is needed/, /time:min/],
  ['an objective given twice', { objectives: [...TIME, ...TIME] }, /"time" twice/, /once/],
];

for (const [what, options, message, hint] of BAD)
  test(`refuses ${what} with a bad-input error and a hint`, () => {
    assert.throws(
      () => make(options),
      (e: unknown) => {
        assert.ok(e instanceof CmError);
        assert.equal(e.code, 'bad-input');
        assert.match(e.message, message);
        assert.match(e.hint ?? '', hint);
        return true;
      },
    );
  });

test('exhaustive and random run without objectives, told no values', () => {
  for (const strategy of ['exhaustive', 'random'] as const) {
    const tuner = createTuner({ space: SPACE, strategy, budget: 3, objectives: [] });
    const points = drive(tuner, () => []);
    assert.equal(points.length, 3);
  }
});
