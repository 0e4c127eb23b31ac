// Saved views (gui.md §5.5 item 5): each opens the explore page with its parameters, or is
// deleted (a second click confirms).
import type { SavedView } from '../../../src/core/results/types.js';
import { api } from '../api.js';
import { errorBox } from '../components/error-box.js';
import { h, replace } from '../dom.js';
import type { Page } from '../router.js';

export const viewsPage: Page = async (root) => {
  const box = h('div', {});
  const status = h('p', { 'aria-live': 'polite', 'data-testid': 'views-status' });
  const load = async () => {
    try {
      const { views } = await api.views();
      replace(
        box,
        views.length === 0
          ? h(
              'p',
              { 'data-testid': 'no-views' },
              'No saved views yet: save one on the explore page.',
            )
          : viewsTable(views, remove),
      );
    } catch (e) {
      replace(box, errorBox(e));
    }
  };
  const remove = async (name: string) => {
    try {
      await api.deleteView(name);
      status.textContent = `Deleted view ${name}.`;
      await load();
    } catch (e) {
      replace(status, errorBox(e));
    }
  };
  root.append(h('h1', {}, 'Saved views'), status, box);
  await load();
};

function viewsTable(views: SavedView[], remove: (name: string) => Promise<void>): HTMLElement {
  return h(
    'table',
    { 'data-testid': 'views' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Parameters'), h('th', {}, ''))),
    h(
      'tbody',
      {},
      ...views.map((v) => {
        const query = new URLSearchParams(v.params).toString();
        const del = h(
          'button',
          {
            type: 'button',
            'data-testid': 'delete-view',
            onclick: () => {
              if (del.dataset['armed']) return void remove(v.name);
              del.dataset['armed'] = '1';
              del.textContent = 'Really delete?';
            },
          },
          'Delete',
        );
        return h(
          'tr',
          { 'data-testid': 'view-row', 'data-name': v.name },
          h(
            'td',
            {},
            h(
              'a',
              {
                href: `/explore${query ? `?${query}` : ''}`,
                'data-link': true,
                'data-testid': 'open-view',
              },
              v.name,
            ),
          ),
          h(
            'td',
            { class: 'mono' },
            Object.entries(v.params)
              .map(([k, value]) => `${k}=${value}`)
              .join('  '),
          ),
          h('td', {}, del),
        );
      }),
    ),
  );
}
