// The results playground's data (gui.md §5.2, §5.6): what the HTTP API sends and the browser
// reads. Plain types only, shared by the server, the stores and the front end (which bundles
// src/core), so that both sides agree by construction.

/** A flat result plus its reserved provenance fields (gui.md §5.2). */
export type ResultRow = Record<string, unknown> & {
  /** `<experiment uid>/<run dir name>/<result uid>`: unique and stable across stores. */
  _id: string;
  experiment_uid: string;
  experiment_alias: string;
  /** Comma-joined, as CM's `_graph` page has it. */
  experiment_tags: string;
  /** The run folder's name (not a path: paths differ between machines and stores). */
  experiment_dir: string;
  /** The result's own uid (generated from the row's content when a producer gave none). */
  uid: string;
};

export type KeyKind = 'number' | 'string' | 'boolean' | 'mixed' | 'json';
export type KeyOrigin = 'explored' | 'derived' | 'provenance' | 'result';

/** One key of the catalogue (gui.md §5.2). */
export interface KeyInfo {
  name: string;
  kind: KeyKind;
  /** Rows with a value (not null, not missing). */
  present: number;
  distinct: number;
  /** More than `distinct` values: counting stopped there (ids, measurements). */
  distinctCapped?: boolean;
  min?: number;
  max?: number;
  /** Up to 20 distinct values, in first-seen order. */
  samples: unknown[];
  /** The same value in every row that has it, and every row has it. */
  constant: boolean;
  origin: KeyOrigin;
}

/** Which rows a query starts from. Empty selection: every visible experiment. */
export interface Selection {
  /** Experiments having all these tags. */
  tags?: string[];
  /** Experiment uids or aliases. */
  experiments?: string[];
  /** Run folder names (`experiment uid/run dir` or just `run dir`). */
  runs?: string[];
  /** Only the rows whose `uid` is this (CM's `result_uid`). */
  resultUid?: string;
}

export type ConstraintOp = '<' | '<=' | '==' | '!=' | '>' | '>=';
/** An expression, or CK's structured condition `{key, op, value}`. */
export type Constraint = { expr: string } | { key: string; op: ConstraintOp; value: unknown };

export interface ParetoRequest {
  objectives: Array<{ key: string; goal: 'min' | 'max' }>;
  /** Keep only frontier rows. */
  only?: boolean;
}

export type AggName = 'mean' | 'min' | 'max' | 'median' | 'count';

export interface QueryRequest {
  selection?: Selection;
  /** Derived metrics: `name = expr` lines (or CM's `result['name'] = expr`). */
  derived?: string;
  filter?: string;
  constraints?: Constraint[];
  /** Rows violating a constraint are returned with `_violates: true` instead of dropped. */
  showViolating?: boolean;
  pareto?: ParetoRequest;
  /** Group keys; with `agg`, one row per group with `key#min/#max/#mean/#range_percent/#repeats`. */
  group?: string[];
  agg?: AggName;
  sort?: Array<{ key: string; desc?: boolean }>;
  /** Keys to return (provenance fields are always returned); absent: all. */
  columns?: string[];
  offset?: number;
  limit?: number;
  /** Rows keep `_id` alone of their provenance fields; `experiments` names them (slim-rows.ts). */
  slim?: boolean;
}

/** Where an expression failed: a 200 answer with these, never a 5xx (gui.md §5.6). */
export interface QueryError {
  part: 'derived' | 'filter' | 'constraints' | 'pareto' | 'group' | 'sort' | 'selection';
  message: string;
  /** 1-based column in the expression (for `derived`, within its line). */
  position?: number;
  line?: number;
  /** Rows whose evaluation failed (per-row errors give null and are counted). */
  rowsAffected?: number;
  /** What to try instead (`use == to compare`), when the language knows. */
  hint?: string;
  /** For `constraints`: which constraint of the request (0-based). */
  index?: number;
}

export interface QueryResponse {
  /** Rows after everything, sorted, paged; frontier rows carry `_frontier: 1` and `_rank`. */
  rows: ResultRow[];
  keys: KeyInfo[];
  /** Rows before paging. */
  total: number;
  excluded: { filter: number; constraints: number; paretoMissing: number };
  /** `_id`s on the Pareto frontier. */
  frontier: string[];
  errors: QueryError[];
  /** With `slim`: each experiment's alias and tags (comma-joined), by uid. */
  experiments?: Record<string, { alias: string; tags: string }>;
}

export interface ExperimentSummary {
  uid: string;
  alias: string;
  tags: string[];
  repo: string;
  path: string;
  runs: number;
  results: number;
  /** ISO time of the newest run, when known. */
  lastRun?: string;
  /** Has a `password_hash` (listed only once unlocked). */
  protected: boolean;
}

export interface RunSummary {
  dir: string;
  results: number;
  started?: string;
  hasInput: boolean;
}

export interface ExperimentDetail extends ExperimentSummary {
  meta: Record<string, unknown>;
  runs_list: RunSummary[];
}

export interface ReportInfo {
  alias: string;
  title: string;
  /** The report's README.md rendered to HTML with raw HTML disabled (safe to insert). */
  html: string;
}

export interface ResultDetail {
  row: ResultRow;
  /** The run's cm-input.json (how the experiment was invoked), when there is one. */
  runInput?: Record<string, unknown>;
  /** The step's cm-input.json (command, env), when the row names its step folder. */
  stepInput?: Record<string, unknown>;
  /** Files of the step folder (relative paths, sizes) for GET /api/files/... */
  files: Array<{ path: string; size: number }>;
  reports: ReportInfo[];
  /** Keys `acm_ctuning_repro_badge_*` that are truthy. */
  badges: string[];
  commands: { replay: string; original?: string };
}

/** A saved view: the explore page's URL parameters under a name (gui.md §5.5 item 5). */
export interface SavedView {
  name: string;
  params: Record<string, string>;
  /** CK's graph descriptor parts, when the view came from one. */
  table_view?: Array<{ key: string; name?: string; type?: string; format?: string }>;
  default_key_x?: string;
  default_key_y?: string;
}

export interface Health {
  version: string;
  repos: string[];
  readOnly: boolean;
  execAllowed: boolean;
  backend: 'local' | 'postgres';
  watch: boolean;
}

export type ChartType = 'scatter' | 'bar' | 'line' | 'parallel' | 'table';

/**
 * The explore page's state: everything its URL carries (view-url.ts converts both ways, and maps
 * CM's legacy `_graph` parameters). Absent fields take the page's defaults.
 */
export interface ViewState {
  selection: Selection;
  type: ChartType;
  x?: string;
  y?: string;
  xLog?: boolean;
  yLog?: boolean;
  /** Colour key (CM `c`). */
  color?: string;
  /** Symbol key (CM `s`). */
  symbol?: string;
  size?: string;
  title?: string;
  derived?: string;
  filter?: string;
  /** Constraint expressions, ANDed. */
  constraints: string[];
  showViolating?: boolean;
  pareto?: ParetoRequest;
  group?: string[];
  agg?: AggName;
  sort?: Array<{ key: string; desc?: boolean }>;
  /** Table columns chosen by the user (absent: CM's order of all keys). */
  columns?: string[];
  onlyChanged?: boolean;
  /** Parallel-coordinates axes. */
  axes?: string[];
  /** Quick search over the table. */
  search?: string;
}
