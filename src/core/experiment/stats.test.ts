import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupStats, statsOf, tCritical95 } from './stats.js';
import { CmError } from '../errors.js';

const close = (actual: number | null, expected: number, what: string): void => {
  assert.ok(
    actual !== null && Math.abs(actual - expected) < 1e-9,
    `${what}: ${actual} vs ${expected}`,
  );
};

test('three repetitions 10, 12, 11 give the figures of scenario 38', () => {
  const s = statsOf([10, 12, 11]);
  assert.equal(s.min, 10);
  assert.equal(s.max, 12);
  assert.equal(s.mean, 11);
  assert.equal(s.median, 11);
  assert.equal(s.range, 2);
  assert.equal(s.range_percent, 0.2);
  assert.equal(s.repeats, 3);
  close(s.stdev, 1, 'stdev');
  close(s.ci95, (4.303 * 1) / Math.sqrt(3), 'ci95');
});

test('one value has zero spread and zero confidence half-width', () => {
  assert.deepEqual(statsOf([5]), {
    min: 5,
    max: 5,
    mean: 5,
    median: 5,
    stdev: 0,
    ci95: 0,
    range: 0,
    range_percent: 0,
    repeats: 1,
  });
});

test('the median of an even count is the mean of the two middle values', () => {
  assert.equal(statsOf([4, 1, 3, 2]).median, 2.5);
});

test('range_percent is null when the minimum is 0 and never negative', () => {
  assert.equal(statsOf([0, 3]).range_percent, null);
  assert.equal(statsOf([-10, -8]).range_percent, 0.2);
});

test('the t value comes from the table up to 30 degrees of freedom, then 1.96', () => {
  const cases: Array<[number, number]> = [
    [1, 12.706],
    [2, 4.303],
    [10, 2.228],
    [30, 2.042],
    [31, 1.96],
    [1000, 1.96],
  ];
  for (const [df, t] of cases) assert.equal(tCritical95(df), t, `df=${df}`);
  const many = Array.from({ length: 40 }, (_, i) => i % 2);
  const s = statsOf(many);
  close(s.ci95, (1.96 * s.stdev) / Math.sqrt(40), 'ci95 for n=40');
});

test('statsOf refuses an empty list as a bug', () => {
  assert.throws(
    () => statsOf([]),
    (e: unknown) => e instanceof Error && !(e instanceof CmError),
  );
});

test('groups rows by the group-by values in first-seen order with k#stat columns', () => {
  const rows = [
    { A: 1, t: 10, uid: 'u1', name: 'x' },
    { A: 2, t: '5', uid: 'u2', name: 'y' },
    { A: 1, t: 12, uid: 'u3', name: 'x' },
    { A: 1, t: 11, uid: 'u4', name: 'x' },
  ];
  const out = groupStats(rows, { groupBy: ['A'], exclude: ['uid'] });
  assert.equal(out.length, 2);
  assert.deepEqual(Object.keys(out[0]!), [
    'A',
    't#min',
    't#max',
    't#mean',
    't#median',
    't#stdev',
    't#ci95',
    't#range',
    't#range_percent',
    't#repeats',
  ]);
  const first = out[0]!;
  assert.equal(first['A'], 1);
  assert.equal(first['t#min'], 10);
  assert.equal(first['t#max'], 12);
  assert.equal(first['t#mean'], 11);
  assert.equal(first['t#range'], 2);
  assert.equal(first['t#range_percent'], 0.2);
  assert.equal(first['t#repeats'], 3);
  assert.equal(out[1]!['A'], 2);
  assert.equal(out[1]!['t#mean'], 5);
  assert.equal(out[1]!['t#repeats'], 1);
});

test('a key with any non-numeric value is not summarised unless asked for', () => {
  const rows = [
    { A: 'a', t: 1, status: 'ok', maybe: null },
    { A: 'a', t: 2, status: 3, maybe: 4 },
  ];
  const out = groupStats(rows, { groupBy: ['A'] });
  assert.deepEqual(
    Object.keys(out[0]!).filter((k) => k.includes('#min')),
    ['t#min', 'maybe#min'],
  );
  assert.equal(out[0]!['maybe#repeats'], 1);
  assert.throws(
    () => groupStats(rows, { groupBy: ['A'], keys: ['status'] }),
    (e: unknown) =>
      e instanceof CmError && e.code === 'bad-input' && /"status".*result 1.*"ok"/.test(e.message),
  );
});

test('explicit keys restrict the summary, and a group lacking a key gets no columns for it', () => {
  const rows = [
    { A: 1, t: 1, e: 5 },
    { A: 2, e: 6 },
  ];
  const out = groupStats(rows, { groupBy: ['A'], keys: ['t'] });
  assert.deepEqual(Object.keys(out[0]!).length, 1 + 9);
  assert.deepEqual(out[1], { A: 2 });
});

test('rows missing a group-by key form one group with a null value; no group-by means one group', () => {
  const rows = [{ t: 1 }, { A: null, t: 3 }, { A: 1, t: 2 }];
  const out = groupStats(rows, { groupBy: ['A'] });
  assert.deepEqual(
    out.map((r) => [r['A'], r['t#repeats']]),
    [
      [null, 2],
      [1, 1],
    ],
  );
  const all = groupStats(rows, { groupBy: [] });
  assert.equal(all.length, 1);
  assert.equal(all[0]!['t#mean'], 2);
});

test('the median by selection equals the median of the sorted values, ties and odd/even counts included', () => {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let round = 0; round < 300; round++) {
    const n = 1 + Math.floor(rnd() * 40);
    const values = Array.from({ length: n }, () =>
      Math.floor(rnd() * (round % 3 === 0 ? 4 : 1000)),
    );
    const sorted = [...values].sort((a, b) => a - b);
    const m = n >> 1;
    const want = n % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
    const got = statsOf(values);
    assert.equal(got.median, want, JSON.stringify(values));
    assert.equal(got.min, sorted[0]);
    assert.equal(got.max, sorted[n - 1]);
  }
});
