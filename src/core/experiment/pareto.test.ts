import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paretoFront } from './pareto.js';
import { parseObjectives, type Objective } from './objectives.js';
import { CmError } from '../errors.js';

type Row = Record<string, unknown>;

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The definition of dominance, written out plainly. */
function dominance(objectives: Objective[], tolerance = 0): (q: Row, p: Row) => boolean {
  const value = (r: Row, o: Objective): number => {
    const v = Number(r[o.key]);
    return o.goal === 'max' ? -v : v;
  };
  return (q, p) => {
    let isStrict = false;
    for (const o of objectives) {
      const qv = value(q, o);
      const pv = value(p, o);
      if (qv > pv) return false;
      if (pv - qv > (o.tolerance ?? tolerance) * Math.abs(pv)) isStrict = true;
    }
    return isStrict;
  };
}

/** Non-dominated sorting by peeling layers, pair by pair: O(n²) per layer. */
function naive(rows: Row[], objectives: Objective[], tolerance = 0): number[] {
  const dominates = dominance(objectives, tolerance);
  const rank = rows.map(() => 0);
  let left = rows.map((_, i) => i);
  for (let layer = 1; left.length > 0; layer++) {
    const front = left.filter((p) => !left.some((q) => q !== p && dominates(rows[q]!, rows[p]!)));
    for (const p of front) rank[p] = layer;
    left = left.filter((p) => rank[p] === 0);
  }
  return rank;
}

function randomRows(n: number, keys: string[], next: () => number, grid?: number): Row[] {
  return Array.from({ length: n }, () =>
    Object.fromEntries(
      keys.map((k) => [k, grid ? Math.floor(next() * grid) : next()] as [string, number]),
    ),
  );
}

test('scenario 39: ties are kept on the frontier, a dominated row is not, a row missing acc is excluded', () => {
  const rows = [
    { time: 1, acc: 0.5 },
    { time: 2, acc: 0.7 },
    { time: 3, acc: 0.6 },
    { time: 2, acc: 0.7 },
    { time: 0.5 },
  ];
  const r = paretoFront(rows, parseObjectives('time:min,acc:max'));
  assert.deepEqual(r.onFrontier, [true, true, false, true, false]);
  assert.deepEqual(r.tie, [false, true, false, true, false]);
  assert.deepEqual(r.rank, [1, 1, 2, 1, 0]);
  assert.deepEqual(r.excluded, [4]);
});

test('numeric strings count as numbers; non-numeric and non-finite values exclude the row', () => {
  const rows: Row[] = [
    { t: '1', a: '2' },
    { t: 2, a: 1 },
    { t: 'fast', a: 3 },
    { t: Number.NaN, a: 3 },
    { t: null, a: 3 },
    { t: [1], a: 3 },
  ];
  const r = paretoFront(rows, parseObjectives('t:min,a:max'));
  assert.deepEqual(r.rank, [1, 2, 0, 0, 0, 0]);
  assert.deepEqual(r.excluded, [2, 3, 4, 5]);
});

test('a tolerance makes a row strictly better only by more than that relative amount', () => {
  const rows = [
    { t: 1.0, a: 1 },
    { t: 1.04, a: 1 },
    { t: 1.2, a: 1 },
  ];
  const objectives = parseObjectives('t:min,a:max');
  assert.deepEqual(paretoFront(rows, objectives).rank, [1, 2, 3]);
  assert.deepEqual(paretoFront(rows, objectives, { tolerance: 0.05 }).rank, [1, 1, 2]);
  const own: Objective[] = [{ key: 't', goal: 'min', tolerance: 0.5 }, objectives[1]!];
  assert.deepEqual(paretoFront(rows, own, { tolerance: 0.05 }).rank, [1, 1, 1]);
});

test('one objective ranks rows by distinct value, best first', () => {
  const rows = [{ a: 3 }, { a: 9 }, { a: 3 }, { a: 5 }];
  const r = paretoFront(rows, parseObjectives('a:max'));
  assert.deepEqual(r.rank, [3, 1, 3, 2]);
  assert.deepEqual(r.tie, [true, false, true, false]);
});

test('no objective, or a negative tolerance, is bad input', () => {
  assert.throws(() => paretoFront([{ a: 1 }], []), CmError);
  assert.throws(
    () => paretoFront([{ a: 1 }], [{ key: 'a', goal: 'min', tolerance: -1 }]),
    (e: unknown) => e instanceof CmError && /"a"/.test(e.message),
  );
});

test('frontier, ranks and ties match the naive definition on random rows', () => {
  const next = random(42);
  const cases: Array<[string, number | undefined, number]> = [
    ['x:min', 10, 0],
    ['x:min,y:max', undefined, 0],
    ['x:min,y:max', 8, 0],
    ['x:max,y:max', 20, 0.1],
    ['x:min,y:min,z:max', undefined, 0],
    ['x:min,y:min,z:max', 5, 0],
    ['x:min,y:min,z:max', 6, 0.2],
    ['w:max,x:min,y:min,z:min', 4, 0],
  ];
  for (const [spec, grid, tolerance] of cases) {
    const objectives = parseObjectives(spec);
    for (const n of [0, 1, 2, 7, 60, 400]) {
      const rows = randomRows(
        n,
        objectives.map((o) => o.key),
        next,
        grid,
      );
      const got = paretoFront(rows, objectives, { tolerance });
      const want = naive(rows, objectives, tolerance);
      const what = `${spec} grid=${grid} tol=${tolerance} n=${n}`;
      assert.deepEqual(got.rank, want, what);
      assert.deepEqual(
        got.onFrontier,
        want.map((r) => r === 1),
        what,
      );
      const key = (r: Row): string => JSON.stringify(objectives.map((o) => r[o.key]));
      assert.deepEqual(
        got.tie,
        rows.map((r, i) => rows.some((s, j) => j !== i && key(s) === key(r))),
        what,
      );
    }
  }
});

test('100,000 random rows are ranked quickly with 2 and with 3 objectives', () => {
  const next = random(7);
  // About 0.2 s and 0.5 s here; an O(n²) pass over 100,000 rows takes far longer.
  const limits: Array<[string, number]> = [
    ['time:min,acc:max', 2000],
    ['time:min,acc:max,size:min', 5000],
  ];
  for (const [spec, limitMs] of limits) {
    const objectives = parseObjectives(spec);
    const rows = randomRows(
      100_000,
      objectives.map((o) => o.key),
      next,
    );
    const started = performance.now();
    const r = paretoFront(rows, objectives);
    const ms = performance.now() - started;
    assert.ok(ms < limitMs, `${spec}: ${Math.round(ms)} ms`);
    const front = r.onFrontier.filter(Boolean).length;
    assert.ok(front > 0 && front < 1000, `${spec}: frontier of ${front}`);
    // Frontier rows are dominated by no row, and every other row by a frontier row.
    const dominates = dominance(objectives);
    const frontier = rows.filter((_, i) => r.onFrontier[i]);
    rows.forEach((p, i) => {
      const isBeaten = r.onFrontier[i]
        ? rows.some((q) => dominates(q, p))
        : !frontier.some((q) => dominates(q, p));
      assert.ok(!isBeaten, `${spec}: row ${i}`);
    });
  }
});
