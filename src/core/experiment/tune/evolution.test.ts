// The acceptance tests of the evolution strategy on a deterministic synthetic "compiler flags"
// landscape: one objective against the exhaustive optimum, two against the true Pareto front.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createTuner } from './create-tuner.js';
import { paretoFront } from '../pareto.js';
import {
  dimensionSize,
  indexOf,
  keyOf,
  parseSearchSpace,
  pointOf,
  size,
  type Point,
} from './search-space.js';
import type { TuneObjective, Tuner, TuneStrategy } from './tuner.js';

const SPACE = parseSearchSpace(
  {
    OPT: ['-O0', '-O1', '-O2', '-O3', '-Os'],
    UNROLL: { flag: '-funroll-loops' },
    VECT: { flag: '-ftree-vectorize' },
    MARCH: { flag: '-march=native' },
    BLOCK: { range: [4, 64], step: 4 },
    THREADS: { range: [1, 8] },
    SCHED: ['static', 'dynamic', 'guided'],
  },
  'synthetic: space',
);
const TOTAL = size(SPACE);
const LEVEL: Record<string, number> = { '-O0': 0, '-O1': 1, '-O2': 2, '-O3': 3, '-Os': 1.5 };
const SPEED: Record<string, number> = {
  '-O0': 1,
  '-O1': 0.56,
  '-O2': 0.44,
  '-O3': 0.41,
  '-Os': 0.5,
};
const BYTES: Record<string, number> = {
  '-O0': 1,
  '-O1': 0.8,
  '-O2': 0.85,
  '-O3': 1.05,
  '-Os': 0.7,
};

const isVectorised = (v: Point['values']): boolean =>
  (v.VECT !== '' || v.OPT === '-O3') && LEVEL[String(v.OPT)]! >= 2;

/**
 * Run time: flags interact (unrolling hurts at -O0, vectorising needs -O2 and pays most with
 * -march=native, which also moves the best BLOCK), BLOCK has aliasing bumps at multiples of 32 and
 * ripples (local optima), and THREADS trades Amdahl's law against overhead and load imbalance that
 * depends on BLOCK and SCHED.
 */
function time(v: Point['values']): number {
  const level = LEVEL[String(v.OPT)]!;
  const [unroll, march, vect] = [v.UNROLL !== '', v.MARCH !== '', isVectorised(v)];
  const [block, threads] = [Number(v.BLOCK), Number(v.THREADS)];
  const unrollF = unroll ? (level >= 2 ? 0.9 : level === 0 ? 1.06 : 0.98) : 1;
  const vectF = vect ? (march ? 0.62 : 0.8) : 1;
  const best = (march && vect ? 48 : 24) + (unroll ? 8 : 0);
  const cacheF = 1 + 0.35 * Math.log2(block / best) ** 2 + (block % 32 === 0 ? 0.12 : 0);
  const rippleF = 1 + 0.02 * ((block / 4) % 3);
  const tiles = Math.ceil(256 / block);
  const even = (Math.ceil(tiles / threads) * threads) / tiles;
  const imbalance =
    v.SCHED === 'static'
      ? even
      : v.SCHED === 'dynamic'
        ? 1 + 0.004 * tiles
        : 1 + 0.5 * (even - 1) + 0.002 * tiles;
  const parallel = 0.08 + (0.92 / threads) * imbalance + 0.01 * threads;
  const marchF = march ? 0.97 : 1;
  return 10 * SPEED[String(v.OPT)]! * unrollF * vectF * marchF * cacheF * rippleF * parallel;
}

/** Binary size: optimising for speed, unrolling (more with larger blocks) and vectors cost bytes. */
function bytes(v: Point['values']): number {
  let s = 20000 * BYTES[String(v.OPT)]!;
  if (v.UNROLL !== '') s *= 1.15 + Number(v.BLOCK) / 256;
  if (isVectorised(v)) s *= 1.08;
  if (v.MARCH !== '') s *= 1.03;
  s += 8 * Number(v.BLOCK) + (Number(v.THREADS) > 1 ? (v.SCHED === 'dynamic' ? 1000 : 500) : 0);
  return Math.round(s);
}

const TIME: TuneObjective[] = [{ key: 'time', goal: 'min' }];
const TIME_SIZE: TuneObjective[] = [...TIME, { key: 'size', goal: 'min' }];

interface Trial {
  point: Point;
  values: number[];
}

/** Runs `tuner` one point at a time until it is done or `stop` says so. */
function drive(tuner: Tuner, f: (p: Point) => number[], stop = (_: Trial) => false): Trial[] {
  const trials: Trial[] = [];
  while (!tuner.done) {
    const [point] = tuner.next(1);
    assert.ok(point, 'a tuner with nothing outstanding proposes or is done');
    const trial = { point, values: f(point) };
    trials.push(trial);
    tuner.tell(point, trial.values);
    if (stop(trial)) break;
  }
  return trials;
}

const timeOf = (p: Point): number[] => [time(p.values)];
const timeAndSize = (p: Point): number[] => [time(p.values), bytes(p.values)];
const tune = (strategy: TuneStrategy, budget: number, seed: number, objectives = TIME): Tuner =>
  createTuner({ space: SPACE, strategy, budget, seed, objectives });

