// The team server's ResultStore over PostgreSQL: experiments, runs and results pushed by `cm push`,
// saved views, protected experiments hidden until unlocked. Writes (the push API) are in ingest.ts.
import bcrypt from 'bcryptjs';
import type {
  ExperimentDetail,
  ExperimentSummary,
  ResultDetail,
  ResultRow,
  SavedView,
  Selection,
} from '../../../core/results/types.js';
import type { ExperimentFilter, ResultStore, StepFile, Viewer } from '../result-store.js';
import { describeDatabase, openDatabase, type Pool } from './database.js';
import { readHeads, resultRow, RowCache, type ExperimentHead } from './row-cache.js';
import { reproBadges } from '../../../core/results/badges.js';
import { originalCommand, replayCommand } from '../../../core/results/commands.js';

/** The channel of `pg_notify` that ingest.ts signals after each commit that added results. */
export const CHANGES_CHANNEL = 'cm_results';

export function isVisible(
  head: Pick<ExperimentHead, 'uid' | 'protected'>,
  viewer: Viewer,
): boolean {
  return !head.protected || viewer.unlocked.has(head.uid);
}

/** The experiment `id` (uid, else alias) among `heads`, if `viewer` may see it. */
export function findHead(
  heads: readonly ExperimentHead[],
  id: string,
  viewer: Viewer,
): ExperimentHead | undefined {
  const visible = heads.filter((h) => isVisible(h, viewer));
  return visible.find((h) => h.uid === id) ?? visible.find((h) => h.alias === id);
}

