import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitStatusOf } from './exit-status.js';

test('the exit status as a shell reports it: the code, or 128 + the signal', () => {
  assert.equal(exitStatusOf(3, null), 3);
  assert.equal(exitStatusOf(0, null), 0);
  assert.equal(exitStatusOf(null, 'SIGTERM'), 143);
  assert.equal(exitStatusOf(null, 'SIGKILL'), 137);
  assert.equal(exitStatusOf(null, 'SIGSEGV'), 139);
  assert.equal(exitStatusOf(null, null), 1);
});
