// The results table (gui.md §5.5 item 2): quick search, column chooser, "Only changed columns",
// header clicks sorting ascending then descending, ticked rows for Compare, exports of exactly
// what is shown. Each row carries `data-id` and, on the Pareto frontier, `data-frontier="1"`.
import type { ResultRow } from '../../../src/core/results/types.js';
import { display, h, replace } from '../dom.js';
import { navigate } from '../router.js';
import { columnChooser } from './column-chooser.js';
import { checkbox, textControl } from './controls.js';
import { effectiveView } from './effective-view.js';
import type { ExploreStore } from './explore-store.js';
import { exportCsv, exportJson } from './export-view.js';
import { tableColumns, tableRows } from './table-rows.js';
import { isOpenable, resultPath } from './tooltip.js';
import { virtualTable } from './virtual-table.js';

/** `/compare?ids=a/b/c,d/e/f`: slashes kept readable, everything else escaped. */
export function comparePath(ids: readonly string[]): string {
  return `/compare?ids=${ids.map((id) => encodeURIComponent(id).replace(/%2F/g, '/')).join(',')}`;
}

export interface TableView {
  el: HTMLElement;
  render(): void;
  /** Shows which rows are ticked (after a tick: no row moves). */
  markSelection(): void;
}

export function tableView(store: ExploreStore): TableView {
  let rows: ResultRow[] = [];
  let columns: string[] = [];
  let frontier = new Set<string>();

  const renderRow = (row: ResultRow): HTMLTableRowElement => {
    const isSelected = store.model.selected.has(row._id);
    const box = h('input', {
      type: 'checkbox',
      'data-testid': 'row-select',
      checked: isSelected,
      onchange: () => store.setSelected(row._id, box.checked),
    });
    return h(
      'tr',
      {
        'data-id': row._id,
        'data-frontier': frontier.has(row._id) ? '1' : undefined,
        'data-violates': row['_violates'] ? '1' : undefined,
        class: [
          row['_violates'] ? 'violates' : '',
          frontier.has(row._id) ? 'frontier' : '',
          isSelected ? 'selected' : '',
        ]
          .filter(Boolean)
          .join(' '),
      },
      h(
        'td',
        { class: 'row-tools' },
        box,
        ' ',
        isOpenable(row)
          ? h('a', { href: resultPath(row), 'data-link': true, title: 'open result' }, '↗')
          : null,
      ),
      ...columns.map((c) => {
        const text = display(row[c]);
        return h('td', { 'data-col': c, title: text.length > 40 ? text : undefined }, text);
      }),
    );
  };
  const table = virtualTable(renderRow);

  const sortBy = (key: string): void => {
    const first = store.model.view.sort?.[0];
    const desc = first?.key === key && !first.desc;
    store.update({ sort: [desc ? { key, desc: true } : { key }] });
  };
  const header = (): HTMLTableRowElement => {
    const first = store.model.view.sort?.[0];
    return h(
      'tr',
      {},
      h('th', { class: 'row-tools' }),
      ...columns.map((c) =>
        h(
          'th',
          {
            'data-key': c,
            'aria-sort': first?.key === c ? (first.desc ? 'descending' : 'ascending') : undefined,
            onclick: () => sortBy(c),
          },
          c,
          first?.key === c ? (first.desc ? ' ▼' : ' ▲') : '',
        ),
      ),
    );
  };

  const search = textControl({
    testid: 'search',
    placeholder: 'search rows',
    delay: 250,
    onCommit: (v) => store.update({ search: v }),
  });
  const onlyChanged = checkbox('only-changed', 'Only changed columns', (v) =>
    store.update({ onlyChanged: v || undefined }),
  );
  const chooser = columnChooser(store);
  const count = h('span', { class: 'row-count', 'data-testid': 'row-count' });
  const compare = h(
    'button',
    {
      type: 'button',
      'data-testid': 'compare',
      onclick: () =>
        navigate(
          comparePath(rows.filter((r) => store.model.selected.has(r._id)).map((r) => r._id)),
        ),
    },
    'Compare',
  );
  const markCompare = (ticked: number): void => {
    compare.disabled = ticked < 2;
    replace(compare, ticked ? `Compare (${ticked})` : 'Compare');
  };
  const toolbar = h(
    'div',
    { class: 'table-toolbar' },
    search.el,
    chooser.el,
    onlyChanged.el,
    compare,
    h(
      'button',
      { type: 'button', 'data-testid': 'export-csv', onclick: () => exportCsv(rows, columns) },
      'Export CSV',
    ),
    h(
      'button',
      { type: 'button', 'data-testid': 'export-json', onclick: () => exportJson(rows, columns) },
      'Export JSON',
    ),
    count,
  );

  return {
    el: h('section', { class: 'table-view' }, toolbar, table.el),
    render() {
      const { view, data, selected } = store.model;
      const eff = effectiveView(view, data?.keys ?? []);
      frontier = new Set(data?.frontier ?? []);
      rows = tableRows(store.model);
      columns = tableColumns(store.model, eff, rows);
      search.update(view.search);
      onlyChanged.input.checked = view.onlyChanged === true;
      chooser.sync(eff.keys.map((k) => k.name));
      markCompare(rows.filter((r) => selected.has(r._id)).length);
      count.textContent = `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}`;
      count.dataset['count'] = String(rows.length);
      table.show(header(), rows);
    },
    markSelection() {
      const { selected } = store.model;
      for (const tr of table.el.querySelectorAll<HTMLTableRowElement>('tr[data-id]')) {
        const isSelected = selected.has(tr.dataset['id']!);
        tr.classList.toggle('selected', isSelected);
        const box = tr.querySelector<HTMLInputElement>('[data-testid=row-select]');
        if (box) box.checked = isSelected;
      }
      markCompare(rows.filter((r) => selected.has(r._id)).length);
    },
  };
}
