// The playground's default store: experiments of the locally registered repos, read through CM's
// own index and files (no database). Rows are cached per experiment (experiment-rows.ts).
import bcrypt from 'bcryptjs';
import { readArtifactMeta } from '../../../db/artifact.js';
import { findArtifacts } from '../../find-artifacts.js';
import type {
  ExperimentDetail,
  ExperimentSummary,
  ResultDetail,
  ResultRow,
  SavedView,
  Selection,
} from '../../../core/results/types.js';
import type { Cm } from '../../../index.js';
import type { ExperimentFilter, ResultStore, StepFile, Viewer } from '../result-store.js';
import { RowCache, stampOf, type ExperimentInfo } from './experiment-rows.js';
import { buildResultDetail, readJsonObject, readStepFile } from './result-detail.js';
import { RUN_INPUT_FILE } from '../../../automations/experiment/run-folder.js';
import { join } from 'node:path';
import { ViewsFile } from './views-file.js';

const EXPERIMENT = 'experiment,a0a2d123ef064bcb';

function lastRunOf(runs: ReadonlyArray<{ started?: string }>): string | undefined {
  let last: string | undefined;
  for (const r of runs) if (r.started && (last === undefined || r.started > last)) last = r.started;
  return last;
}

export class LocalStore implements ResultStore {
  readonly kind = 'local' as const;
  readonly #cm: Cm;
  readonly #rows = new RowCache();
  readonly #views: ViewsFile;
  /** Restrict to these repo aliases (`cm gui --repos=a,b`). */
  readonly #repos: readonly string[] | undefined;

  constructor(cm: Cm, options: { repos?: readonly string[] } = {}) {
    this.#cm = cm;
    this.#repos = options.repos;
    this.#views = new ViewsFile(cm.context.paths.root);
  }

  describe(): string[] {
    return this.#repos ? [...this.#repos] : ['all registered repos'];
  }

  /** Every experiment artifact (optionally with `tags`), with its meta. */
  async #experiments(tags?: readonly string[]): Promise<ExperimentInfo[]> {
    const list = await findArtifacts(this.#cm, EXPERIMENT, tags?.join(','));
    const out: ExperimentInfo[] = [];
    for (const e of list) {
      const repo = String(e['repo_alias'] ?? '');
      if (this.#repos && !this.#repos.includes(repo)) continue;
      let meta: Record<string, unknown>;
      try {
        meta = readArtifactMeta(String(e['path']));
      } catch {
        continue;
      }
      out.push({
        uid: String(e['uid']),
        alias: String(e['alias'] ?? ''),
        tags: (e['tags'] as string[] | undefined) ?? [],
        path: String(e['path']),
        repo,
        meta,
      });
    }
    return out.sort(
      (a, b) => a.tags.join(',').localeCompare(b.tags.join(',')) || a.alias.localeCompare(b.alias),
    );
  }

  #visible(e: ExperimentInfo, viewer: Viewer): boolean {
    return typeof e.meta['password_hash'] !== 'string' || viewer.unlocked.has(e.uid);
  }

