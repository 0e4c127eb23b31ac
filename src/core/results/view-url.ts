// The explore page's URL (gui.md §5.5 item 2): ViewState to search parameters and back, exact
// for a canonical view (defaults and empty values left out, parameters in one fixed order), and
// the QueryRequest a view asks the API for. CM's legacy `_graph` URLs are legacy-url.ts.
import { guessGoal } from './guess-goal.js';
import type { AggName, ChartType, ParetoRequest, QueryRequest, ViewState } from './types.js';

/** The chart type of a view whose URL names none. */
export const DEFAULT_CHART: ChartType = 'scatter';

const CHART_TYPES: ReadonlySet<string> = new Set<ChartType>([
  'scatter',
  'bar',
  'line',
  'parallel',
  'table',
]);
/** CM's `_graph` chart types. */
const LEGACY_CHART_TYPES: Readonly<Record<string, ChartType>> = {
  '2d-static': 'scatter',
  '2d': 'scatter',
};
const AGGS: ReadonlySet<string> = new Set<AggName>(['mean', 'min', 'max', 'median', 'count']);

/** Comma-separated values, trimmed, empty ones dropped. */
function listOf(text: string | null): string[] {
  if (text === null) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function isOn(text: string | null): boolean {
  return text === '1' || text === 'true';
}

/** `Result:max,Result_Power:min` (goals in any case); a piece without a valid goal gets the guessed one. */
function objectivesOf(text: string | null): ParetoRequest['objectives'] {
  const out: ParetoRequest['objectives'] = [];
  for (const piece of listOf(text)) {
    const at = piece.lastIndexOf(':');
    const written =
      at < 0
        ? ''
        : piece
            .slice(at + 1)
            .trim()
            .toLowerCase();
    const isGoal = written === 'min' || written === 'max';
    const key = isGoal ? piece.slice(0, at).trim() : piece;
    if (key === '' || out.some((o) => o.key === key)) continue;
    out.push({ key, goal: isGoal ? written : guessGoal(key) });
  }
  return out;
}

/** `time,-acc`: a leading minus sorts that key in descending order. */
function sortOf(text: string | null): NonNullable<ViewState['sort']> {
  return listOf(text).flatMap((piece) => {
    const isDesc = piece.startsWith('-');
    const key = isDesc ? piece.slice(1).trim() : piece;
    if (key === '') return [];
    return [isDesc ? { key, desc: true } : { key }];
  });
}

function chartTypeOf(text: string | null): ChartType {
  if (text === null) return DEFAULT_CHART;
  if (CHART_TYPES.has(text)) return text as ChartType;
  return LEGACY_CHART_TYPES[text] ?? DEFAULT_CHART;
}

/** The state a URL's parameters describe; unknown or malformed values fall back to defaults. */
export function viewFromParams(params: URLSearchParams): ViewState {
  const text = (name: string): string | undefined => {
    const v = params.get(name);
    return v === null || v === '' ? undefined : v;
  };
  const list = (name: string): string[] | undefined => {
    const v = listOf(params.get(name));
    return v.length > 0 ? v : undefined;
  };
  const on = (name: string): true | undefined => (isOn(params.get(name)) ? true : undefined);
  const view: ViewState = { selection: {}, type: chartTypeOf(params.get('type')), constraints: [] };
  const set = <K extends keyof ViewState>(field: K, value: ViewState[K] | undefined): void => {
    if (value !== undefined) view[field] = value;
  };
  const sel = view.selection;
  const tags = list('tags');
  if (tags) sel.tags = tags;
  const experiments = list('name');
  if (experiments) sel.experiments = experiments;
  const runs = list('runs');
  if (runs) sel.runs = runs;
  const resultUid = text('result_uid');
  if (resultUid) sel.resultUid = resultUid;
  set('x', text('x'));
  set('xLog', on('xlog'));
  set('y', text('y'));
  set('yLog', on('ylog'));
  // `c=` (present, empty) is "no colour key", unlike an absent `c` (the default, `version`).
  set('color', params.has('c') && params.get('c') === '' ? '' : text('c'));
  set('symbol', text('s'));
  set('size', text('size'));
  set('title', text('title'));
  set('derived', text('derived_metrics'));
  set('filter', text('filter'));
  view.constraints = params.getAll('constraint').filter((c) => c.trim() !== '');
  set('showViolating', on('greyed'));
  const objectives = objectivesOf(params.get('pareto'));
  const isFrontierOnly = isOn(params.get('frontier_only'));
  if (objectives.length > 0 || isFrontierOnly)
    view.pareto = isFrontierOnly ? { objectives, only: true } : { objectives };
  set('group', list('group'));
  const agg = params.get('agg');
  if (agg !== null && AGGS.has(agg)) view.agg = agg as AggName;
  const sort = sortOf(params.get('sort'));
  if (sort.length > 0) view.sort = sort;
  set('columns', list('cols'));
  set('onlyChanged', on('only_changed'));
  set('axes', list('axes'));
  set('search', text('q'));
  return view;
}

/**
 * The URL parameters of a view, in a fixed order, leaving out defaults (scatter, false flags)
 * and empty values, so that equal views give equal URLs.
 */
export function paramsOfView(view: ViewState): URLSearchParams {
  const p = new URLSearchParams();
  const text = (name: string, v: string | undefined): void => {
    if (v !== undefined && v !== '') p.append(name, v);
  };
  const list = (name: string, v: readonly string[] | undefined): void => {
    if (v && v.length > 0) p.append(name, v.join(','));
  };
  const flag = (name: string, v: boolean | undefined): void => {
    if (v === true) p.append(name, '1');
  };
  const sel = view.selection;
  list('tags', sel.tags);
  list('name', sel.experiments);
  list('runs', sel.runs);
  text('result_uid', sel.resultUid);
  if (view.type !== DEFAULT_CHART) p.append('type', view.type);
  text('x', view.x);
  flag('xlog', view.xLog);
  text('y', view.y);
  flag('ylog', view.yLog);
  if (view.color === '') p.append('c', '');
  else text('c', view.color);
  text('s', view.symbol);
  text('size', view.size);
  text('title', view.title);
  text('derived_metrics', view.derived);
  text('filter', view.filter);
  for (const c of view.constraints) text('constraint', c);
  flag('greyed', view.showViolating);
  list(
    'pareto',
    view.pareto?.objectives.map((o) => `${o.key}:${o.goal}`),
  );
  flag('frontier_only', view.pareto?.only);
  list('group', view.group);
  text('agg', view.agg);
  list(
    'sort',
    view.sort?.map((s) => (s.desc === true ? `-${s.key}` : s.key)),
  );
  list('cols', view.columns);
  flag('only_changed', view.onlyChanged);
  list('axes', view.axes);
  text('q', view.search);
  return p;
}

/**
 * What the explore page asks POST /api/query for a view. Chosen table columns are widened with
 * the keys the chart and the sort need; the quick search stays in the page.
 */
export function queryOfView(view: ViewState): QueryRequest {
  const req: QueryRequest = { selection: { ...view.selection } };
  if (view.derived) req.derived = view.derived;
  if (view.filter) req.filter = view.filter;
  const constraints = view.constraints.filter((c) => c.trim() !== '');
  if (constraints.length > 0) req.constraints = constraints.map((expr) => ({ expr }));
  if (view.showViolating) req.showViolating = true;
  if (view.pareto && view.pareto.objectives.length > 0)
    req.pareto = view.pareto.only
      ? { objectives: view.pareto.objectives, only: true }
      : { objectives: view.pareto.objectives };
  if (view.group && view.group.length > 0) req.group = view.group;
  if (view.agg) req.agg = view.agg;
  if (view.sort && view.sort.length > 0) req.sort = view.sort;
  if (view.columns && view.columns.length > 0) {
    const chart = [view.x, view.y, view.color, view.symbol, view.size, ...(view.axes ?? [])];
    const needed = [...view.columns, ...chart, ...(view.sort ?? []).map((s) => s.key)];
    req.columns = [...new Set(needed.filter((k): k is string => k !== undefined && k !== ''))];
  }
  return req;
}
