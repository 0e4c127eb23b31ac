// GET /api/experiments, /api/experiments/:id, /api/experiments/:id/runs/:dir (gui.md §5.6).
import type { Hono } from 'hono';
import { CmError } from '../../core/errors.js';
import type { AppEnv, AppOptions } from '../app-options.js';

function tagsOf(q: string | undefined): string[] | undefined {
  if (q === undefined || q.trim() === '') return undefined;
  return q
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

export function experimentRoutes(app: Hono<AppEnv>, { store }: AppOptions): void {
  app.get('/api/experiments', async (c) => {
    const q = c.req.query();
    const tags = tagsOf(q['tags']);
    const experiments = await store.listExperiments(
      {
        ...(tags ? { tags } : {}),
        ...(q['name'] ? { name: q['name'] } : {}),
        ...(q['q'] ? { q: q['q'] } : {}),
        ...(q['repo'] ? { repo: q['repo'] } : {}),
      },
      c.get('viewer'),
    );
    return c.json({ experiments });
  });
  app.get('/api/experiments/:id', async (c) => {
    const e = await store.getExperiment(c.req.param('id'), c.get('viewer'));
    if (!e) throw new CmError('artifact-not-found', `experiment not found: ${c.req.param('id')}`);
    return c.json(e);
  });
  app.get('/api/experiments/:id/runs/:dir', async (c) => {
    const r = await store.getRun(c.req.param('id'), c.req.param('dir'), c.get('viewer'));
    if (!r)
      throw new CmError(
        'artifact-not-found',
        `run not found: ${c.req.param('id')}/${c.req.param('dir')}`,
      );
    return c.json(r);
  });
}
