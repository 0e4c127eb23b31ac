// POST /api/query (gui.md §5.6) and the exports of a view (GET /api/export.csv|json?<page params>):
// the store selects rows, the pure engine of src/core/results does the rest. A bad expression
// comes back as a 200 answer with `errors`, never as a 5xx.
import type { Context, Hono } from 'hono';
import { CmError } from '../../core/errors.js';
import { runQuery } from '../../core/results/query.js';
import { slimRows } from '../../core/results/slim-rows.js';
import { toCsv, toJsonExport } from '../../core/results/csv.js';
import { queryOfView, viewFromParams } from '../../core/results/view-url.js';
import type { QueryRequest, QueryResponse } from '../../core/results/types.js';
import type { AppEnv, AppOptions } from '../app-options.js';

/** Largest POST /api/query body: the expressions are short; a huge body is a mistake. */
const MAX_QUERY_BYTES = 256 * 1024;

function checkRequest(body: unknown): QueryRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new CmError('bad-input', 'the query must be a JSON object', {
      hint: 'POST {"selection": {"tags": ["demo"]}, "filter": "acc > 0.5"}',
    });
  return body as QueryRequest;
}

/** The answer to `req`, with the milliseconds spent selecting rows and running the query. */
async function answer(
  c: Context<AppEnv>,
  o: AppOptions,
  req: QueryRequest,
): Promise<{ res: QueryResponse; select: number; query: number }> {
  const t0 = performance.now();
  const rows = await o.store.selectRows(req.selection ?? {}, c.get('viewer'));
  const t1 = performance.now();
  const res = runQuery(rows, req);
  return {
    res: req.slim === true ? slimRows(res) : res,
    select: t1 - t0,
    query: performance.now() - t1,
  };
}

export function queryRoutes(app: Hono<AppEnv>, o: AppOptions): void {
  app.post('/api/query', async (c) => {
    const text = await c.req.text();
    if (text.length > MAX_QUERY_BYTES)
      throw new CmError(
        'bad-input',
        `the query is ${text.length} bytes; at most ${MAX_QUERY_BYTES}`,
        {
          details: { status: 413 },
        },
      );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new CmError('bad-input', `the query is not JSON: ${(e as Error).message}`);
    }
    const { res, select, query } = await answer(c, o, checkRequest(body));
    const t = performance.now();
    const json = JSON.stringify(res);
    // What the server spent, for the browser's devtools and the benchmarks.
    const timing = { select, query, json: performance.now() - t };
    return c.body(json, 200, {
      'content-type': 'application/json; charset=utf-8',
      'server-timing': Object.entries(timing)
        .map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`)
        .join(', '),
    });
  });
  const exporter = (format: 'csv' | 'json') => async (c: Context<AppEnv>) => {
    const params = new URL(c.req.url).searchParams;
    params.delete('token');
    const view = viewFromParams(params);
    const req: QueryRequest = { ...queryOfView(view) };
    delete req.offset;
    delete req.limit;
    const { res } = await answer(c, o, req);
    const columns = view.columns ?? res.keys.map((k) => k.name);
    const name = `cm-results.${format}`;
    const headers = {
      'content-disposition': `attachment; filename="${name}"`,
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json',
    };
    return c.body(
      format === 'csv' ? toCsv(res.rows, columns) : toJsonExport(res.rows, columns),
      200,
      headers,
    );
  };
  app.get('/api/export.csv', exporter('csv'));
  app.get('/api/export.json', exporter('json'));
}
