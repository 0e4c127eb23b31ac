import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISTINCT_CAP, keyCatalogue } from './key-catalogue.js';
import type { KeyInfo, ResultRow } from './types.js';

function rows(...fields: Array<Record<string, unknown>>): ResultRow[] {
  return fields.map((f, i) => ({
    _id: `e/d/${i}`,
    experiment_uid: 'e',
    experiment_alias: 'demo',
    experiment_tags: 'a,b',
    experiment_dir: 'd',
    uid: String(i),
    ...f,
  }));
}

function info(list: KeyInfo[], name: string): KeyInfo {
  const found = list.find((k) => k.name === name);
  assert.ok(found, `no key ${name}`);
  return found;
}

test("keys come in CM's _graph order: its preferred keys, then the rest case-insensitively", () => {
  const list = keyCatalogue(
    rows({ zeta: 1, Accuracy: 1, alpha: 1, Result: 1, Model: 'm', Beta: 1, notes: '' }),
  );
  assert.deepEqual(
    list.map((k) => k.name),
    [
      'Model',
      'notes',
      'Result',
      'Accuracy',
      '_id',
      'alpha',
      'Beta',
      'experiment_alias',
      'experiment_dir',
      'experiment_tags',
      'experiment_uid',
      'uid',
      'zeta',
    ],
  );
});

test('kinds: numbers, numbers written as text (CMX), text, booleans, JSON and mixtures', () => {
  const list = keyCatalogue(
    rows(
      { n: 1, s: '1.5', t: 'a', b: true, j: [1], m: 1, e: '', z: null },
      { n: 2.5, s: ' 2 ', t: '2', b: false, j: { a: 1 }, m: 'x', e: '3' },
      { n: null, s: '', t: 'c' },
    ),
  );
  const kinds = Object.fromEntries(list.map((k) => [k.name, k.kind]));
  assert.deepEqual(
    ['n', 's', 't', 'b', 'j', 'm', 'e', 'z'].map((k) => kinds[k]),
    ['number', 'number', 'string', 'boolean', 'json', 'mixed', 'number', 'mixed'],
  );
  const s = info(list, 's');
  assert.deepEqual([s.min, s.max, s.present, s.distinct], [1.5, 2, 3, 3]);
  assert.deepEqual(s.samples, [1.5, 2, '']);
  const n = info(list, 'n');
  assert.deepEqual([n.min, n.max, n.present], [1, 2.5, 2]);
  assert.equal(info(list, 't').min, undefined);
  assert.equal(info(list, 'z').present, 0);
});

test('distinct values, samples in first-seen order (at most 20) and constant keys', () => {
  const many = Array.from({ length: 30 }, (_, i) => ({
    k: i % 25,
    c: 'same',
    p: i < 29 ? 'x' : null,
  }));
  const list = keyCatalogue(rows(...many));
  const k = info(list, 'k');
  assert.equal(k.distinct, 25);
  assert.deepEqual(
    k.samples,
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.equal(k.constant, false);
  assert.equal(info(list, 'c').constant, true);
  assert.equal(info(list, 'experiment_uid').constant, true);
  // A key missing in one row is not constant.
  assert.equal(info(list, 'p').constant, false);
  assert.equal(info(list, 'p').distinct, 1);
});

test('JSON values are distinct by content and apart from strings with the same text', () => {
  const list = keyCatalogue(
    rows({ j: [1, 2] }, { j: [1, 2] }, { j: '[1,2]' }, { j: 0 }, { j: -0 }),
  );
  assert.equal(info(list, 'j').distinct, 3);
});

test('origin: provenance fields, then derived, then explored, else result', () => {
  const list = keyCatalogue(rows({ iso_datetime: 't', repo: 'r', eff: 1, A: 1, Result: 1 }), {
    derived: new Set(['eff']),
    explored: new Set(['A', 'uid']),
  });
  const origins = Object.fromEntries(list.map((k) => [k.name, k.origin]));
  assert.deepEqual(origins, {
    _id: 'provenance',
    A: 'explored',
    eff: 'derived',
    experiment_alias: 'provenance',
    experiment_dir: 'provenance',
    experiment_tags: 'provenance',
    experiment_uid: 'provenance',
    iso_datetime: 'provenance',
    repo: 'provenance',
    Result: 'result',
    uid: 'provenance',
  });
});

test('no rows give no keys', () => {
  assert.deepEqual(keyCatalogue([]), []);
});

test('counts distinct values up to DISTINCT_CAP, then says the count is capped', () => {
  const rows = Array.from({ length: DISTINCT_CAP + 500 }, (_, i) => ({
    _id: `e/r/${i}`,
    uid: `u${i}`,
    experiment_uid: 'e',
    experiment_alias: 'x',
    experiment_tags: '',
    experiment_dir: 'r',
    n: i,
    mode: i % 2 ? 'a' : 'b',
  }));
  const keys = Object.fromEntries(keyCatalogue(rows).map((k) => [k.name, k]));
  assert.equal(keys['n']!.distinct, DISTINCT_CAP);
  assert.equal(keys['n']!.distinctCapped, true);
  assert.equal(keys['n']!.max, DISTINCT_CAP + 499);
  assert.equal(keys['n']!.present, DISTINCT_CAP + 500);
  assert.equal(keys['n']!.kind, 'number');
  assert.equal(keys['mode']!.distinct, 2);
  assert.equal(keys['mode']!.distinctCapped, undefined);
});