  async #find(id: string, viewer: Viewer): Promise<ExperimentInfo | undefined> {
    const all = await this.#experiments();
    const e = all.find((x) => x.uid === id) ?? all.find((x) => x.alias === id);
    return e && this.#visible(e, viewer) ? e : undefined;
  }

  #summary(e: ExperimentInfo): ExperimentSummary {
    const data = this.#rows.get(e);
    const lastRun = lastRunOf(data.runs);
    return {
      uid: e.uid,
      alias: e.alias,
      tags: e.tags,
      repo: e.repo,
      path: e.path,
      runs: data.runs.length,
      results: data.rows.length,
      ...(lastRun ? { lastRun } : {}),
      protected: typeof e.meta['password_hash'] === 'string',
    };
  }

  async listExperiments(f: ExperimentFilter, viewer: Viewer): Promise<ExperimentSummary[]> {
    let list = (await this.#experiments(f.tags)).filter((e) => this.#visible(e, viewer));
    if (f.name) {
      const names = f.name.split(',').map((s) => s.trim());
      list = list.filter((e) => names.includes(e.alias) || names.includes(e.uid));
    }
    if (f.repo) list = list.filter((e) => e.repo === f.repo);
    if (f.q) {
      const q = f.q.toLowerCase();
      list = list.filter(
        (e) => e.alias.toLowerCase().includes(q) || e.tags.some((t) => t.toLowerCase().includes(q)),
      );
    }
    return list.map((e) => this.#summary(e));
  }

  async getExperiment(id: string, viewer: Viewer): Promise<ExperimentDetail | undefined> {
    const e = await this.#find(id, viewer);
    if (!e) return undefined;
    const { password_hash: _hidden, ...meta } = e.meta;
    return { ...this.#summary(e), meta, runs_list: this.#rows.get(e).runs };
  }

  async getRun(
    id: string,
    dir: string,
    viewer: Viewer,
  ): Promise<{ input?: Record<string, unknown>; rows: ResultRow[] } | undefined> {
    const e = await this.#find(id, viewer);
    const rows = e ? this.#rows.get(e).byRun.get(dir) : undefined;
    if (!e || !rows) return undefined;
    const input = readJsonObject(join(e.path, dir, RUN_INPUT_FILE));
    return { ...(input ? { input } : {}), rows };
  }

  async selectRows(selection: Selection, viewer: Viewer): Promise<ResultRow[]> {
    let list = (await this.#experiments(selection.tags)).filter((e) => this.#visible(e, viewer));
    const names = selection.experiments?.filter(Boolean);
    if (names && names.length > 0)
      list = list.filter((e) => names.includes(e.uid) || names.includes(e.alias));
    const out: ResultRow[] = [];
    const runs = selection.runs?.filter(Boolean);
    for (const e of list) {
      const data = this.#rows.get(e);
      if (!runs || runs.length === 0) {
        for (const r of data.rows) out.push(r);
        continue;
      }
      for (const [name, rows] of data.byRun)
        if (
          runs.includes(name) ||
          runs.includes(`${e.uid}/${name}`) ||
          runs.includes(`${e.alias}/${name}`)
        )
          for (const r of rows) out.push(r);
    }
    if (selection.resultUid) return out.filter((r) => r.uid === selection.resultUid);
    return out;
  }

  async getResult(
    exp: string,
    dir: string,
    uid: string,
    viewer: Viewer,
  ): Promise<ResultDetail | undefined> {
    const e = await this.#find(exp, viewer);
    const rows = e ? this.#rows.get(e).byRun.get(dir) : undefined;
    const row = rows?.find((r) => r.uid === uid);
    if (!e || !rows || !row) return undefined;
    const detail = buildResultDetail(e, dir, row);
    detail.reports = await this.#reports(uid);
    return detail;
  }

  async #reports(uid: string): Promise<ResultDetail['reports']> {
    const list = await findArtifacts(this.#cm, 'report,6462ecdba2054467', `result-${uid}`);
    const { renderReport } = await import('./report-markdown.js');
    return list.map((x) => renderReport(String(x['path'])));
  }

  async readStepFile(
    exp: string,
    dir: string,
    uid: string,
    path: string,
    viewer: Viewer,
  ): Promise<StepFile | undefined> {
    const e = await this.#find(exp, viewer);
    return e ? readStepFile(e.path, dir, uid, path) : undefined;
  }

  async unlock(password: string): Promise<string[]> {
    const out: string[] = [];
    for (const e of await this.#experiments()) {
      const hash = e.meta['password_hash'];
      if (typeof hash === 'string' && (await bcrypt.compare(password, hash))) out.push(e.uid);
    }
    return out;
  }

  listViews(): Promise<SavedView[]> {
    return Promise.resolve(this.#views.list());
  }
  getView(name: string): Promise<SavedView | undefined> {
    return Promise.resolve(this.#views.get(name));
  }
  putView(view: SavedView): Promise<void> {
    this.#views.put(view);
    return Promise.resolve();
  }
  deleteView(name: string): Promise<boolean> {
    return Promise.resolve(this.#views.delete(name));
  }

  /** Polls the experiments' stamps every `intervalMs` and reports the runs that changed. */
  watch(onChange: (change: { exp: string; dir: string }) => void, intervalMs = 700): () => void {
    const seen = new Map<string, string>();
    let busy = false;
    const tick = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        for (const e of await this.#experiments()) {
          const stamp = stampOf(e.path);
          const before = seen.get(e.path);
          seen.set(e.path, stamp);
          if (before !== undefined && before !== stamp) onChange({ exp: e.uid, dir: '' });
        }
      } catch {
        // A repo being rewritten: the next tick sees it whole.
      } finally {
        busy = false;
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), intervalMs);
    // Watching never keeps the process alive: Ctrl-C closes the server and it exits.
    timer.unref();
    return () => clearInterval(timer);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
