// Saved explore views: GET /api/views, GET|PUT|DELETE /api/views/:name.
import type { Hono } from 'hono';
import { CmError } from '../../core/errors.js';
import type { SavedView } from '../../core/results/types.js';
import type { AppEnv, AppOptions } from '../app-options.js';

function checkView(name: string, body: unknown): SavedView {
  const b = body as Partial<SavedView> | null;
  if (b === null || typeof b !== 'object' || typeof b.params !== 'object' || b.params === null)
    throw new CmError('bad-input', 'a view is {"params": {"x": "...", ...}}');
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(b.params)) params[k] = String(v);
  return { ...b, name, params } as SavedView;
}

export function viewRoutes(app: Hono<AppEnv>, { store }: AppOptions): void {
  app.get('/api/views', async (c) => c.json({ views: await store.listViews() }));
  app.get('/api/views/:name', async (c) => {
    const v = await store.getView(c.req.param('name'));
    if (!v) throw new CmError('artifact-not-found', `no view "${c.req.param('name')}"`);
    return c.json(v);
  });
  app.put('/api/views/:name', async (c) => {
    const body: unknown = await c.req.json().catch(() => null);
    await store.putView(checkView(c.req.param('name'), body));
    return c.json({ ok: true });
  });
  app.delete('/api/views/:name', async (c) => {
    if (!(await store.deleteView(c.req.param('name'))))
      throw new CmError('artifact-not-found', `no view "${c.req.param('name')}"`);
    return c.json({ ok: true });
  });
}
