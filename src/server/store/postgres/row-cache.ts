// The parsed result rows of each experiment, kept in this process and keyed by the experiment's
// `revision` (bumped by every ingest): a query over 100,000 results parses nothing once warm.
import type { ResultRow } from '../../../core/results/types.js';
import type { Pool } from './database.js';

/** What one cheap query says about every experiment: enough to select and to check the cache. */
export interface ExperimentHead {
  uid: string;
  alias: string;
  tags: string[];
  /** A bigint, as PostgreSQL's text of it. */
  revision: string;
  protected: boolean;
}

interface Entry {
  revision: string;
  /** The names stamped on the rows: when they change, the rows are read again. */
  alias: string;
  tags: string;
  rows: readonly ResultRow[];
}

export async function readHeads(pool: Pool): Promise<ExperimentHead[]> {
  const r = await pool.query<ExperimentHead>(
    `SELECT uid, alias, tags, revision::text AS revision, password_hash IS NOT NULL AS protected
       FROM experiments ORDER BY array_to_string(tags, ','), alias, uid`,
  );
  return r.rows;
}

/** A stored row as the API shows it: its own keys, then the provenance fields (which win). */
export function resultRow(
  head: Pick<ExperimentHead, 'uid' | 'alias' | 'tags'>,
  dir: string,
  uid: string,
  row: Record<string, unknown>,
): ResultRow {
  const r = row as ResultRow;
  r._id = `${head.uid}/${dir}/${uid}`;
  r.experiment_uid = head.uid;
  r.experiment_alias = head.alias;
  r.experiment_tags = head.tags.join(',');
  r.experiment_dir = dir;
  r.uid = uid;
  return r;
}

/**
 * Results are only ever added, each stamped with the revision that added it (ingest.ts commits the
 * revisions of one experiment in order): a newer revision costs a read of the newer rows only. Rows
 * handed out are shared between requests and frozen: a caller that adds keys (derived metrics)
 * copies them, and one that writes by mistake fails loudly instead of corrupting the cache.
 */
export class RowCache {
  readonly #pool: Pool;
  readonly #entries = new Map<string, Entry>();
  /** Reads under way, by `uid@revision`: concurrent requests share one. */
  readonly #loading = new Map<string, Promise<readonly ResultRow[]>>();

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** The rows of `head` at its revision: from memory, with what is newer read once. */
  rowsOf(head: ExperimentHead): Promise<readonly ResultRow[]> {
    const have = this.#entries.get(head.uid);
    if (have !== undefined && have.revision === head.revision) return Promise.resolve(have.rows);
    const key = `${head.uid}@${head.revision}`;
    let loading = this.#loading.get(key);
    if (loading === undefined) {
      loading = this.#load(head, have).finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  /** Drops the experiments not in `uids` (deleted from the database). */
  keepOnly(uids: ReadonlySet<string>): void {
    for (const uid of this.#entries.keys()) if (!uids.has(uid)) this.#entries.delete(uid);
  }

  async #load(head: ExperimentHead, have: Entry | undefined): Promise<readonly ResultRow[]> {
    const tags = head.tags.join(',');
    const base =
      have !== undefined &&
      have.alias === head.alias &&
      have.tags === tags &&
      BigInt(have.revision) < BigInt(head.revision)
        ? have
        : undefined;
    const r = await this.#pool.query<{ dir: string; uid: string; row: Record<string, unknown> }>(
      `SELECT dir, uid, row FROM results
        WHERE experiment_uid = $1 AND rev > $2::bigint AND rev <= $3::bigint
        ORDER BY rev, seq`,
      [head.uid, base?.revision ?? '0', head.revision],
    );
    const added = r.rows.map((x) => Object.freeze(resultRow(head, x.dir, x.uid, x.row)));
    const rows = base === undefined ? added : base.rows.concat(added);
    const now = this.#entries.get(head.uid);
    if (now === undefined || BigInt(now.revision) < BigInt(head.revision))
      this.#entries.set(head.uid, { revision: head.revision, alias: head.alias, tags, rows });
    return rows;
  }
}
