// Stand-ins for src/core/results/{view-url,query,csv}.ts until branch gui-query lands in main;
// the same names and URL parameters (deleted after the merge).
import type {
  AggName,
  ChartType,
  ParetoRequest,
  QueryRequest,
  ResultRow,
  ViewState,
} from '../../../src/core/results/types.js';

const TYPES: readonly ChartType[] = ['scatter', 'bar', 'line', 'parallel', 'table'];
const AGGS: readonly AggName[] = ['mean', 'min', 'max', 'median', 'count'];

function list(v: string | null): string[] | undefined {
  if (v === null) return undefined;
  const parts = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return parts.length ? parts : undefined;
}

function text(params: URLSearchParams, name: string): string | undefined {
  const v = params.get(name);
  return v === null || v === '' ? undefined : v;
}

export function viewFromParams(params: URLSearchParams): ViewState {
  const type = params.get('type') as ChartType | null;
  const agg = params.get('agg') as AggName | null;
  const pareto = list(params.get('pareto'));
  const v: ViewState = {
    selection: {
      tags: list(params.get('tags')),
      experiments: list(params.get('name')),
      runs: list(params.get('runs')),
      resultUid: text(params, 'result_uid'),
    },
    type: type && TYPES.includes(type) ? type : 'scatter',
    x: text(params, 'x'),
    y: text(params, 'y'),
    xLog: params.get('xlog') === '1',
    yLog: params.get('ylog') === '1',
    color: text(params, 'c'),
    symbol: text(params, 's'),
    size: text(params, 'size'),
    title: text(params, 'title'),
    derived: text(params, 'derived_metrics'),
    filter: text(params, 'filter'),
    constraints: params.getAll('constraint').filter(Boolean),
    showViolating: params.get('greyed') === '1',
    group: list(params.get('group')),
    agg: agg && AGGS.includes(agg) ? agg : undefined,
    sort: list(params.get('sort'))?.map((s) =>
      s.startsWith('-') ? { key: s.slice(1), desc: true } : { key: s },
    ),
    columns: list(params.get('cols')),
    onlyChanged: params.get('only_changed') === '1',
    axes: list(params.get('axes')),
    search: text(params, 'q'),
  };
  if (pareto) {
    const objectives: ParetoRequest['objectives'] = pareto.map((p) => {
      const i = p.lastIndexOf(':');
      const goal = i < 0 ? '' : p.slice(i + 1);
      return goal === 'min' || goal === 'max'
        ? { key: p.slice(0, i), goal }
        : { key: p, goal: guessGoal(p) };
    });
    v.pareto = { objectives, only: params.get('frontier_only') === '1' };
  }
  return v;
}

export function paramsOfView(v: ViewState): URLSearchParams {
  const p = new URLSearchParams();
  const set = (name: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') p.set(name, value);
  };
  set('tags', v.selection.tags?.join(','));
  set('name', v.selection.experiments?.join(','));
  set('runs', v.selection.runs?.join(','));
  set('result_uid', v.selection.resultUid);
  if (v.type !== 'scatter') p.set('type', v.type);
  set('x', v.x);
  set('y', v.y);
  if (v.xLog) p.set('xlog', '1');
  if (v.yLog) p.set('ylog', '1');
  set('c', v.color);
  set('s', v.symbol);
  set('size', v.size);
  set('title', v.title);
  set('derived_metrics', v.derived);
  set('filter', v.filter);
  for (const c of v.constraints) p.append('constraint', c);
  if (v.showViolating) p.set('greyed', '1');
  if (v.pareto?.objectives.length) {
    p.set('pareto', v.pareto.objectives.map((o) => `${o.key}:${o.goal}`).join(','));
    if (v.pareto.only) p.set('frontier_only', '1');
  }
  set('group', v.group?.join(','));
  set('agg', v.agg);
  set('sort', v.sort?.map((s) => `${s.desc ? '-' : ''}${s.key}`).join(','));
  set('cols', v.columns?.join(','));
  if (v.onlyChanged) p.set('only_changed', '1');
  set('axes', v.axes?.join(','));
  set('q', v.search);
  return p;
}

export function queryOfView(v: ViewState): QueryRequest {
  return {
    selection: v.selection,
    derived: v.derived,
    filter: v.filter,
    constraints: v.constraints.map((expr) => ({ expr })),
    showViolating: v.showViolating,
    pareto: v.pareto?.objectives.length ? v.pareto : undefined,
    group: v.group,
    agg: v.agg,
    sort: v.sort,
    columns: v.columns,
  };
}

export function guessGoal(key: string): 'min' | 'max' {
  return /time|latency|ms|energy|power|size|cost|memory/i.test(key) ? 'min' : 'max';
}

function cell(v: unknown): string {
  const s =
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly ResultRow[], columns: readonly string[]): string {
  return [columns, ...rows.map((r) => columns.map((c) => r[c]))]
    .map((line) => line.map(cell).join(','))
    .join('\n')
    .concat('\n');
}
