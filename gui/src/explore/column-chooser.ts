// The table's column chooser: every key in catalogue order (CM's preferred keys, then A to Z),
// ticked when shown; ticking them all again returns to the default (all columns).
import { h, replace } from '../dom.js';
import type { ExploreStore } from './explore-store.js';

export function columnChooser(store: ExploreStore): {
  el: HTMLElement;
  sync(all: readonly string[]): void;
} {
  const list = h('div', { class: 'column-list' });
  const el = h(
    'details',
    { class: 'column-chooser', 'data-testid': 'columns' },
    h('summary', {}, 'Columns'),
    list,
  );
  let shown = '';
  return {
    el,
    sync(all) {
      const chosen = store.model.view.columns;
      const signature = JSON.stringify([all, chosen]);
      if (signature === shown) return;
      shown = signature;
      const isShown = (k: string): boolean => !chosen || chosen.includes(k);
      const set = (keys: string[]): void =>
        store.update({ columns: keys.length === all.length ? undefined : keys });
      replace(
        list,
        h('button', { type: 'button', onclick: () => set([...all]) }, 'All'),
        h('button', { type: 'button', onclick: () => set([]) }, 'None'),
        ...all.map((k) => {
          const box = h('input', {
            type: 'checkbox',
            'data-col': k,
            checked: isShown(k),
            onchange: () => set(all.filter((c) => (c === k ? box.checked : isShown(c)))),
          });
          return h('label', { class: 'check' }, box, ' ', k);
        }),
      );
    },
  };
}
