// The team server's schema as numbered migrations, applied at start in one transaction under an
// advisory lock (two servers starting together apply each once); `schema_migrations` says which.
import { CmError } from '../../../core/errors.js';
import { inTransaction, type Pool } from './database.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Append only: a released migration is never edited, a change is a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'experiments, runs, results, views, tokens',
    sql: `
      CREATE TABLE experiments (
        uid text PRIMARY KEY,
        alias text NOT NULL DEFAULT '',
        tags text[] NOT NULL DEFAULT '{}',
        meta jsonb NOT NULL DEFAULT '{}',
        password_hash text,
        -- bumped by every change of its results or names: the key of the servers' row caches
        revision bigint NOT NULL DEFAULT 1,
        created timestamptz NOT NULL DEFAULT now(),
        updated timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX experiments_alias ON experiments (alias);
      CREATE INDEX experiments_tags ON experiments USING gin (tags);
      CREATE TABLE runs (
        experiment_uid text NOT NULL REFERENCES experiments (uid) ON DELETE CASCADE,
        dir text NOT NULL,
        input jsonb,
        started text,
        results integer NOT NULL DEFAULT 0,
        PRIMARY KEY (experiment_uid, dir)
      );
      CREATE TABLE results (
        experiment_uid text NOT NULL,
        dir text NOT NULL,
        uid text NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        -- the experiment's revision that its insert made: caches read only what is newer
        rev bigint NOT NULL,
        row jsonb NOT NULL,
        PRIMARY KEY (experiment_uid, dir, uid),
        FOREIGN KEY (experiment_uid, dir) REFERENCES runs (experiment_uid, dir) ON DELETE CASCADE
      );
      CREATE INDEX results_order ON results (experiment_uid, dir, seq);
      CREATE INDEX results_rev ON results (experiment_uid, rev);
      CREATE INDEX results_row ON results USING gin (row jsonb_path_ops);
      CREATE TABLE views (
        name text PRIMARY KEY,
        view jsonb NOT NULL,
        updated timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE tokens (
        hash text PRIMARY KEY,
        scope text NOT NULL CHECK (scope IN ('read', 'write')),
        created timestamptz NOT NULL DEFAULT now(),
        note text NOT NULL DEFAULT ''
      );`,
  },
  {
    version: 2,
    name: 'step inputs of results',
    sql: `
      -- The step folder's cm-input.json (command, env) that made a result, for its page.
      ALTER TABLE results ADD COLUMN step_input jsonb;
    `,
  },
];

/** Any fixed number: the lock that serialises migrations across servers on one database. */
const MIGRATION_LOCK = '7310137201190871';

export interface MigrationReport {
  /** Versions applied by this call (empty: the schema was current). */
  applied: number[];
  version: number;
}

/** Brings the schema to the newest version; a database newer than this code is refused. */
export async function migrate(
  pool: Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied timestamptz NOT NULL DEFAULT now()
    )`);
    const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const have = new Set(done.rows.map((r) => r.version));
    const newest = Math.max(0, ...migrations.map((m) => m.version));
    const beyond = [...have].filter((v) => v > newest);
    if (beyond.length > 0)
      throw new CmError(
        'version-mismatch',
        `the database has schema version ${Math.max(...beyond)}, newer than this cm knows (${newest})`,
        { hint: 'upgrade cm on this machine to the version that the other servers run' },
      );
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (have.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
    return { applied, version: newest };
  });
}
