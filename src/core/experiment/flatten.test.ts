import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flattenResult } from './flatten.js';
import { CmError } from '../errors.js';

test('nested dicts become dotted keys and leaf values keep their types', () => {
  const flat = flattenResult({ a: { b: 1, c: { d: [1, 2] } }, s: 'x', n: null, t: true });
  assert.deepEqual(flat, { 'a.b': 1, 'a.c.d': [1, 2], s: 'x', n: null, t: true });
  assert.equal(typeof flat['a.b'], 'number');
});

test('an empty nested dict contributes no key, as in CM', () => {
  assert.deepEqual(flattenResult({ a: {}, b: 2 }), { b: 2 });
});

test('lists are kept whole, even lists of dicts', () => {
  assert.deepEqual(flattenResult({ l: [{ x: 1 }] }), { l: [{ x: 1 }] });
});

test('each call returns a fresh object, so keys of one result never leak into the next', () => {
  const first = flattenResult({ only_in_step1: 1, shared: { v: 1 } });
  const second = flattenResult({ shared: { v: 2 } });
  assert.deepEqual(second, { 'shared.v': 2 });
  assert.notEqual(first, second);
  assert.deepEqual(first, { only_in_step1: 1, 'shared.v': 1 });
});

test('a __proto__ key becomes an own key and pollutes no prototype', () => {
  const parsed: unknown = JSON.parse('{"__proto__": {"polluted": 1}, "x": {"__proto__": 5}}');
  const flat = flattenResult(parsed);
  assert.deepEqual(Object.keys(flat), ['__proto__.polluted', 'x.__proto__']);
  assert.equal(Object.getPrototypeOf(flat), Object.prototype);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);

  const top = flattenResult(JSON.parse('{"__proto__": 7}'));
  assert.ok(Object.hasOwn(top, '__proto__'));
  assert.equal(Object.getOwnPropertyDescriptor(top, '__proto__')?.value, 7);
  assert.equal(Object.getPrototypeOf(top), Object.prototype);
});

test('when two paths spell the same dotted key, the later one wins', () => {
  assert.deepEqual(flattenResult({ 'a.b': 1, a: { b: 2 } }), { 'a.b': 2 });
});

test('a value that is not a JSON object is refused with a hint', () => {
  for (const bad of [[1, 2], 'text', 3, null]) {
    assert.throws(
      () => flattenResult(bad),
      (e: unknown) => e instanceof CmError && e.code === 'bad-input' && e.hint !== undefined,
    );
  }
});
