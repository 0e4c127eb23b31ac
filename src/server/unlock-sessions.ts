// Which protected experiments a browser unlocked (POST /api/unlock): an opaque session cookie
// mapped to experiment uids, in this process's memory only (a restart locks them again).
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Viewer } from './store/result-store.js';

const COOKIE = 'cm_session';
const NOBODY: Viewer = { unlocked: new Set() };

export class UnlockSessions {
  readonly #sessions = new Map<string, Set<string>>();

  viewerOf(c: Context): Viewer {
    const id = getCookie(c, COOKIE);
    const unlocked = id === undefined ? undefined : this.#sessions.get(id);
    return unlocked === undefined ? NOBODY : { unlocked };
  }

  unlock(c: Context, uids: readonly string[]): void {
    let id = getCookie(c, COOKIE);
    let set = id === undefined ? undefined : this.#sessions.get(id);
    if (id === undefined || set === undefined) {
      id = randomBytes(24).toString('base64url');
      set = new Set();
      this.#sessions.set(id, set);
    }
    for (const u of uids) set.add(u);
    setCookie(c, COOKIE, id, { httpOnly: true, sameSite: 'Strict', path: '/' });
  }
}
