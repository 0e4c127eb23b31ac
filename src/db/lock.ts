// Inter-process locks as lock files. A lock file appears complete (holding its owner's pid) or not
// at all: it is written beside, then hard-linked into place, which fails if the lock is held. A lock
// whose owner process is gone is taken over by renaming it away first, so that of several waiters
// only one can remove a given stale file, and a killed `cm` never blocks later ones.
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CmError } from '../core/errors.js';
import { tmpSuffix } from '../core/uid.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function readToken(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isAlive(token: string): boolean {
  const pid = Number.parseInt(token, 10);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Create the lock file with `token` in it, atomically; false when someone holds it. */
function tryCreate(lockPath: string, token: string): boolean {
  const tmp = `${lockPath}.${tmpSuffix()}`;
  writeFileSync(tmp, token);
  try {
    linkSync(tmp, lockPath);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Remove a lock file whose owner is dead; a fresh lock caught by mistake is put back. */
function takeOverStale(lockPath: string, staleToken: string): void {
  const aside = `${lockPath}.stale-${tmpSuffix()}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // another waiter moved it first
  }
  const moved = readToken(aside);
  if (moved !== staleToken && moved !== undefined && isAlive(moved)) {
    try {
      linkSync(aside, lockPath);
    } catch {
      // someone took the lock meanwhile: nothing better to do
    }
  }
  rmSync(aside, { force: true });
}

export interface Lock {
  release(): void;
}

/** Acquire `lockPath`, waiting up to `timeoutMs` for another process to release it. */
export function acquireLock(lockPath: string, timeoutMs = 30_000): Lock {
  mkdirSync(dirname(lockPath), { recursive: true });
  const token = `${process.pid} ${tmpSuffix()}`;
  const deadline = Date.now() + timeoutMs;
  let wait = 2;
  for (;;) {
    if (tryCreate(lockPath, token)) {
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          if (readToken(lockPath) === token) rmSync(lockPath, { force: true });
        },
      };
    }
    const holder = readToken(lockPath);
    if (holder !== undefined && !isAlive(holder)) {
      takeOverStale(lockPath, holder);
      continue;
    }
    if (Date.now() > deadline) {
      throw new CmError('bad-input', `timed out waiting for lock ${lockPath}`, {
        hint: 'another cm process holds it; if none is running, delete the file',
      });
    }
    sleepMs(wait);
    wait = Math.min(wait * 2, 50);
  }
}

/** Whether a live process holds `lockPath` (a lock left by a dead one does not count). */
export function isHeld(lockPath: string): boolean {
  const token = readToken(lockPath);
  return token !== undefined && isAlive(token);
}

export function withLock<T>(lockPath: string, fn: () => T): T {
  const lock = acquireLock(lockPath);
  try {
    return fn();
  } finally {
    lock.release();
  }
}
