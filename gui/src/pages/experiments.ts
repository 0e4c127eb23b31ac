// The home page (gui.md §5.5 item 1): experiments found by tag chips and free text, selected with
// checkboxes for the explore page, protected ones unlocked by password. CM's legacy `_graph` URLs
// arriving here are redirected to the explore or result page.
import { legacyRedirect, type LegacyRedirect } from '../../../src/core/results/legacy-url.js';
import type { ExperimentSummary } from '../../../src/core/results/types.js';
import { viewFromParams } from '../../../src/core/results/view-url.js';
import { api, idPath } from '../api.js';
import { errorBox } from '../components/error-box.js';
import { experimentsTable } from '../components/experiments-table.js';
import { matchesTagQuery, tagSearch, type TagQuery } from '../components/tag-search.js';
import { unlockButton } from '../components/unlock-dialog.js';
import { h, replace } from '../dom.js';
import { navigate, type Page } from '../router.js';

export const experimentsPage: Page = async (root, route) => {
  const legacy = legacyRedirect(route.query);
  if (legacy) return redirectLegacy(root, legacy);
  let all: ExperimentSummary[] = [];
  // `?tags=a,b` (CM's tags, commas or spaces) starts with those chips.
  const initial = (route.query.get('tags') ?? '').split(/[\s,]+/).filter(Boolean);
  let query: TagQuery = { tags: initial, text: '' };
  const selected = new Set<string>();
  const tableBox = h('div', {});
  const note = h('p', { class: 'note', 'aria-live': 'polite', 'data-testid': 'unlock-note' });
  const explore = h(
    'button',
    {
      type: 'button',
      'data-testid': 'explore-selected',
      disabled: true,
      onclick: () => navigate(`/explore?name=${encodeURIComponent([...selected].join(','))}`),
    },
    'Explore selected',
  );
  const draw = () => {
    const shown = all.filter((e) =>
      matchesTagQuery(query, e.tags, [e.alias, e.uid].filter(Boolean)),
    );
    explore.disabled = selected.size === 0;
    replace(
      tableBox,
      shown.length === 0
        ? h('p', { 'data-testid': 'no-experiments' }, 'No experiments found.')
        : experimentsTable(shown, { selected, onSelect: draw, onTag: (t) => search.addTag(t) }),
    );
  };
  const search = tagSearch(
    (q) => {
      query = q;
      draw();
    },
    'Tags (Enter adds a chip) or text',
    initial,
  );
  const load = async () => {
    try {
      all = (await api.experiments(new URLSearchParams())).experiments;
      draw();
    } catch (e) {
      replace(tableBox, errorBox(e));
    }
  };
  const unlock = unlockButton((n) => {
    note.textContent = `Unlocked ${n} experiment${n === 1 ? '' : 's'}.`;
    void load();
  });
  root.append(
    h('h1', {}, 'Experiments'),
    h('div', { class: 'toolbar' }, search.element, explore, unlock),
    note,
    tableBox,
  );
  await load();
};

/** A `_graph` link: with `result_uid`, that result's page; otherwise the explore page. */
async function redirectLegacy(root: HTMLElement, to: LegacyRedirect): Promise<void> {
  const q = to.params.toString();
  const explore = `/explore${q ? `?${q}` : ''}`;
  if (to.kind === 'explore') return navigate(explore, true);
  root.append(h('p', {}, `Looking for result ${to.resultUid}…`));
  try {
    const found = await api.query({ selection: viewFromParams(to.params).selection, limit: 1 });
    const row = found.rows[0];
    if (row) return navigate(`/result/${idPath(row._id)}`, true);
    replace(
      root,
      h('div', { class: 'error', role: 'alert' }, `No result with uid ${to.resultUid} was found.`),
      h('p', {}, h('a', { href: explore, 'data-link': true }, 'Explore the same selection')),
    );
  } catch (e) {
    replace(root, errorBox(e));
  }
}
