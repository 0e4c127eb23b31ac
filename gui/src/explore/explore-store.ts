// The explore page's state and its last answer: every control change goes through `update`,
// which writes the URL and, when the change alters which rows come back, asks POST /api/query.
// An answer with a broken expression keeps the previous rows (the chart stays as it was).
import type { QueryError, QueryResponse, ViewState } from '../../../src/core/results/types.js';
import { api, ApiError } from '../api.js';
import { setQuery } from '../router.js';
import { paramsOfView, queryOfView } from '../../../src/core/results/view-url.js';

/** Brushed ranges of one parallel-coordinates axis (category axes brush category positions). */
export interface AxisBrush {
  intervals: Array<[number, number]>;
  /** The axis's categories, when it is a category axis. */
  categories?: string[];
}

export interface ExploreModel {
  readonly view: ViewState;
  /** The last answer without a broken expression: what the chart and table show. */
  readonly data: QueryResponse | undefined;
  /** Errors of the last query (a broken expression's error kept `data` as it was). */
  readonly errors: readonly QueryError[];
  readonly isLoading: boolean;
  /** Parallel-coordinates brushes by axis key: the table keeps rows inside all of them. */
  readonly brush: ReadonlyMap<string, AxisBrush>;
  /** `_id`s of the rows ticked in the table (for Compare). */
  readonly selected: ReadonlySet<string>;
}

/**
 * What a change touched: `query` (rows may differ), `view` (drawing only), `data` (an answer
 * came), `table` (brushes, loading), `selection` (a row ticked: nothing moves).
 */
export type Change = 'query' | 'view' | 'data' | 'table' | 'selection';

/** View fields that change which rows the server returns. */
const QUERY_FIELDS: ReadonlySet<keyof ViewState> = new Set<keyof ViewState>([
  'selection',
  'derived',
  'filter',
  'constraints',
  'showViolating',
  'pareto',
  'group',
  'agg',
]);

/**
 * A broken expression (its step was skipped, so the rows are not what the user asked for), as
 * opposed to per-row evaluation failures, which are counted in `rowsAffected` and only reported.
 */
export function isBroken(e: QueryError): boolean {
  return e.rowsAffected === undefined;
}

export interface ExploreStore {
  readonly model: ExploreModel;
  update(patch: Partial<ViewState>): void;
  /** Asks the server again (the results changed on disk). */
  refresh(): Promise<void>;
  setBrush(key: string, brush: AxisBrush | undefined): void;
  setSelected(id: string, isSelected: boolean): void;
  subscribe(listener: (change: Change) => void): void;
}

export function createExploreStore(initial: ViewState): ExploreStore {
  let model: ExploreModel = {
    view: initial,
    data: undefined,
    errors: [],
    isLoading: false,
    brush: new Map(),
    selected: new Set(),
  };
  const listeners: Array<(change: Change) => void> = [];
  const emit = (change: Change): void => {
    for (const l of listeners) l(change);
  };
  let generation = 0;

  async function refresh(): Promise<void> {
    const mine = ++generation;
    model = { ...model, isLoading: true };
    emit('table');
    // Sorting, columns and paging stay in the page: the chart needs every row and every key.
    const { sort: _sort, columns: _columns, ...request } = queryOfView(model.view);
    let data: QueryResponse | undefined;
    let errors: QueryError[];
    try {
      data = await api.query(request);
      errors = data.errors;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      errors = [{ part: 'selection', message: e.hint ? `${e.message} (${e.hint})` : e.message }];
    }
    if (mine !== generation) return;
    // A first answer is shown even with a broken expression (its step skipped): there is no
    // earlier state to keep.
    const isUsable = data !== undefined && (!errors.some(isBroken) || model.data === undefined);
    model = { ...model, isLoading: false, errors, data: isUsable ? data : model.data };
    emit('data');
  }

  return {
    get model() {
      return model;
    },
    update(patch) {
      model = { ...model, view: { ...model.view, ...patch } };
      setQuery(paramsOfView(model.view));
      const isQuery = Object.keys(patch).some((k) => QUERY_FIELDS.has(k as keyof ViewState));
      if (isQuery) void refresh();
      emit(isQuery ? 'query' : 'view');
    },
    refresh,
    setBrush(key, brush) {
      const next = new Map(model.brush);
      if (brush && brush.intervals.length > 0) next.set(key, brush);
      else next.delete(key);
      model = { ...model, brush: next };
      emit('table');
    },
    setSelected(id, isSelected) {
      const next = new Set(model.selected);
      if (isSelected) next.add(id);
      else next.delete(id);
      model = { ...model, selected: next };
      emit('selection');
    },
    subscribe(listener) {
      listeners.push(listener);
    },
  };
}
