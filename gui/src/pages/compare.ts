// The compare page (gui.md §5.5 item 4): the results named by `?ids=` (or, without it, those added
// with "Add to compare") side by side, "Show diff only", and a parallel-coordinates strip.
import type { ResultRow } from '../../../src/core/results/types.js';
import { api } from '../api.js';
import { compareIds, compareUrl, setCompareIds } from '../components/compare-list.js';
import { compareKeys, compareTable } from '../components/compare-table.js';
import { errorBox } from '../components/error-box.js';
import { parallelStrip } from '../components/parallel-strip.js';
import { h, replace } from '../dom.js';
import type { Page } from '../router.js';

/** A result's `_id` split into its three parts (the run folder's name holds no slash). */
function splitId(id: string): [string, string, string] | undefined {
  const parts = id.split('/');
  return parts.length === 3 ? (parts as [string, string, string]) : undefined;
}

export const comparePage: Page = async (root, { query }) => {
  const given = query.get('ids');
  let ids = given ? given.split(',').filter(Boolean) : compareIds();
  root.append(h('h1', {}, 'Compare results'));
  if (ids.length === 0) {
    root.append(
      h(
        'p',
        { 'data-testid': 'compare-empty' },
        'Nothing to compare: open results and press "Add to compare", or select rows on the explore page.',
      ),
    );
    return;
  }
  const bad = ids.filter((id) => !splitId(id));
  if (bad.length > 0) {
    root.append(
      errorBox(new Error(`not a result id (<experiment uid>/<run dir>/<uid>): ${bad.join(', ')}`)),
    );
    return;
  }
  let rows: ResultRow[];
  try {
    rows = (await Promise.all(ids.map((id) => api.result(...splitId(id)!)))).map((d) => d.row);
  } catch (e) {
    root.append(errorBox(e));
    return;
  }
  const diffOnly = h('input', { type: 'checkbox', 'data-testid': 'diff-only' });
  const box = h('div', {});
  let dispose = () => undefined as void;
  const draw = (): void => {
    dispose();
    dispose = () => undefined;
    ids = rows.map((r) => r._id);
    setCompareIds(ids);
    history.replaceState(null, '', compareUrl(ids));
    if (rows.length === 0)
      return replace(box, h('p', { 'data-testid': 'compare-empty' }, 'Nothing left to compare.'));
    const strip = parallelStrip(rows, compareKeys(rows));
    const table = compareTable(rows, {
      onBaseline: (i) => {
        rows = [rows[i]!, ...rows.filter((_, j) => j !== i)];
        draw();
      },
      onRemove: (i) => {
        rows = rows.filter((_, j) => j !== i);
        draw();
      },
    });
    replace(box, strip.element, table);
    strip.mount();
    dispose = strip.dispose;
    applyDiffOnly();
  };
  const applyDiffOnly = () => {
    for (const tr of box.querySelectorAll<HTMLElement>('tr[data-same]'))
      tr.hidden = diffOnly.checked;
  };
  diffOnly.addEventListener('change', applyDiffOnly);
  root.append(h('label', { class: 'toolbar' }, diffOnly, ' Show diff only'), box);
  draw();
  return () => dispose();
};
