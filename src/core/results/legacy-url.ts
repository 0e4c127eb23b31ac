// CM's `_graph` page URLs (gui.md §1.2, §5.5): `?action=experiments&name=..&tags=..&type=2d&x=..`
// mapped onto the explore page, or onto a result's detail page when they name a `result_uid`.
import { paramsOfView, DEFAULT_CHART } from './view-url.js';
import type { ChartType, ViewState } from './types.js';

export type LegacyRedirect =
  | { kind: 'explore'; path: '/explore'; params: URLSearchParams }
  | {
      kind: 'result';
      path: '/result';
      /** The `name` parameter (an experiment alias or uid), when given. */
      experiment?: string;
      resultUid: string;
      /** The explore page of the same selection, for when the result cannot be found. */
      params: URLSearchParams;
    };

/** Parameters only the `_graph` page used (`tags` alone is also the experiments page's). */
const LEGACY_ONLY = [
  'name',
  'result_uid',
  'type',
  'x',
  'y',
  'c',
  's',
  'title',
  'derived_metrics',
  'filter',
];

const LEGACY_TYPES: Readonly<Record<string, ChartType>> = {
  '2d-static': 'scatter',
  '2d': 'scatter',
  bar: 'bar',
};

function given(params: URLSearchParams, name: string): string | undefined {
  const v = params.get(name)?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/**
 * Where a request for `/` with these parameters belongs, or undefined when they are not a
 * `_graph` URL: `action` must be `experiments`, or absent with a parameter only `_graph` had.
 * Tags may be separated by commas or spaces (as the page accepted them).
 */
export function legacyRedirect(params: URLSearchParams): LegacyRedirect | undefined {
  const action = params.get('action');
  if (action !== null && action !== 'experiments') return undefined;
  if (action === null && !LEGACY_ONLY.some((name) => params.has(name))) return undefined;

  const name = given(params, 'name');
  const tags = (given(params, 'tags') ?? '').split(/[\s,]+/).filter((t) => t !== '');
  const view: ViewState = {
    selection: {},
    type: LEGACY_TYPES[given(params, 'type') ?? ''] ?? DEFAULT_CHART,
    constraints: [],
  };
  if (tags.length > 0) view.selection.tags = tags;
  if (name !== undefined) view.selection.experiments = [name];
  const strings = [
    ['x', 'x'],
    ['y', 'y'],
    ['color', 'c'],
    ['symbol', 's'],
    ['title', 'title'],
    ['derived', 'derived_metrics'],
    ['filter', 'filter'],
  ] as const;
  for (const [field, param] of strings) {
    const v = params.get(param);
    if (v !== null && v.trim() !== '') view[field] = v;
  }
  const resultUid = given(params, 'result_uid');
  if (resultUid === undefined)
    return { kind: 'explore', path: '/explore', params: paramsOfView(view) };
  return {
    kind: 'result',
    path: '/result',
    ...(name !== undefined ? { experiment: name } : {}),
    resultUid,
    params: paramsOfView({ ...view, selection: { ...view.selection, resultUid } }),
  };
}
