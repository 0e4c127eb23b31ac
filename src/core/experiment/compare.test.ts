import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareResults } from './compare.js';
import { CmError } from '../errors.js';

const oldRow = { uid: 'a', t: 10, acc: 0.9, name: 'x', list: [1, 2], gone: 1, same: 'k' };
const newRow = { uid: 'b', t: 12, acc: 0.92, name: 'y', list: [1, 2], same: 'k', added: true };

test('lists only differing keys with old, new and relative change (scenario 41)', () => {
  const out = compareResults(oldRow, newRow, { ignore: ['uid'] });
  assert.deepEqual(
    out.map((e) => e.key),
    ['t', 'acc', 'name', 'gone', 'added'],
  );
  const t = out[0]!;
  assert.equal(t.old, 10);
  assert.equal(t.new, 12);
  assert.ok(Math.abs(t.change! - 0.2) < 1e-12);
  assert.equal(t.flagged, true);
  const acc = out[1]!;
  assert.ok(Math.abs(acc.change! - 0.02 / 0.9) < 1e-12);
  assert.equal(acc.differs, true);
  assert.equal(acc.flagged, false, 'a 2 % change is within the 8 % tolerance');
  assert.deepEqual(out[2], {
    key: 'name',
    old: 'x',
    new: 'y',
    numeric: false,
    change: null,
    differs: true,
    flagged: true,
  });
  assert.equal(out[3]!.onlyIn, 'old');
  assert.equal(out[3]!.new, undefined);
  assert.equal(out[4]!.onlyIn, 'new');
  assert.equal(out[4]!.flagged, true);
});

test('with all every key is listed, equal ones unflagged with change 0 for numbers', () => {
  const out = compareResults({ t: 5, s: 'k', l: [1] }, { t: '5', s: 'k', l: [1] }, { all: true });
  assert.deepEqual(
    out.map((e) => [e.key, e.numeric, e.change, e.differs, e.flagged]),
    [
      ['t', true, 0, false, false],
      ['s', false, null, false, false],
      ['l', false, null, false, false],
    ],
  );
});

test('the tolerance decides which numeric changes are flagged, in either direction', () => {
  const cases: Array<[number, number, number | undefined, boolean]> = [
    [100, 107, undefined, false],
    [100, 109, undefined, true],
    [100, 91, undefined, true],
    [100, 93, undefined, false],
    [100, 103, 0.02, true],
    [-10, -12, undefined, true],
  ];
  for (const [o, n, tolerance, flagged] of cases) {
    const [entry] = compareResults({ v: o }, { v: n }, { tolerance });
    assert.equal(entry!.flagged, flagged, `${o} → ${n} (tolerance ${tolerance})`);
  }
  const [neg] = compareResults({ v: -10 }, { v: -12 });
  assert.ok(Math.abs(neg!.change! + 0.2) < 1e-12, 'the change is relative to |old|');
});

test('a change from 0 has no relative value and is always flagged', () => {
  const [entry] = compareResults({ v: 0 }, { v: 0.001 });
  assert.equal(entry!.change, null);
  assert.equal(entry!.flagged, true);
});

test('a result with no numeric key in common is visible from the numeric flags', () => {
  const out = compareResults({ uid: 'a', t: 1 }, { uid: 'b' }, { all: true, ignore: ['uid'] });
  assert.equal(
    out.some((e) => e.numeric),
    false,
  );
});

test('a negative or non-finite tolerance is bad input', () => {
  for (const tolerance of [-0.1, Number.NaN]) {
    assert.throws(
      () => compareResults({}, {}, { tolerance }),
      (e: unknown) => e instanceof CmError && e.code === 'bad-input',
    );
  }
});
