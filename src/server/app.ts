// The playground's HTTP application (gui.md §5.6): the JSON API under /api and the built front
// end, over one ResultStore. Built with Hono so that tests can call `app.request()` without a port.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { Health } from '../core/results/types.js';
import { allows, type Authenticator, type Scope } from './auth.js';
import type { AppEnv, AppOptions } from './app-options.js';
import { errorAnswer } from './http-error.js';

import { staticRoutes } from './routes/static-files.js';
import { UnlockSessions } from './unlock-sessions.js';

/** The bearer token of a request: the Authorization header, or `?token=` for EventSource GETs. */
function tokenOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    return m?.[1];
  }
  return c.req.method === 'GET' ? c.req.query('token') : undefined;
}

/** Reads need a read token, everything else a write token, when tokens are configured. */
function authMiddleware(auth: Authenticator, sessions: UnlockSessions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const needed: Scope = c.req.method === 'GET' || isReadPost(c.req.path) ? 'read' : 'write';
    let scope: Scope = 'write';
    if (auth.required) {
      const token = tokenOf(c);
      const given = token === undefined ? undefined : await auth.scopeOf(token);
      if (given === undefined)
        return c.json(
          {
            error: token === undefined ? 'this server needs a token' : 'invalid token',
            code: 'unauthorized',
            hint: 'send "Authorization: Bearer <token>" (cm push/pull: --token or CM_SERVER_TOKEN)',
          },
          401,
        );
      if (!allows(given, needed))
        return c.json(
          { error: 'this token has read scope only', code: 'forbidden', hint: 'use a write token' },
          403,
        );
      scope = given;
    }
    c.set('scope', scope);
    c.set('viewer', sessions.viewerOf(c));
    await next();
  };
}

/** POSTs that only read (a query, an unlock). */
function isReadPost(path: string): boolean {
  return path === '/api/query' || path === '/api/unlock';
}

export function createApp(options: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const sessions = new UnlockSessions();
  app.onError((e, c) => {
    const a = errorAnswer(e);
    return c.json(a.body, a.status);
  });
  app.notFound((c) =>
    c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}`, code: 'not-found' }, 404),
  );
  app.use('/api/*', authMiddleware(options.auth, sessions));
  app.get('/api/health', (c) => {
    const health: Health = {
      version: options.version,
      repos: options.store.describe(),
      readOnly: c.get('scope') !== 'write',
      execAllowed: options.allowExec,
      backend: options.store.kind,
      watch: options.watch,
    };
    return c.json(health);
  });
  app.post('/api/unlock', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { password?: unknown };
    if (typeof body.password !== 'string' || body.password === '')
      return c.json({ error: 'give {"password": "..."}', code: 'bad-input' }, 400);
    const uids = await options.store.unlock(body.password);
    if (uids.length === 0) return c.json({ error: 'wrong password', code: 'forbidden' }, 403);
    sessions.unlock(c, uids);
    return c.json({ unlocked: uids.length });
  });
  for (const extend of options.extensions ?? []) extend(app, options);
  // Last: the front end answers every other GET with its page.
  staticRoutes(app, options);
  return app;
}
