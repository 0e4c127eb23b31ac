// A client that signals a server the moment it reads its URL must find the stop handler in place:
// the server stops cleanly (exit 0), not killed by the signal's default action. Several start at
// once so that some are descheduled between printing the URL and the next statement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureHome, startGui } from './harness.js';

test('cm gui servers sent SIGTERM as soon as they print their URL all exit 0', async () => {
  const s = await fixtureHome();
  const outcomes = await Promise.all(
    Array.from({ length: 8 }, async () => (await startGui(s)).stop()),
  );
  assert.deepEqual(
    outcomes,
    outcomes.map(() => ({ code: 0, signal: null })),
  );
});
