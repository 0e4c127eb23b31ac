// Grouping of repetitions (gui.md §5.4, CK style): group keys and the aggregate; aggregated rows
// carry `key#min` and `key#max`, which the chart draws as error bars.
import type { AggName } from '../../../src/core/results/types.js';
import { h, replace } from '../dom.js';
import { errorSlot, field, keySelect } from './controls.js';
import { effectiveView } from './effective-view.js';
import type { ExploreStore } from './explore-store.js';
import type { PanelSection } from './selection-panel.js';

const AGGS: AggName[] = ['mean', 'min', 'max', 'median', 'count'];

export function groupPanel(store: ExploreStore): PanelSection {
  const chips = h('div', { class: 'chips', 'data-testid': 'group-keys' });
  const setGroup = (group: string[]): void =>
    store.update({ group: group.length ? group : undefined });
  const add = keySelect('group-add', 'add group key…', (k) => {
    if (k) setGroup([...(store.model.view.group ?? []), k]);
  });
  const agg = h(
    'select',
    {
      'data-testid': 'agg',
      onchange: () => store.update({ agg: agg.value ? (agg.value as AggName) : undefined }),
    },
    h('option', { value: '' }, '(none)'),
    ...AGGS.map((a) => h('option', { value: a }, a)),
  );
  const errors = errorSlot('error-group');
  return {
    el: h(
      'fieldset',
      {},
      h('legend', {}, 'Grouping'),
      chips,
      add.el,
      field('Aggregate', agg),
      errors.el,
    ),
    sync() {
      const { view, data } = store.model;
      const group = view.group ?? [];
      replace(
        chips,
        ...group.map((k) =>
          h(
            'span',
            { class: 'chip' },
            k,
            h(
              'button',
              {
                type: 'button',
                title: 'remove',
                onclick: () => setGroup(group.filter((g) => g !== k)),
              },
              '×',
            ),
          ),
        ),
      );
      const names = effectiveView(view, data?.keys ?? []).keys.map((k) => k.name);
      add.update(
        names.filter((k) => !group.includes(k) && !k.includes('#')),
        undefined,
      );
      agg.value = view.agg ?? '';
      errors.update(store.model.errors.filter((e) => e.part === 'group'));
    },
  };
}
