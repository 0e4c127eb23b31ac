// Reports tagged `result-<uid>` under a result (gui.md §5.5 item 3). Their HTML is the server's
// rendering of the README with raw HTML disabled (markdown-it html:false): the one place where
// the playground inserts HTML it did not build itself.
import type { ReportInfo } from '../../../src/core/results/types.js';
import { h } from '../dom.js';

export function reports(list: ReportInfo[]): HTMLElement | null {
  if (list.length === 0) return null;
  return h(
    'section',
    { class: 'reports', 'data-testid': 'reports' },
    h('h2', {}, 'Reports'),
    ...list.map((r) => {
      const body = h('div', { class: 'report-body' });
      body.innerHTML = r.html;
      return h(
        'article',
        { class: 'report', 'data-testid': 'report', 'data-alias': r.alias },
        h('h3', {}, r.title || r.alias),
        body,
      );
    }),
  );
}