/** `%text%` for ILIKE, with its wildcards taken literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface SummaryRow {
  uid: string;
  alias: string;
  tags: string[];
  protected: boolean;
  runs: number;
  results: number;
  last_run: string | null;
}

const SUMMARY_SQL = `
  SELECT e.uid, e.alias, e.tags, e.password_hash IS NOT NULL AS protected,
         count(r.dir)::int AS runs, coalesce(sum(r.results), 0)::int AS results,
         max(r.started) AS last_run
    FROM experiments e LEFT JOIN runs r ON r.experiment_uid = e.uid`;

export class PostgresStore implements ResultStore {
  readonly kind = 'postgres';
  readonly pool: Pool;
  readonly #url: string;
  readonly #rows: RowCache;
  readonly #stops = new Set<() => void>();

  constructor(url: string, pool: Pool = openDatabase(url)) {
    this.#url = url;
    this.pool = pool;
    this.#rows = new RowCache(pool);
  }

  describe(): string[] {
    return [describeDatabase(this.#url)];
  }

  /** The `repo` of every experiment here: the database's name. */
  get repoName(): string {
    const db = new URL(this.#url).pathname.replace(/^\//, '');
    return `postgres:${db || 'postgres'}`;
  }

  #summary(r: SummaryRow): ExperimentSummary {
    return {
      uid: r.uid,
      alias: r.alias,
      tags: r.tags,
      repo: this.repoName,
      path: `experiment/${r.alias || r.uid}`,
      runs: r.runs,
      results: r.results,
      ...(r.last_run === null ? {} : { lastRun: r.last_run }),
      protected: r.protected,
    };
  }

  async listExperiments(filter: ExperimentFilter, viewer: Viewer): Promise<ExperimentSummary[]> {
    if (filter.repo !== undefined && filter.repo !== '' && filter.repo !== this.repoName) return [];
    const tags = filter.tags !== undefined && filter.tags.length > 0 ? filter.tags : null;
    const name = filter.name !== undefined && filter.name !== '' ? filter.name : null;
    const q = filter.q !== undefined && filter.q !== '' ? likePattern(filter.q) : null;
    const r = await this.pool.query<SummaryRow>(
      `${SUMMARY_SQL}
        WHERE ($1::text[] IS NULL OR e.tags @> $1::text[])
          AND ($2::text IS NULL OR e.alias = $2 OR e.uid = $2)
          AND ($3::text IS NULL OR e.alias ILIKE $3 OR array_to_string(e.tags, ',') ILIKE $3)
        GROUP BY e.uid
        ORDER BY array_to_string(e.tags, ','), e.alias, e.uid`,
      [tags, name, q],
    );
    return r.rows.filter((x) => isVisible(x, viewer)).map((x) => this.#summary(x));
  }

  async getExperiment(id: string, viewer: Viewer): Promise<ExperimentDetail | undefined> {
    const head = findHead(await readHeads(this.pool), id, viewer);
    if (head === undefined) return undefined;
    const [summary, meta, runs] = await Promise.all([
      this.pool.query<SummaryRow>(`${SUMMARY_SQL} WHERE e.uid = $1 GROUP BY e.uid`, [head.uid]),
      this.pool.query<{ meta: Record<string, unknown> }>(
        'SELECT meta FROM experiments WHERE uid = $1',
        [head.uid],
      ),
      this.pool.query<{ dir: string; results: number; started: string | null; has_input: boolean }>(
        `SELECT dir, results, started, input IS NOT NULL AS has_input
           FROM runs WHERE experiment_uid = $1 ORDER BY coalesce(started, dir) DESC, dir DESC`,
        [head.uid],
      ),
    ]);
    const s = summary.rows[0];
    if (s === undefined) return undefined;
    return {
      ...this.#summary(s),
      meta: { ...meta.rows[0]?.meta, alias: s.alias, uid: s.uid, tags: s.tags },
      runs_list: runs.rows.map((r) => ({
        dir: r.dir,
        results: r.results,
        ...(r.started === null ? {} : { started: r.started }),
        hasInput: r.has_input,
      })),
    };
  }

  async getRun(
    id: string,
    dir: string,
    viewer: Viewer,
  ): Promise<{ input?: Record<string, unknown>; rows: ResultRow[] } | undefined> {
    const head = findHead(await readHeads(this.pool), id, viewer);
    if (head === undefined) return undefined;
    const run = await this.pool.query<{ input: Record<string, unknown> | null }>(
      'SELECT input FROM runs WHERE experiment_uid = $1 AND dir = $2',
      [head.uid, dir],
    );
    const found = run.rows[0];
    if (found === undefined) return undefined;
    const rows = (await this.#rows.rowsOf(head)).filter((r) => r.experiment_dir === dir);
    return { ...(found.input === null ? {} : { input: found.input }), rows };
  }

  async selectRows(selection: Selection, viewer: Viewer): Promise<ResultRow[]> {
    const heads = await readHeads(this.pool);
    this.#rows.keepOnly(new Set(heads.map((h) => h.uid)));
    const names = selection.experiments?.length ? new Set(selection.experiments) : undefined;
    const tags = selection.tags ?? [];
    const chosen = heads.filter(
      (h) =>
        isVisible(h, viewer) &&
        tags.every((t) => h.tags.includes(t)) &&
        (names === undefined || names.has(h.uid) || names.has(h.alias)),
    );
    const runs = selection.runs?.length ? new Set(selection.runs) : undefined;
    const uid = selection.resultUid;
    const out: ResultRow[] = [];
    for (const rows of await Promise.all(chosen.map((h) => this.#rows.rowsOf(h)))) {
      if (runs === undefined && uid === undefined) {
        for (const r of rows) out.push(r);
        continue;
      }
      for (const r of rows) {
        if (uid !== undefined && r.uid !== uid) continue;
        if (
          runs !== undefined &&
          !runs.has(r.experiment_dir) &&
          !runs.has(`${r.experiment_uid}/${r.experiment_dir}`)
        )
          continue;
        out.push(r);
      }
    }
    return out;
  }

  async getResult(
    exp: string,
    dir: string,
    uid: string,
    viewer: Viewer,
  ): Promise<ResultDetail | undefined> {
    const head = findHead(await readHeads(this.pool), exp, viewer);
    if (head === undefined) return undefined;
    const r = await this.pool.query<{
      row: Record<string, unknown>;
      input: Record<string, unknown> | null;
      step_input: Record<string, unknown> | null;
    }>(
      `SELECT x.row, r.input, x.step_input FROM results x
         JOIN runs r ON r.experiment_uid = x.experiment_uid AND r.dir = x.dir
        WHERE x.experiment_uid = $1 AND x.dir = $2 AND x.uid = $3`,
      [head.uid, dir, uid],
    );
    const found = r.rows[0];
    if (found === undefined) return undefined;
    const row = resultRow(head, dir, uid, found.row);
    const name = head.alias || head.uid;
    const original = found.input === null ? undefined : originalCommand(found.input);
    return {
      row,
      ...(found.input === null ? {} : { runInput: found.input }),
      ...(found.step_input === null ? {} : { stepInput: found.step_input }),
      files: [],
      reports: [],
      badges: reproBadges(row),
      commands: { replay: replayCommand(name, dir, uid), ...(original ? { original } : {}) },
    };
  }

  /** Step folders stay on the machine that ran them: the database has no files. */
  readStepFile(): Promise<StepFile | undefined> {
    return Promise.resolve(undefined);
  }

  async unlock(password: string): Promise<string[]> {
    const r = await this.pool.query<{ uid: string; password_hash: string }>(
      'SELECT uid, password_hash FROM experiments WHERE password_hash IS NOT NULL',
    );
    const matches = await Promise.all(
      r.rows.map((x) =>
        // A malformed stored hash matches no password (bcryptjs rejects it).
        bcrypt.compare(password, x.password_hash).catch(() => false),
      ),
    );
    return r.rows.filter((_, i) => matches[i]).map((x) => x.uid);
  }

  async listViews(): Promise<SavedView[]> {
    const r = await this.pool.query<{ view: SavedView }>('SELECT view FROM views ORDER BY name');
    return r.rows.map((x) => x.view);
  }

  async getView(name: string): Promise<SavedView | undefined> {
    const r = await this.pool.query<{ view: SavedView }>('SELECT view FROM views WHERE name = $1', [
      name,
    ]);
    return r.rows[0]?.view;
  }

  async putView(view: SavedView): Promise<void> {
    await this.pool.query(
      `INSERT INTO views (name, view) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET view = EXCLUDED.view, updated = now()`,
      [view.name, JSON.stringify(view)],
    );
  }

  async deleteView(name: string): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM views WHERE name = $1', [name]);
    return (r.rowCount ?? 0) > 0;
  }

  /** Changes pushed by any server on this database (LISTEN), for --watch. */
  watch(onChange: (change: { exp: string; dir: string }) => void): () => void {
    let stopped = false;
    let release: (() => void) | undefined;
    const stop = (): void => {
      stopped = true;
      release?.();
      this.#stops.delete(stop);
    };
    this.#stops.add(stop);
    void this.pool.connect().then(
      async (client) => {
        release = () => client.release(true);
        if (stopped) return release();
        client.on('notification', (n) => {
          const change = JSON.parse(n.payload ?? '{}') as { exp?: string; dir?: string };
          if (change.exp !== undefined && change.dir !== undefined)
            onChange({ exp: change.exp, dir: change.dir });
        });
        await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      },
      // No database: --watch has nothing to report; the queries of the API say why.
      () => undefined,
    );
    return stop;
  }

  async close(): Promise<void> {
    for (const stop of [...this.#stops]) stop();
    await this.pool.end();
  }
}
