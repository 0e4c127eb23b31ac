// What `cm pull` reads from the team server's database: one experiment with its runs, and its
// stored result rows a page at a time (as pushed: no provenance fields), for visible experiments.
import { didYouMean } from '../../../core/did-you-mean.js';
import { CmError } from '../../../core/errors.js';
import type { PulledExperiment, PulledPage } from '../../../core/results/push-protocol.js';
import type { Viewer } from '../result-store.js';
import type { Pool } from './database.js';
import { findHead, isVisible } from './postgres-store.js';
import { readHeads } from './row-cache.js';

/** The experiment `id` (uid or alias) with its meta (password_hash too) and runs. */
export async function pullExperiment(
  pool: Pool,
  id: string,
  viewer: Viewer,
): Promise<PulledExperiment> {
  const heads = await readHeads(pool);
  const head = findHead(heads, id, viewer);
  if (head === undefined) {
    const visible = heads.filter((h) => isVisible(h, viewer));
    const names = visible.flatMap((h) => (h.alias === '' ? [h.uid] : [h.alias]));
    throw new CmError('artifact-not-found', `experiment not found on the server: ${id}`, {
      hint:
        didYouMean(id, names) ??
        (names.length > 0
          ? `it has: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ' ...' : ''}`
          : 'it has no experiments yet (cm push experiment NAME)'),
    });
  }
  const [e, runs] = await Promise.all([
    pool.query<{ meta: Record<string, unknown>; password_hash: string | null }>(
      'SELECT meta, password_hash FROM experiments WHERE uid = $1',
      [head.uid],
    ),
    pool.query<{
      dir: string;
      started: string | null;
      input: Record<string, unknown> | null;
      results: number;
    }>('SELECT dir, started, input, results FROM runs WHERE experiment_uid = $1 ORDER BY dir', [
      head.uid,
    ]),
  ]);
  const hash = e.rows[0]?.password_hash ?? null;
  return {
    uid: head.uid,
    alias: head.alias,
    tags: head.tags,
    meta: { ...e.rows[0]?.meta, ...(hash === null ? {} : { password_hash: hash }) },
    runs: runs.rows.map((r) => ({
      dir: r.dir,
      ...(r.started === null ? {} : { started: r.started }),
      ...(r.input === null ? {} : { input: r.input }),
      results: r.results,
    })),
  };
}

/** Up to `limit` stored rows of one run after the cursor `after`, in pushed order. */
export async function pullResults(
  pool: Pool,
  page: { experiment: string; dir: string; after?: string; limit: number },
  viewer: Viewer,
): Promise<PulledPage> {
  const head = findHead(await readHeads(pool), page.experiment, viewer);
  if (head === undefined)
    throw new CmError(
      'artifact-not-found',
      `experiment not found on the server: ${page.experiment}`,
    );
  const after = page.after !== undefined && /^\d{1,18}$/.test(page.after) ? page.after : '0';
  const r = await pool.query<{ seq: string; row: Record<string, unknown> }>(
    `SELECT seq::text AS seq, row FROM results
      WHERE experiment_uid = $1 AND dir = $2 AND seq > $3::bigint
      ORDER BY seq LIMIT $4`,
    [head.uid, page.dir, after, page.limit + 1],
  );
  const more = r.rows.length > page.limit;
  const rows = more ? r.rows.slice(0, page.limit) : r.rows;
  const last = rows[rows.length - 1];
  return { rows: rows.map((x) => x.row), ...(more && last ? { next: last.seq } : {}) };
}
