import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clone, mapStrings, mergeDicts, sortKeys } from './merge.js';

test('deep-merges dicts, overrides scalars and replaces lists by default', () => {
  const out = mergeDicts(
    { d: { x: 1, y: 2 }, l: [1], s: 'a' },
    { d: { y: 3, z: 4 }, l: [2], s: 'b' },
  );
  assert.deepEqual(out, { d: { x: 1, y: 3, z: 4 }, l: [2], s: 'b' });
});

test('appends lists without dedup for inheritance, or uniquely when asked', () => {
  assert.deepEqual(
    mergeDicts({ tags: ['b1', 'shared'] }, { tags: ['c1', 'shared'] }, { appendLists: true }),
    { tags: ['b1', 'shared', 'c1', 'shared'] },
  );
  assert.deepEqual(
    mergeDicts({ t: ['a'] }, { t: ['a', 'b'] }, { appendLists: true, appendUnique: true }),
    { t: ['a', 'b'] },
  );
});

test('does not share nested objects with the source', () => {
  const src = { d: { x: [1] } };
  const out = mergeDicts({}, src);
  (out['d'] as { x: number[] }).x.push(2);
  assert.deepEqual(src, { d: { x: [1] } });
});

test('never assigns a "__proto__" key (JSON.parse makes it an own key): copies skip it', () => {
  const parsed = JSON.parse(
    '{"a": 1, "__proto__": {"polluted": true}, "d": {"__proto__": {"x": 1}}}',
  );
  const merged = mergeDicts({ d: {} }, parsed);
  const copies = [merged, clone(parsed), mapStrings(parsed, (s) => s), sortKeys(parsed)];
  for (const c of copies) {
    assert.equal(Object.getPrototypeOf(c), Object.prototype);
    assert.equal(Object.getPrototypeOf((c as { d: object }).d), Object.prototype);
    assert.equal((c as { polluted?: boolean }).polluted, undefined);
    assert.deepEqual(Object.keys(c).sort(), ['a', 'd']);
  }
  assert.equal(({} as { polluted?: boolean }).polluted, undefined);
});
