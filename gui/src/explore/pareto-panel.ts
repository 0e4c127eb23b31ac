// Pareto objectives (gui.md §5.4): keys with min or max (a new key's goal guessed from its name,
// always editable), a shortcut for the chart's X and Y, and the "Frontier only" toggle.
import type { ParetoRequest } from '../../../src/core/results/types.js';
import { h, replace } from '../dom.js';
import { checkbox, errorSlot, keySelect } from './controls.js';
import { effectiveView } from './effective-view.js';
import type { ExploreStore } from './explore-store.js';
import type { PanelSection } from './selection-panel.js';
import { guessGoal } from '../../../src/core/results/guess-goal.js';

type Objective = ParetoRequest['objectives'][number];

export function paretoPanel(store: ExploreStore): PanelSection {
  const setObjectives = (objectives: Objective[]): void => {
    const only = store.model.view.pareto?.only;
    store.update({
      pareto: objectives.length ? { objectives, ...(only ? { only } : {}) } : undefined,
    });
  };
  const current = (): Objective[] => store.model.view.pareto?.objectives ?? [];
  const addKey = (keys: Array<string | undefined>): void => {
    const have = current();
    const added = keys
      .filter((k): k is string => !!k && !have.some((o) => o.key === k))
      .map((key) => ({ key, goal: guessGoal(key) }));
    if (added.length) setObjectives([...have, ...added]);
  };
  const list = h('div', { class: 'objectives', 'data-testid': 'objectives' });
  const add = keySelect('objective-add', 'add objective…', (k) => addKey([k]));
  const fromAxes = h(
    'button',
    {
      type: 'button',
      'data-testid': 'objectives-xy',
      onclick: () => {
        const eff = effectiveView(store.model.view, store.model.data?.keys ?? []);
        addKey([eff.x, eff.y]);
      },
    },
    'X and Y',
  );
  const only = checkbox('frontier-only', 'Frontier only', (v) => {
    const pareto = store.model.view.pareto;
    if (pareto)
      store.update({ pareto: { objectives: pareto.objectives, ...(v ? { only: true } : {}) } });
  });
  const errors = errorSlot('error-pareto');

  const renderList = (names: readonly string[]): void => {
    const objectives = current();
    const change = (i: number, o: Objective | undefined): void =>
      setObjectives(objectives.flatMap((x, k) => (k !== i ? [x] : o ? [o] : [])));
    replace(
      list,
      ...objectives.map((o, i) => {
        const key = keySelect('objective-key', '', (k) =>
          change(i, k ? { key: k, goal: o.goal } : undefined),
        );
        key.update(names, o.key);
        const goal = h(
          'select',
          {
            'data-testid': 'objective-goal',
            onchange: () => change(i, { key: o.key, goal: goal.value === 'min' ? 'min' : 'max' }),
          },
          h('option', { value: 'max' }, 'max'),
          h('option', { value: 'min' }, 'min'),
        );
        goal.value = o.goal;
        return h(
          'div',
          { class: 'objective-line', 'data-key': o.key },
          key.el,
          goal,
          h(
            'button',
            { type: 'button', title: 'remove', onclick: () => change(i, undefined) },
            '×',
          ),
        );
      }),
    );
  };

  return {
    el: h(
      'fieldset',
      {},
      h('legend', {}, 'Pareto'),
      list,
      h('div', {}, add.el, ' ', fromAxes),
      only.el,
      errors.el,
    ),
    sync() {
      const { view, data } = store.model;
      const names = effectiveView(view, data?.keys ?? []).numericKeys;
      renderList(names);
      add.update(
        names.filter((k) => !current().some((o) => o.key === k)),
        undefined,
      );
      only.input.checked = view.pareto?.only === true;
      only.input.disabled = !view.pareto?.objectives.length;
      errors.update(store.model.errors.filter((e) => e.part === 'pareto'));
    },
  };
}
