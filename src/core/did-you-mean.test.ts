import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean, suggest } from './did-you-mean.js';

test('suggests close names first and nothing for unrelated ones', () => {
  assert.deepEqual(suggest('datset', ['dataset', 'script', 'repo']), ['dataset']);
  assert.equal(didYouMean('xyzzy', ['dataset', 'script']), undefined);
  assert.equal(didYouMean('scrpt', ['script', 'scripts']), 'did you mean one of: script, scripts?');
});
