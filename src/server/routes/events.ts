// GET /api/events: server-sent `results-changed {exp, dir}` while `--watch` is on (gui.md §5.6).
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { CmError } from '../../core/errors.js';
import type { AppEnv, AppOptions } from '../app-options.js';

type Listener = (change: { exp: string; dir: string }) => void;

export function eventRoutes(app: Hono<AppEnv>, { store, watch }: AppOptions): void {
  const listeners = new Set<Listener>();
  let stop: (() => void) | undefined;
  app.get('/api/events', (c) => {
    if (!watch || !store.watch)
      throw new CmError('bad-input', 'this server does not watch results', {
        hint: 'start it with --watch',
      });
    stop ??= store.watch((change) => {
      for (const l of listeners) l(change);
    });
    return streamSSE(c, async (stream) => {
      const queue: Array<{ exp: string; dir: string }> = [];
      let wake: (() => void) | undefined;
      const listener: Listener = (ch) => {
        queue.push(ch);
        wake?.();
      };
      listeners.add(listener);
      stream.onAbort(() => {
        listeners.delete(listener);
        wake?.();
      });
      await stream.writeSSE({ event: 'hello', data: '{}' });
      while (!stream.aborted) {
        if (queue.length === 0)
          await new Promise<void>((r) => {
            wake = r;
            // A keep-alive ping every 15 s; the timer does not hold the process at shutdown.
            setTimeout(r, 15_000).unref();
          });
        wake = undefined;
        if (stream.aborted) break;
        if (queue.length === 0) {
          await stream.writeSSE({ event: 'ping', data: '{}' });
          continue;
        }
        for (const ch of queue.splice(0))
          await stream.writeSSE({ event: 'results-changed', data: JSON.stringify(ch) });
      }
      listeners.delete(listener);
    });
  });
}
