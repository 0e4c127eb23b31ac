// A table that keeps only the rows in view in the DOM (plus a margin), so 50,000 rows scroll
// as fast as 50: fixed row height, two spacer rows standing in for the rest.
import type { ResultRow } from '../../../src/core/results/types.js';
import { h, replace } from '../dom.js';

export const ROW_HEIGHT = 26;
const MARGIN = 10;
/** Height of the scroll box when it has not been laid out yet. */
const FALLBACK_HEIGHT = 440;

export interface VirtualTable {
  el: HTMLElement;
  /** Shows `rows` under `header`; `renderRow` builds one row's `<tr>`. */
  show(header: HTMLTableRowElement, rows: readonly ResultRow[]): void;
}

export function virtualTable(renderRow: (row: ResultRow) => HTMLTableRowElement): VirtualTable {
  const thead = h('thead');
  const tbody = h('tbody');
  const el = h(
    'div',
    { class: 'table-scroll', 'data-testid': 'table-scroll' },
    h('table', { class: 'results', 'data-testid': 'table' }, thead, tbody),
  );
  let rows: readonly ResultRow[] = [];
  let columns = 1;
  let frame = 0;
  let shown = '';

  const draw = (): void => {
    frame = 0;
    const height = el.clientHeight || FALLBACK_HEIGHT;
    const first = Math.max(0, Math.floor(el.scrollTop / ROW_HEIGHT) - MARGIN);
    const last = Math.min(rows.length, Math.ceil((el.scrollTop + height) / ROW_HEIGHT) + MARGIN);
    const key = `${first}:${last}`;
    if (key === shown) return;
    shown = key;
    const spacer = (n: number): HTMLTableRowElement | null =>
      n > 0
        ? h(
            'tr',
            { class: 'spacer', style: `height:${n * ROW_HEIGHT}px` },
            h('td', { colspan: columns }),
          )
        : null;
    replace(
      tbody,
      spacer(first),
      ...rows.slice(first, last).map(renderRow),
      spacer(rows.length - last),
    );
  };
  el.addEventListener('scroll', () => {
    if (!frame) frame = requestAnimationFrame(draw);
  });

  return {
    el,
    show(header, next) {
      replace(thead, header);
      rows = next;
      columns = header.cells.length;
      shown = '';
      draw();
    },
  };
}
