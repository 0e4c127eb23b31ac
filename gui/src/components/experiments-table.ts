// The experiments table of the home page: one row per experiment with a checkbox, its alias (to
// the explore page), uid, tags (a click filters by the tag), repo, runs, results and last run.
import type { ExperimentSummary } from '../../../src/core/results/types.js';
import { h } from '../dom.js';
import { formatTime } from './format.js';

export interface ExperimentsTableOptions {
  selected: Set<string>;
  onSelect(): void;
  onTag(tag: string): void;
}

export function experimentsTable(list: ExperimentSummary[], o: ExperimentsTableOptions) {
  const head = h(
    'tr',
    {},
    h('th', {}, ''),
    ...['Alias', 'UID', 'Tags', 'Repo', 'Runs', 'Results', 'Last run'].map((t) => h('th', {}, t)),
  );
  return h(
    'table',
    { class: 'experiments', 'data-testid': 'experiments' },
    h('thead', {}, head),
    h('tbody', {}, ...list.map((e) => experimentRow(e, o))),
  );
}

function experimentRow(e: ExperimentSummary, o: ExperimentsTableOptions): HTMLElement {
  const box = h('input', {
    type: 'checkbox',
    'aria-label': `select ${e.alias || e.uid}`,
    'data-testid': 'select-experiment',
    checked: o.selected.has(e.uid),
    onchange: () => {
      if (box.checked) o.selected.add(e.uid);
      else o.selected.delete(e.uid);
      o.onSelect();
    },
  });
  const tags = e.tags.map((t) =>
    h('button', { type: 'button', class: 'tag', onclick: () => o.onTag(t) }, t),
  );
  return h(
    'tr',
    { 'data-testid': 'experiment-row', 'data-uid': e.uid, 'data-alias': e.alias },
    h('td', {}, box),
    h(
      'td',
      {},
      h(
        'a',
        { href: `/explore?name=${encodeURIComponent(e.uid)}`, 'data-link': true },
        e.alias || e.uid,
      ),
      e.protected ? h('span', { class: 'lock', title: 'unlocked with a password' }, ' 🔓') : null,
    ),
    h('td', { class: 'mono' }, e.uid),
    h('td', {}, ...tags),
    h('td', {}, e.repo),
    h('td', { class: 'num', 'data-testid': 'runs' }, e.runs),
    h('td', { class: 'num', 'data-testid': 'results' }, e.results),
    h('td', {}, formatTime(e.lastRun)),
  );
}
