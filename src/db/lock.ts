// Inter-process locks as lock files. A lock file appears complete (holding its owner's pid and
// start time) or not at all: it is written beside, then hard-linked into place, which fails if the
// lock is held. A lock whose owner process is gone, or whose pid now belongs to another process
// (pids are reused, and in a container `cm` is often pid 1 every time), is taken over by renaming
// it away first, so that of several waiters only one can remove a given stale file.
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CmError } from '../core/errors.js';
import { tmpSuffix } from '../core/uid.js';
import { processStartTime } from './process-start.js';

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

/**
 * A new lock token of this process: `PID SUFFIX start=START`. START (the process's start time as
 * the system tells it) tells this process apart from a later one given the same pid.
 */
export function newLockToken(): string {
  return `${process.pid} ${tmpSuffix()} start=${processStartTime(process.pid) ?? '-'}`;
}

/** The owner pid written in a lock token (0 when unreadable). */
export function tokenPid(token: string): number {
  const pid = Number.parseInt(token, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

/**
 * Whether the process that wrote `token` still runs: its pid is alive and, when the token records
 * a start time, the process now holding that pid started at that time. Tokens of older versions
 * (pid only) are judged by the pid.
 */
export function isOwnerAlive(token: string): boolean {
  const pid = tokenPid(token);
  if (pid === 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const recorded = /\bstart=(\S+)/.exec(token)?.[1];
  if (recorded === undefined || recorded === '-') return true;
  const now = processStartTime(pid);
  return now === undefined || now === recorded;
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

/** Remove a lock file whose owner is gone; a fresh lock caught by mistake is put back. */
function takeOverStale(lockPath: string, staleToken: string): void {
  const aside = `${lockPath}.stale-${tmpSuffix()}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return; // another waiter moved it first
  }
  const moved = readToken(aside);
  if (moved !== staleToken && moved !== undefined && isOwnerAlive(moved)) {
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

/**
 * One attempt at `lockPath`: the lock, or the token of the live process holding it. A stale lock
 * (its owner gone) is taken over on the way.
 */
export function tryAcquireLock(lockPath: string): { lock: Lock } | { holder: string } {
  mkdirSync(dirname(lockPath), { recursive: true });
  const token = newLockToken();
  for (let attempt = 0; attempt < 100; attempt++) {
    if (tryCreate(lockPath, token)) {
      let released = false;
      return {
        lock: {
          release() {
            if (released) return;
            released = true;
            if (readToken(lockPath) === token) rmSync(lockPath, { force: true });
          },
        },
      };
    }
    const holder = readToken(lockPath);
    if (holder === undefined) continue; // released meanwhile
    if (isOwnerAlive(holder)) return { holder };
    takeOverStale(lockPath, holder);
  }
  return { holder: readToken(lockPath) ?? '' };
}

/** Acquire `lockPath`, waiting up to `timeoutMs` for another process to release it. */
export function acquireLock(lockPath: string, timeoutMs = 30_000): Lock {
  const deadline = Date.now() + timeoutMs;
  let wait = 2;
  for (;;) {
    const r = tryAcquireLock(lockPath);
    if ('lock' in r) return r.lock;
    if (Date.now() > deadline) {
      throw new CmError(
        'locked',
        `timed out waiting for lock ${lockPath} (held by pid ${tokenPid(r.holder)})`,
        { hint: 'another cm process holds it; if none is running, delete the file' },
      );
    }
    sleepMs(wait);
    wait = Math.min(wait * 2, 50);
  }
}

/**
 * Acquire `lockPath`, waiting on a timer (so that other work of this process, such as another run
 * through the library API, goes on meanwhile). `onWait` is told the holder's pid once, at the
 * first wait; `onTimeout` makes the error thrown once `timeoutMs` has passed.
 */
export async function waitForLock(
  lockPath: string,
  o: { timeoutMs: number; onWait(pid: number): void; onTimeout(pid: number): Error },
): Promise<Lock> {
  const deadline = Date.now() + o.timeoutMs;
  let delay = 5;
  for (let attempt = 0; ; attempt++) {
    const r = tryAcquireLock(lockPath);
    if ('lock' in r) return r.lock;
    if (attempt === 0) o.onWait(tokenPid(r.holder));
    if (Date.now() > deadline) throw o.onTimeout(tokenPid(r.holder));
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 100);
  }
}

/** How long a run waits for a lock another run holds: CM_CACHE_LOCK_TIMEOUT_HOURS, default 24. */
export function lockTimeoutMs(env: Readonly<Record<string, string | undefined>>): number {
  const hours = Number(env['CM_CACHE_LOCK_TIMEOUT_HOURS'] ?? '24');
  return (Number.isFinite(hours) ? hours : 24) * 3600_000;
}

/** Whether a live process holds `lockPath` (a lock left by a gone one does not count). */
export function isHeld(lockPath: string): boolean {
  const token = readToken(lockPath);
  return token !== undefined && isOwnerAlive(token);
}

export function withLock<T>(lockPath: string, fn: () => T): T {
  const lock = acquireLock(lockPath);
  try {
    return fn();
  } finally {
    lock.release();
  }
}
