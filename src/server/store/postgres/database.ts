// Opening the team server's PostgreSQL database from a postgres:// URL, and the clear errors of a
// database that cannot be reached. Runs SQL for nobody else: the store, ingest and tokens do.
import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { CmError } from '../../../core/errors.js';

export type { Pool, PoolClient };

/** The URL without its password, for messages and /api/health. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** A pool over `url` (postgres://USER[:PASSWORD]@HOST:PORT/DB); nothing connects until used. */
export function openDatabase(url: string): Pool {
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new CmError('bad-input', `--db must be a postgres:// URL (found "${url}")`, {
      hint: 'e.g. --db=postgres://cm@127.0.0.1:5432/cm',
    });
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  // An idle client that loses its server (a restart) must not crash the process: the next query
  // fails and is reported where it is made.
  pool.on('error', () => undefined);
  return pool;
}

/** A failure to reach the database as a CmError naming it; other errors pass through. */
export function connectionError(e: unknown, url: string): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  const reachability = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'];
  if (typeof code === 'string' && reachability.includes(code))
    return new CmError(
      'connection-failed',
      `cannot connect to PostgreSQL at ${describeDatabase(url)}: ${code}`,
      { hint: 'start PostgreSQL, or check the host and port of --db', cause: e },
    );
  // 28P01 wrong password, 28000 no such role, 3D000 no such database.
  if (code === '28P01' || code === '28000' || code === '3D000')
    return new CmError(
      'connection-failed',
      `PostgreSQL at ${describeDatabase(url)} refused the connection: ${(e as Error).message}`,
      { hint: 'check the user, password and database name in --db', cause: e },
    );
  return e;
}

/** Runs `work` in one transaction on one client of `pool`: committed when it returns. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const value = await work(client);
    await client.query('COMMIT');
    return value;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
