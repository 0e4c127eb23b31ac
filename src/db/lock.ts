// Inter-process locks as lock files created with O_EXCL. A lock whose holder process is gone is
// stolen, so a killed `cm` never blocks later ones.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CmError } from '../core/errors.js';

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function holderIsAlive(lockPath: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
  } catch {
    return true; // being written or just released: treat as held and retry
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Lock {
  release(): void;
}

/** Acquire `lockPath`, waiting up to `timeoutMs` for another process to release it. */
export function acquireLock(lockPath: string, timeoutMs = 30_000): Lock {
  mkdirSync(dirname(lockPath), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let wait = 2;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(lockPath, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (!holderIsAlive(lockPath)) {
      rmSync(lockPath, { force: true });
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

export function withLock<T>(lockPath: string, fn: () => T): T {
  const lock = acquireLock(lockPath);
  try {
    return fn();
  } finally {
    lock.release();
  }
}
