import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from './lock.js';

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
