import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock, waitForLock, type Lock } from './lock.js';

test('a lock holds its owner pid, is taken over when that process is gone, and is released', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-lock-'));
  const path = join(dir, 'x.lock');
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  writeFileSync(path, `${dead} stale`);
  const lock = acquireLock(path, 2000);
  assert.equal(Number.parseInt(readFileSync(path, 'utf8'), 10), process.pid);
  assert.throws(() => acquireLock(path, 50), /timed out waiting for lock/);
  lock.release();
  assert.equal(existsSync(path), false);
  rmSync(dir, { recursive: true, force: true });
});

test('a lock this process holds is not re-entered: a second waiter in the process waits for its release', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-lock-'));
  const path = join(dir, 'k.lock');
  const first = await waitForLock(path, {
    timeoutMs: 1000,
    onWait: () => assert.fail('free'),
    onTimeout: () => new Error('timeout'),
  });
  const waitedOn: number[] = [];
  let second: Lock | undefined;
  const pending = waitForLock(path, {
    timeoutMs: 5000,
    onWait: (pid) => waitedOn.push(pid),
    onTimeout: () => new Error('timeout'),
  }).then((l) => (second = l));
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(second as Lock | undefined, undefined, 'still waiting while the first holds it');
  assert.deepEqual(waitedOn, [process.pid], 'told that this very process holds it');
  first.release();
  (await pending).release();
  assert.equal(existsSync(path), false);
  rmSync(dir, { recursive: true, force: true });
});
