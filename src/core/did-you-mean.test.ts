import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean, nearest, suggest } from './did-you-mean.js';

test('suggests close names first and nothing for unrelated ones', () => {
  assert.deepEqual(suggest('datset', ['dataset', 'script', 'repo']), ['dataset']);
  assert.equal(didYouMean('xyzzy', ['dataset', 'script']), undefined);
  assert.equal(didYouMean('scrpt', ['script', 'scripts']), 'did you mean one of: script, scripts?');
});

test('nearest keeps only the closest names, and falls back to prefixes', () => {
  const flags = ['version', 'version_min', 'version_max', 'version_max_usable', 'tags'];
  assert.deepEqual(nearest('version_mn', flags), ['version_min']);
  assert.deepEqual(nearest('tag', flags), ['tags']);
  assert.deepEqual(nearest('version_mix', flags), ['version_max', 'version_min']);
  assert.deepEqual(nearest('xyzzy', flags), []);
  assert.deepEqual(nearest('version_max_us', flags), ['version_max_usable']);
  assert.deepEqual(nearest('woh', ['h', 'j', 'who']), ['who']);
});

test('among thousands of names measures those with the same first letter or holding the name', () => {
  const many = [...Array.from({ length: 2000 }, (_, i) => `item-${i}`), 'Dataset', 'my-DATASET-2'];
  assert.deepEqual(suggest('datset', many), ['Dataset']);
  assert.deepEqual(suggest('dataset', many), ['Dataset', 'my-DATASET-2']);
  assert.deepEqual(suggest('tem-1999', many), ['item-1999']);
  assert.deepEqual(suggest('a.b', many), []);
});
