// The script catalog (gui.md §2's script page, §5.5): scripts found by tags and free text, each
// linking to its page of variations, deps, inputs and versions.
import { api, type ScriptSummary } from '../api.js';
import { debounce } from '../components/debounce.js';
import { errorBox } from '../components/error-box.js';
import { h, replace } from '../dom.js';
import type { Page } from '../router.js';

export const scriptsPage: Page = async (root, { query }) => {
  const tags = h('input', {
    type: 'search',
    placeholder: 'tags, e.g. detect,os',
    'aria-label': 'tags',
    'data-testid': 'scripts-tags',
    value: query.get('tags') ?? '',
  });
  const text = h('input', {
    type: 'search',
    placeholder: 'text',
    'aria-label': 'text',
    'data-testid': 'scripts-q',
    value: query.get('q') ?? '',
  });
  const box = h('div', {});
  let asked = 0;
  const load = async () => {
    const mine = ++asked;
    const params = new URLSearchParams();
    if (tags.value.trim()) params.set('tags', tags.value.trim());
    if (text.value.trim()) params.set('q', text.value.trim());
    const q = params.toString();
    history.replaceState(null, '', `/scripts${q ? `?${q}` : ''}`);
    try {
      const { scripts } = await api.scripts(params);
      if (mine === asked) replace(box, scriptsTable(scripts));
    } catch (e) {
      if (mine === asked) replace(box, errorBox(e));
    }
  };
  const later = debounce(() => void load(), 200);
  tags.addEventListener('input', later);
  text.addEventListener('input', later);
  root.append(h('h1', {}, 'Scripts'), h('div', { class: 'toolbar' }, tags, text), box);
  await load();
};

function scriptsTable(scripts: ScriptSummary[]): HTMLElement {
  if (scripts.length === 0) return h('p', { 'data-testid': 'no-scripts' }, 'No script matches.');
  return h(
    'div',
    {},
    h(
      'p',
      { 'data-testid': 'scripts-count' },
      `${scripts.length} script${scripts.length === 1 ? '' : 's'}`,
    ),
    h(
      'table',
      { 'data-testid': 'scripts' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Alias', 'Tags', 'Variations', 'Repo', 'Description'].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        ...scripts.map((s) =>
          h(
            'tr',
            { 'data-testid': 'script-row', 'data-alias': s.alias },
            h(
              'td',
              {},
              h(
                'a',
                { href: `/scripts/${encodeURIComponent(s.alias || s.uid)}`, 'data-link': true },
                s.alias || s.uid,
              ),
            ),
            h('td', {}, s.tags.join(', ')),
            h('td', { class: 'num' }, s.variations.length),
            h('td', {}, s.repo),
            h('td', {}, s.description ?? ''),
          ),
        ),
      ),
    ),
  );
}
