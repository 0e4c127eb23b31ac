// The CM cache (gui.md §5.5): entries found by tags, with their sizes, the total, and what uses
// them.
import { api, type CacheListing } from '../api.js';
import { debounce } from '../components/debounce.js';
import { errorBox } from '../components/error-box.js';
import { formatBytes, formatTime } from '../components/format.js';
import { h, replace } from '../dom.js';
import type { Page } from '../router.js';

export const cachePage: Page = async (root) => {
  const tags = h('input', {
    type: 'search',
    placeholder: 'tags, e.g. get,python',
    'aria-label': 'tags',
    'data-testid': 'cache-tags',
  });
  const box = h('div', {});
  let asked = 0;
  const load = async () => {
    const mine = ++asked;
    const params = new URLSearchParams();
    if (tags.value.trim()) params.set('tags', tags.value.trim());
    try {
      const listing = await api.cache(params);
      if (mine === asked) replace(box, cacheTable(listing));
    } catch (e) {
      if (mine === asked) replace(box, errorBox(e));
    }
  };
  tags.addEventListener(
    'input',
    debounce(() => void load(), 200),
  );
  root.append(h('h1', {}, 'Cache'), h('div', { class: 'toolbar' }, tags), box);
  await load();
};

function cacheTable({ entries, totalSize }: CacheListing): HTMLElement {
  const total = h(
    'p',
    { 'data-testid': 'cache-total' },
    `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, ${formatBytes(totalSize)} in all`,
  );
  if (entries.length === 0)
    return h('div', {}, total, h('p', { 'data-testid': 'no-cache' }, 'No cache entries.'));
  return h(
    'div',
    {},
    total,
    h(
      'table',
      { 'data-testid': 'cache' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['UID', 'Tags', 'Script', 'Size', 'Created', 'Used by', 'Path'].map((t) =>
            h('th', {}, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...entries.map((e) =>
          h(
            'tr',
            { 'data-testid': 'cache-row', 'data-uid': e.uid },
            h('td', { class: 'mono' }, e.uid),
            h('td', {}, e.tags.join(', ')),
            h(
              'td',
              {},
              e.script
                ? h(
                    'a',
                    { href: `/scripts/${encodeURIComponent(e.script)}`, 'data-link': true },
                    e.script,
                  )
                : '',
            ),
            h('td', { class: 'num', 'data-size': e.size }, formatBytes(e.size)),
            h('td', {}, formatTime(e.created)),
            h('td', {}, e.usedBy.join(', ')),
            h('td', { class: 'mono' }, e.path),
          ),
        ),
      ),
    ),
  );
}
