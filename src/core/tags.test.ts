import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesTags, parseTagQuery, tagList } from './tags.js';

test('splits tag strings and lists, dropping empty pieces', () => {
  assert.deepEqual(tagList('a, b,,c'), ['a', 'b', 'c']);
  assert.deepEqual(tagList(['x', 'y']), ['x', 'y']);
  assert.deepEqual(tagList(undefined), []);
});

test('requires every positive tag and no negative tag, case-sensitively', () => {
  const q = parseTagQuery('a,b,-c');
  assert.deepEqual(q, { include: ['a', 'b'], exclude: ['c'] });
  assert.ok(matchesTags(['a', 'b', 'd'], q));
  assert.ok(!matchesTags(['a', 'b', 'c'], q));
  assert.ok(!matchesTags(['a'], q));
  assert.ok(!matchesTags(['A', 'b'], q));
});