/** Every point's time, by odometer index, through the exhaustive tuner. */
const ALL = drive(tune('exhaustive', TOTAL, 0), timeOf);
const OPTIMUM = Math.min(...ALL.map((t) => t.values[0]!));
const isNearOptimum = (t: Trial): boolean => t.values[0]! <= OPTIMUM * 1.02;

test('the synthetic landscape is large, has several local optima and few near-optimal points', () => {
  assert.ok(TOTAL >= 2000);
  assert.equal(ALL.length, TOTAL);
  const at = (coords: number[]): number => ALL[indexOf(SPACE, pointOf(SPACE, coords))]!.values[0]!;
  const sizes = SPACE.dimensions.map(dimensionSize);
  // A local optimum: no change of a single dimension makes it faster.
  const optima = ALL.filter(({ point, values }) =>
    sizes.every((n, d) =>
      Array.from({ length: n }, (_, i) => i).every((i) => {
        const coords = [...point.coords];
        coords[d] = i;
        return at(coords) >= values[0]!;
      }),
    ),
  );
  assert.ok(optima.length >= 3, `${optima.length} local optima`);
  assert.ok(ALL.filter(isNearOptimum).length <= 10);
});

test('evolution with a fixed seed finds a point within 2% of the exhaustive optimum using at most 40% of the evaluations', (t: TestContext) => {
  const budget = Math.floor(0.4 * TOTAL);
  const tuner = tune('evolution', budget, 1);
  const trials = drive(tuner, timeOf);
  const best = Math.min(...trials.map((x) => x.values[0]!));
  assert.ok(tuner.evaluations <= 0.4 * TOTAL);
  assert.ok(best <= OPTIMUM * 1.02, `best ${best} against optimum ${OPTIMUM}`);
  const first = trials.findIndex(isNearOptimum) + 1;
  t.diagnostic(`space ${TOTAL}, within 2% after ${first} evaluations (budget ${budget})`);
  assert.deepEqual(
    drive(tune('evolution', budget, 1), timeOf).map((x) => keyOf(x.point)),
    trials.map((x) => keyOf(x.point)),
    'the same seed proposes the same points every time',
  );
});

test('over ten seeds evolution always gets within 2% inside 40% of the space, and sooner than random search', (t: TestContext) => {
  const budget = Math.floor(0.4 * TOTAL);
  const firstHit = (strategy: TuneStrategy, seed: number): number => {
    const trials = drive(tune(strategy, budget, seed), timeOf, isNearOptimum);
    return trials.some(isNearOptimum) ? trials.length : Infinity;
  };
  const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
  const evolution = seeds.map((s) => firstHit('evolution', s));
  const random = seeds.map((s) => firstHit('random', s));
  t.diagnostic(`evaluations to 2%: evolution ${evolution.join(' ')}; random ${random.join(' ')}`);
  assert.ok(evolution.every((n) => n <= budget));
  assert.ok(median(evolution) < median(random));
});

test('with two objectives evolution finds most of the true Pareto front with a tenth of the space', (t: TestContext) => {
  const all = drive(tune('exhaustive', TOTAL, 0, TIME_SIZE), timeAndSize);
  const front = frontOf(all);
  const budget = Math.floor(0.1 * TOTAL);
  const found = (strategy: TuneStrategy): number[][] =>
    frontOf(drive(tune(strategy, budget, 1, TIME_SIZE), timeAndSize));
  const evolution = compareFronts(found('evolution'), front);
  const random = compareFronts(found('random'), front);
  t.diagnostic(`true front ${front.length} points; budget ${budget}`);
  t.diagnostic(`evolution: ${JSON.stringify(evolution)}`);
  t.diagnostic(`random:    ${JSON.stringify(random)}`);
  assert.ok(evolution.exact >= 0.6, 'at least 60% of the true front found exactly');
  assert.ok(evolution.distance < 0.01, 'every true front point has a found point close to it');
  assert.ok(evolution.exact > random.exact && evolution.distance < random.distance);
});

/** The values of the trials on the Pareto front of time and size (the experiment's own front). */
function frontOf(trials: readonly Trial[]): number[][] {
  const rows = trials.map((x) => ({ time: x.values[0], size: x.values[1] }));
  const { onFrontier } = paretoFront(rows, TIME_SIZE);
  return trials.filter((_, i) => onFrontier[i]).map((x) => x.values);
}

/**
 * How close `found` is to `front` (both minimised), in the front's ranges: the share of front
 * points found exactly, and the mean distance from a front point to the nearest found point.
 */
function compareFronts(found: number[][], front: number[][]): { exact: number; distance: number } {
  const lo = [0, 1].map((k) => Math.min(...front.map((p) => p[k]!)));
  const hi = [0, 1].map((k) => Math.max(...front.map((p) => p[k]!)));
  const scaled = (p: number[]): number[] => p.map((x, k) => (x - lo[k]!) / (hi[k]! - lo[k]!));
  const gap = (p: number[]): number =>
    Math.min(...found.map((q) => Math.hypot(...scaled(p).map((x, k) => x - scaled(q)[k]!))));
  const exact = front.filter((p) => found.some((q) => q[0] === p[0] && q[1] === p[1])).length;
  const distance = front.reduce((sum, p) => sum + gap(p), 0) / front.length;
  return { exact: round(exact / front.length), distance: round(distance) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
}

const round = (x: number): number => Math.round(x * 10000) / 10000;
