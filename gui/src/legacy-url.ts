// CM's `_graph` / playground URLs (`/?action=experiments&name=..&result_uid=..&type=..&x=..`)
// mapped onto the explore page's parameters (gui.md §5.5). The result-detail case needs a lookup
// and is done by the experiments page.

/** Parameters that only a `_graph` link puts on `/` (`tags` alone is the experiments page's). */
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

/** Parameters that keep their name and value on the explore page. */
const PASS_THROUGH = ['name', 'tags', 'x', 'y', 'c', 's', 'title', 'derived_metrics', 'filter'];

/** CM's chart types: both scatter kinds (static Plotly, interactive mpld3) are one scatter now. */
const TYPES: Record<string, string> = { '2d-static': 'scatter', '2d': 'scatter', bar: 'bar' };

/** `action=experiments`, or no action and a parameter only `_graph` had. */
export function isLegacyUrl(q: URLSearchParams): boolean {
  const action = q.get('action');
  if (action !== null) return action === 'experiments';
  return LEGACY_ONLY.some((k) => q.has(k));
}

/** The explore page's query for a legacy URL without `result_uid`. */
export function legacyExploreQuery(q: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of PASS_THROUGH) {
    const v = q.get(k);
    if (v !== null && v !== '') out.set(k, v);
  }
  const type = q.get('type');
  // Scatter is the explore page's default chart: left out, as its canonical URLs do.
  if (type && TYPES[type] && TYPES[type] !== 'scatter') out.set('type', TYPES[type]);
  return out;
}
