// GET /api/results/:exp/:dir/:uid (a result with its provenance) and GET /api/files/... (a file of
// its step folder, confined to that folder, capped, always text/plain).
import type { Hono } from 'hono';
import { CmError } from '../../core/errors.js';
import type { AppEnv, AppOptions } from '../app-options.js';

export function resultRoutes(app: Hono<AppEnv>, { store }: AppOptions): void {
  app.get('/api/results/:exp/:dir/:uid', async (c) => {
    const { exp, dir, uid } = c.req.param();
    const r = await store.getResult(exp, dir, uid, c.get('viewer'));
    if (!r) throw new CmError('artifact-not-found', `result not found: ${exp}/${dir}/${uid}`);
    return c.json(r);
  });
  app.get('/api/files/:exp/:dir/:uid/*', async (c) => {
    const { exp, dir, uid } = c.req.param();
    // The raw path, before any normalisation of "..": a traversal is refused, not resolved.
    const raw = new URL(c.req.url).pathname;
    const prefix = ['', 'api', 'files', exp, dir, uid].map(encodeURIComponent).join('/') + '/';
    const rest = raw.startsWith(prefix)
      ? raw.slice(prefix.length)
      : c.req.path.split('/').slice(6).join('/');
    const path = decodeURIComponent(rest);
    const f = await store.readStepFile(exp, dir, uid, path, c.get('viewer'));
    if (!f) throw new CmError('file-not-found', `no step folder ${exp}/${dir}/${uid}`);
    c.header('x-content-type-options', 'nosniff');
    if (f.truncated) c.header('x-cm-truncated', '1');
    return c.body(f.bytes, 200, { 'content-type': 'text/plain; charset=utf-8' });
  });
}
