// The compare table (gui.md §5.5 item 4, after MLflow's): one row per key, one column per result,
// the first column the baseline; numbers in the other columns show Δ and %Δ against it. Rows whose
// values are all equal carry `data-same` so that "Show diff only" can hide them.
import type { ResultRow } from '../../../src/core/results/types.js';
import { display, h } from '../dom.js';
import { idPath } from '../api.js';
import { formatNumber } from './format.js';
import { PREFERRED_KEYS } from '../../../src/core/results/key-catalogue.js';

const PROVENANCE = [
  'experiment_alias',
  'experiment_uid',
  'experiment_tags',
  'experiment_dir',
  'repo',
  'uid',
  'iso_datetime',
  '_id',
];

export function compareKeys(rows: ResultRow[]): string[] {
  const all = new Set(rows.flatMap((r) => Object.keys(r)));
  const first: string[] = PREFERRED_KEYS.filter((k) => all.has(k));
  const last = PROVENANCE.filter((k) => all.has(k));
  const rest = [...all]
    .filter((k) => !first.includes(k) && !last.includes(k))
    .sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
  return [...first, ...rest, ...last];
}

export function isSame(rows: ResultRow[], key: string): boolean {
  const first = JSON.stringify(rows[0]?.[key] ?? null);
  return rows.every((r) => JSON.stringify(r[key] ?? null) === first);
}

/** "Δ +300 (+25.0%)"; %Δ only where the baseline is not 0. */
export function delta(value: number, base: number): string {
  const d = value - base;
  const sign = d > 0 ? '+' : '';
  const pct = base === 0 ? '' : ` (${sign}${((d / Math.abs(base)) * 100).toFixed(1)}%)`;
  return `Δ ${sign}${formatNumber(d)}${pct}`;
}

export interface CompareTableOptions {
  onBaseline(index: number): void;
  onRemove(index: number): void;
}

export function compareTable(rows: ResultRow[], o: CompareTableOptions): HTMLElement {
  const base = rows[0];
  const body = compareKeys(rows).map((key) => {
    const same = isSame(rows, key);
    return h(
      'tr',
      { 'data-testid': 'compare-row', 'data-key': key, 'data-same': same ? '1' : undefined },
      h('th', {}, key),
      ...rows.map((r, i) => {
        const v = r[key];
        const b = base?.[key];
        const showDelta = i > 0 && typeof v === 'number' && typeof b === 'number' && v !== b;
        return h(
          'td',
          { class: same ? '' : 'differs' },
          display(v),
          showDelta
            ? h('span', { class: 'delta', 'data-testid': 'delta' }, ` ${delta(v, b)}`)
            : null,
        );
      }),
    );
  });
  return h(
    'table',
    { class: 'compare', 'data-testid': 'compare-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Key'), ...rows.map((r, i) => columnHead(r, i, o)))),
    h('tbody', {}, ...body),
  );
}

function columnHead(r: ResultRow, i: number, o: CompareTableOptions): HTMLElement {
  return h(
    'th',
    { 'data-testid': 'compare-column', 'data-id': r._id },
    h(
      'a',
      { href: `/result/${idPath(r._id)}`, 'data-link': true },
      `${r.experiment_alias || r.experiment_uid} ${r.uid}`,
    ),
    h(
      'div',
      { class: 'column-tools' },
      i === 0
        ? h('span', { class: 'baseline', 'data-testid': 'baseline' }, 'baseline')
        : h('button', { type: 'button', onclick: () => o.onBaseline(i) }, 'Make baseline'),
      h(
        'button',
        { type: 'button', 'aria-label': `remove ${r._id}`, onclick: () => o.onRemove(i) },
        '×',
      ),
    ),
  );
}
