// What the playground's HTTP API needs from where results live: the local repos (local-store.ts)
// or a team's PostgreSQL (postgres/). The API and the GUI are the same over either.
import type {
  ExperimentDetail,
  ExperimentSummary,
  ResultDetail,
  ResultRow,
  SavedView,
  Selection,
} from '../../core/results/types.js';

/** What one client may see: protected experiments it unlocked (by uid). */
export interface Viewer {
  unlocked: ReadonlySet<string>;
}

export interface ExperimentFilter {
  tags?: string[];
  name?: string;
  /** Free text over alias and tags. */
  q?: string;
  repo?: string;
}

/** A file of a step folder, read for GET /api/files (capped; `undefined` when absent). */
export interface StepFile {
  bytes: Uint8Array<ArrayBuffer>;
  truncated: boolean;
}

export interface ResultStore {
  readonly kind: 'local' | 'postgres';
  /** Repos (local) or the database name (postgres) for /api/health. */
  describe(): string[];
  listExperiments(filter: ExperimentFilter, viewer: Viewer): Promise<ExperimentSummary[]>;
  /** By uid or alias; undefined when unknown or protected and locked. */
  getExperiment(id: string, viewer: Viewer): Promise<ExperimentDetail | undefined>;
  getRun(
    id: string,
    dir: string,
    viewer: Viewer,
  ): Promise<{ input?: Record<string, unknown>; rows: ResultRow[] } | undefined>;
  /** Every row the selection names, visible to `viewer`, with provenance fields set. */
  selectRows(selection: Selection, viewer: Viewer): Promise<ResultRow[]>;
  getResult(
    exp: string,
    dir: string,
    uid: string,
    viewer: Viewer,
  ): Promise<ResultDetail | undefined>;
  /** A file of the result's step folder; `path` is already checked to stay inside it. */
  readStepFile(
    exp: string,
    dir: string,
    uid: string,
    path: string,
    viewer: Viewer,
  ): Promise<StepFile | undefined>;
  /** The uids of protected experiments whose password_hash matches. */
  unlock(password: string): Promise<string[]>;
  listViews(): Promise<SavedView[]>;
  getView(name: string): Promise<SavedView | undefined>;
  putView(view: SavedView): Promise<void>;
  deleteView(name: string): Promise<boolean>;
  /** Calls `onChange` when results change (for --watch); returns a stop function. */
  watch?(onChange: (change: { exp: string; dir: string }) => void): () => void;
  close(): Promise<void>;
}
