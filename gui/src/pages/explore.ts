// The explore page `/explore` (gui.md §5.5 item 2, the successor of CM's `_graph`): the panel of
// controls on the left, badges, chart and table on the right, all following one store whose
// state is the URL. The parts live in ../explore/.
import { api } from '../api.js';
import { h } from '../dom.js';
import type { Page } from '../router.js';
import { badges } from '../explore/badges.js';
import { chartPanel } from '../explore/chart-panel.js';
import { chartView } from '../explore/chart-view.js';
import { createExploreStore, type Change } from '../explore/explore-store.js';
import { expressionPanel } from '../explore/expression-panel.js';
import { groupPanel } from '../explore/group-panel.js';
import { paretoPanel } from '../explore/pareto-panel.js';
import { selectionPanel } from '../explore/selection-panel.js';
import { viewFromParams } from '../../../src/core/results/view-url.js';
import { tableView } from '../explore/table-view.js';
import { viewActions } from '../explore/view-actions.js';
import { watchResults } from '../explore/watch.js';
import '../explore/explore.css';

export const explorePage: Page = (root, route) => {
  const store = createExploreStore(viewFromParams(route.query));
  // The chart starts loading ECharts, then the query goes: with 50,000 rows the query is most
  // of the wait, and the browser evaluates ECharts while the server works.
  const chart = chartView(store);
  void store.refresh();
  const sections = [
    selectionPanel(store),
    chartPanel(store),
    expressionPanel(store),
    paretoPanel(store),
    groupPanel(store),
  ];
  const table = tableView(store);
  const counts = badges(store, chart.unplotted);
  root.append(
    h(
      'div',
      { class: 'explore' },
      h('aside', { class: 'explore-panel' }, viewActions(store), ...sections.map((s) => s.el)),
      h('div', { class: 'explore-main' }, counts.el, chart.el, table.el),
    ),
  );
  const render = (change?: Change): void => {
    // Ticking a row only marks it: the rows stay where the user is looking.
    if (change === 'selection') return table.markSelection();
    for (const s of sections) s.sync();
    chart.render();
    counts.render();
    table.render();
  };
  store.subscribe(render);
  render();

  let stopWatching: (() => void) | undefined;
  let isDisposed = false;
  void api
    .health()
    .then((health) => {
      if (health.watch && !isDisposed) stopWatching = watchResults(() => void store.refresh());
    })
    .catch(() => undefined);
  return () => {
    isDisposed = true;
    stopWatching?.();
    chart.dispose();
  };
};
