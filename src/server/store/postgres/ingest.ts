// Writing what `cm push` sends: an experiment upserted, a batch of results inserted in one
// transaction that skips rows already stored (so a re-push or a resumed push adds nothing twice).
import { CmError } from '../../../core/errors.js';
import type {
  ExperimentPush,
  ExperimentPushAnswer,
  ResultsPush,
  ResultsPushAnswer,
} from '../../../core/results/push-protocol.js';
import { withResultUids } from '../../../core/results/result-uid.js';
import { inTransaction, type Pool, type PoolClient } from './database.js';
import { CHANGES_CHANNEL } from './postgres-store.js';

/** Keys that the server derives for every row (gui.md §5.2): never stored from a client. */
const DERIVED_KEYS = [
  '_id',
  'experiment_uid',
  'experiment_alias',
  'experiment_tags',
  'experiment_dir',
];

/**
 * Creates or updates the experiment; its revision moves when alias, tags or protection change
 * (they are part of every cached row). A password_hash, once set, stays until replaced by another.
 */
export async function upsertExperiment(
  pool: Pool,
  e: ExperimentPush,
): Promise<ExperimentPushAnswer> {
  const { password_hash: hash, ...meta } = e.meta;
  const up = await retrying(() =>
    pool.query<{ created: boolean }>(
      `INSERT INTO experiments (uid, alias, tags, meta, password_hash)
          VALUES ($1, $2, $3::text[], $4::jsonb, $5)
     ON CONFLICT (uid) DO UPDATE SET
       alias = EXCLUDED.alias, tags = EXCLUDED.tags, meta = EXCLUDED.meta,
       password_hash = coalesce(EXCLUDED.password_hash, experiments.password_hash),
       updated = now(),
       revision = experiments.revision + CASE
         WHEN (experiments.alias, experiments.tags, experiments.password_hash)
              IS DISTINCT FROM
              (EXCLUDED.alias, EXCLUDED.tags,
               coalesce(EXCLUDED.password_hash, experiments.password_hash))
         THEN 1 ELSE 0 END
     RETURNING (xmax = 0) AS created`,
      [e.uid, e.alias, e.tags, JSON.stringify(meta), typeof hash === 'string' ? hash : null],
    ),
  );
  const runs = await pool.query<{ dir: string; results: number }>(
    'SELECT dir, results FROM runs WHERE experiment_uid = $1',
    [e.uid],
  );
  return {
    uid: e.uid,
    created: up.rows[0]?.created === true,
    runs: Object.fromEntries(runs.rows.map((r) => [r.dir, r.results])),
  };
}

/**
 * `work`, run again (up to 3 times) when PostgreSQL says "try again" (a deadlock, a serialisation
 * failure); a value PostgreSQL refuses (class 22: a \u0000 in a string ...) is the client's error.
 */
async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (attempt < 3 && (code === '40P01' || code === '40001')) continue;
      if (typeof code === 'string' && code.startsWith('22'))
        throw new CmError('bad-input', `PostgreSQL refused a value: ${(e as Error).message}`, {
          hint: 'results must be JSON that PostgreSQL can store (no \\u0000 in strings)',
        });
      throw e;
    }
  }
}

/** Inserts a batch; rows already stored (same experiment, run folder and uid) are skipped. */
export async function insertResults(pool: Pool, push: ResultsPush): Promise<ResultsPushAnswer> {
  const items = withResultUids(push.rows).map((row) => {
    const clean: Record<string, unknown> = { ...row };
    for (const k of DERIVED_KEYS) delete clean[k];
    const step = push.steps?.[row.uid];
    return { uid: row.uid, row: clean, ...(step ? { step } : {}) };
  });
  return retrying(() => inTransaction(pool, (client) => insertBatch(client, push, items)));
}

// Each push first locks its experiment's row: pushes into one experiment commit one after the
// other, so that their revisions are committed in order and a cache that has revision R misses no
// row of a revision <= R. Locks come in one order (experiment, run, results): no deadlock.
async function insertBatch(
  client: PoolClient,
  push: ResultsPush,
  items: Array<{ uid: string; row: Record<string, unknown>; step?: Record<string, unknown> }>,
): Promise<ResultsPushAnswer> {
  const exp = await client.query<{ revision: string }>(
    'SELECT revision::text AS revision FROM experiments WHERE uid = $1 FOR NO KEY UPDATE',
    [push.experiment_uid],
  );
  const current = exp.rows[0]?.revision;
  if (current === undefined)
    throw new CmError(
      'artifact-not-found',
      `experiment ${push.experiment_uid} is not on this server`,
      { hint: 'push the experiment first: POST /api/push/experiment (cm push experiment does)' },
    );
  const revision = (BigInt(current) + 1n).toString();
  await client.query(
    `INSERT INTO runs (experiment_uid, dir, input, started) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (experiment_uid, dir) DO UPDATE SET
       input = coalesce(EXCLUDED.input, runs.input),
       started = coalesce(EXCLUDED.started, runs.started)`,
    [
      push.experiment_uid,
      push.dir,
      push.input === undefined ? null : JSON.stringify(push.input),
      push.started ?? null,
    ],
  );
  const inserted =
    items.length === 0
      ? 0
      : ((
          await client.query(
            `INSERT INTO results (experiment_uid, dir, uid, rev, row, step_input)
             SELECT $1, $2, e->>'uid', $4::bigint, e->'row', e->'step'
               FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(e, n)
              ORDER BY n
             ON CONFLICT DO NOTHING`,
            [push.experiment_uid, push.dir, JSON.stringify(items), revision],
          )
        ).rowCount ?? 0);
  if (inserted > 0) {
    await client.query(
      'UPDATE runs SET results = results + $3 WHERE experiment_uid = $1 AND dir = $2',
      [push.experiment_uid, push.dir, inserted],
    );
    await client.query(
      'UPDATE experiments SET revision = $2::bigint, updated = now() WHERE uid = $1',
      [push.experiment_uid, revision],
    );
    await client.query('SELECT pg_notify($1, $2)', [
      CHANGES_CHANNEL,
      JSON.stringify({ exp: push.experiment_uid, dir: push.dir }),
    ]);
  }
  return { inserted, skipped: items.length - inserted };
}
