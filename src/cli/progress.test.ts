import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanBytes, progressLine } from './progress.js';

test('progressLine: bar, percent, sizes, speed and ETA; a long label is cut from the left', () => {
  assert.equal(humanBytes(999), '999 B');
  assert.equal(humanBytes(1_500_000), '1.5 MB');
  const line = progressLine({ label: 'f.bin', done: 500, total: 1000, rate: 100 }, 80);
  assert.equal(line, 'f.bin [##########----------]  50%  500 B / 1.0 kB  100 B/s  ETA 5s');
  const long = progressLine({ label: 'x'.repeat(200), done: 1, total: 2 }, 60);
  assert.ok(long.length <= 60 && long.startsWith('...'));
  assert.equal(progressLine({ label: 'a', done: 3, unit: 'files' }), 'a 3 files');
  assert.equal(
    progressLine({ label: 'running b, c', done: 1, total: 4, unit: 'deps' }, 80),
    'running b, c [#####---------------]  25%  1 deps / 4 deps',
  );
});

test('progressLine: a sweep counts steps, its rate in steps/s and the ETA', () => {
  assert.equal(
    progressLine({ label: 'steps (1 failed)', done: 30, total: 120, rate: 3, unit: 'steps' }, 100),
    'steps (1 failed) [#####---------------]  25%  30 steps / 120 steps  3.00 steps/s  ETA 30s',
  );
  assert.equal(
    progressLine({ label: 'steps', done: 500, total: 1000, rate: 250, unit: 'steps' }, 100),
    'steps [##########----------]  50%  500 steps / 1000 steps  250 steps/s  ETA 2s',
  );
});
