// The team server's push and pull API (an extension of createApp): `cm push` upserts experiments
// and inserts batches of results (write scope); `cm pull` reads them back a page at a time.
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CmError } from '../../core/errors.js';
import {
  MAX_EXPERIMENT_BYTES,
  MAX_PUSH_ROWS,
  MAX_RESULTS_BYTES,
  PULL_PAGE_ROWS,
  parseExperimentPush,
  parseResultsPush,
} from '../../core/results/push-protocol.js';
import type { AppEnv } from '../app-options.js';
import { insertResults, upsertExperiment } from '../store/postgres/ingest.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import { pullExperiment, pullResults } from '../store/postgres/pull-reads.js';

function limited(maxSize: number, what: string): ReturnType<typeof bodyLimit> {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(
        {
          error: `the body is larger than ${maxSize} bytes, the most ${what} may be`,
          code: 'too-large',
          hint: `send at most ${MAX_PUSH_ROWS} results per request (cm push sends 500)`,
        },
        413,
      ),
  });
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CmError('bad-input', `the body is not JSON: ${(e as Error).message}`);
  }
}

/** The routes over `store`, for createApp's `extensions`. */
export function pushRoutes(store: PostgresStore): (app: Hono<AppEnv>) => void {
  return (app) => {
    app.post('/api/push/experiment', limited(MAX_EXPERIMENT_BYTES, 'an experiment'), async (c) =>
      c.json(await upsertExperiment(store.pool, parseExperimentPush(await jsonBody(c)))),
    );
    app.post('/api/push/results', limited(MAX_RESULTS_BYTES, 'a batch of results'), async (c) => {
      const push = parseResultsPush(await jsonBody(c));
      if (push.rows.length > MAX_PUSH_ROWS)
        return c.json(
          {
            error: `${push.rows.length} results in one request: the most is ${MAX_PUSH_ROWS}`,
            code: 'too-large',
            hint: 'send them in several requests',
          },
          413,
        );
      return c.json(await insertResults(store.pool, push));
    });
    app.get('/api/pull/experiments/:id', async (c) =>
      c.json(await pullExperiment(store.pool, c.req.param('id'), c.get('viewer'))),
    );
    app.get('/api/pull/experiments/:id/runs/:dir/results', async (c) => {
      const limit = Math.min(
        Math.max(Number(c.req.query('limit') ?? PULL_PAGE_ROWS) || 1, 1),
        PULL_PAGE_ROWS,
      );
      const after = c.req.query('after');
      return c.json(
        await pullResults(
          store.pool,
          {
            experiment: c.req.param('id'),
            dir: c.req.param('dir'),
            limit,
            ...(after === undefined ? {} : { after }),
          },
          c.get('viewer'),
        ),
      );
    });
  };
}
