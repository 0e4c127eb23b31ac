// New uids, from the system's random source: /dev/urandom where there is one (a read of a few
// bytes), Web Crypto elsewhere. Web Crypto loads node:crypto on first use, about 5 ms of a
// command that makes one cache entry before its script can start.
import { closeSync, openSync, readSync } from 'node:fs';
import { uidOf } from '../core/uid.js';

const pool = new Uint8Array(256);
let used = pool.length;

function randomBytes(n: number): Uint8Array {
  if (used + n > pool.length) refill();
  used += n;
  return pool.subarray(used - n, used);
}

function refill(): void {
  used = 0;
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, pool, 0, pool.length, null) === pool.length) return;
    } finally {
      closeSync(fd);
    }
  } catch {
    // no /dev/urandom (Windows): Web Crypto below
  }
  globalThis.crypto.getRandomValues(pool);
}

/** A new random uid: 16 lowercase hex characters (the first half of a UUID4 hex). */
export function genUid(): string {
  return uidOf(randomBytes(8));
}
