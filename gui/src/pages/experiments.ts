// The home page (gui.md §5.5 item 1): experiments found by tag chips and free text, selected with
// checkboxes for the explore page, protected ones unlocked by password. CM's legacy `_graph` URLs
// arriving here are redirected to the explore or result page.
import type { ExperimentSummary } from '../../../src/core/results/types.js';
import { api, idPath } from '../api.js';
import { errorBox } from '../components/error-box.js';
import { experimentsTable } from '../components/experiments-table.js';
import { matchesTagQuery, tagSearch, type TagQuery } from '../components/tag-search.js';
import { unlockButton } from '../components/unlock-dialog.js';
import { h, replace } from '../dom.js';
import { isLegacyUrl, legacyExploreQuery } from '../legacy-url.js';
import { navigate, type Page } from '../router.js';

export const experimentsPage: Page = async (root, route) => {
  if (isLegacyUrl(route.query)) return redirectLegacy(root, route.query);
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
async function redirectLegacy(root: HTMLElement, q: URLSearchParams): Promise<void> {
  const resultUid = q.get('result_uid');
  if (!resultUid) {
    const params = legacyExploreQuery(q).toString();
    return navigate(`/explore${params ? `?${params}` : ''}`, true);
  }
  root.append(h('p', {}, `Looking for result ${resultUid}…`));
  const name = q.get('name');
  const tags = q.get('tags');
  try {
    const found = await api.query({
      selection: {
        resultUid,
        ...(name ? { experiments: name.split(',') } : {}),
        ...(!name && tags ? { tags: tags.split(/[\s,]+/).filter(Boolean) } : {}),
      },
      limit: 1,
    });
    const row = found.rows[0];
    if (row) return navigate(`/result/${idPath(row._id)}`, true);
    replace(
      root,
      h('div', { class: 'error', role: 'alert' }, `No result with uid ${resultUid} was found.`),
    );
  } catch (e) {
    replace(root, errorBox(e));
  }
}
