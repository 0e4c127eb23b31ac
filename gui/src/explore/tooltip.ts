// A point's hover card: where the row comes from (experiment alias, run dir, uid), the plotted
// keys, then the first other keys in catalogue order. Built as DOM text (ECharts would take an
// HTML string, and result values may carry markup), so nothing in a value is ever parsed.
import type { ResultRow } from '../../../src/core/results/types.js';
import { display, h } from '../dom.js';

const TOP_KEYS = 8;
const PROVENANCE = new Set([
  'experiment_alias',
  'experiment_dir',
  'uid',
  'experiment_uid',
  'experiment_tags',
]);

export function tooltipOf(
  row: ResultRow,
  shown: readonly string[],
  catalogue: readonly string[],
): HTMLElement {
  const line = (key: string, value: unknown): HTMLElement =>
    h('div', { 'data-key': key }, h('b', {}, key), ': ', display(value));
  const chosen = [...new Set(shown)].filter((k) => !PROVENANCE.has(k));
  const others = catalogue
    .filter(
      (k) =>
        !k.startsWith('_') && !PROVENANCE.has(k) && !chosen.includes(k) && row[k] !== undefined,
    )
    .slice(0, TOP_KEYS);
  return h(
    'div',
    { class: 'chart-tooltip', 'data-testid': 'tooltip' },
    h('div', { class: 'tooltip-title' }, display(row.experiment_alias)),
    line('experiment_dir', row.experiment_dir),
    line('uid', row.uid),
    ...chosen.map((k) => line(k, row[k])),
    others.length ? h('hr') : null,
    ...others.map((k) => line(k, row[k])),
    row['_frontier'] ? h('div', { class: 'tooltip-flag' }, 'on the Pareto frontier') : null,
  );
}

/** A row standing for one result (not an aggregated group) has a detail page. */
export function isOpenable(row: ResultRow): boolean {
  return !row._id.startsWith('group:') && !!row.uid && !!row.experiment_dir && !!row.experiment_uid;
}

/** The result detail page of a row (gui.md §5.5 item 3). */
export function resultPath(row: ResultRow): string {
  return `/result/${[row.experiment_uid, row.experiment_dir, row.uid].map(encodeURIComponent).join('/')}`;
}
