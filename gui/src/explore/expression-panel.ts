// The expression editors (gui.md §5.3, §5.4): derived metrics (`eff = Result / Result_Power`,
// or CM's `result['eff'] = ...`), the filter, and the constraints list with its "show violating
// greyed" toggle. Each shows its own errors (message, line, column) below it.
import { h, replace } from '../dom.js';
import type { QueryError } from '../../../src/core/results/types.js';
import { checkbox, errorSlot, field, textControl } from './controls.js';
import type { ExploreStore } from './explore-store.js';
import type { PanelSection } from './selection-panel.js';

function constraintsEditor(store: ExploreStore): {
  el: HTMLElement;
  sync(errors: readonly QueryError[]): void;
} {
  const list = h('div', { class: 'constraints', 'data-testid': 'constraints' });
  const errors = errorSlot('error-constraints');
  const add = textControl({
    testid: 'constraint-add',
    placeholder: 'add a constraint, e.g. Result_Power <= 100',
    delay: Infinity,
    onCommit: (v) => {
      if (!v) return;
      add.el.value = '';
      add.update(undefined);
      store.update({ constraints: [...store.model.view.constraints, v] });
    },
  });
  const setAt = (i: number, v: string | undefined): void => {
    const next = [...store.model.view.constraints];
    if (v) next[i] = v;
    else next.splice(i, 1);
    store.update({ constraints: next });
  };
  let shown = '';
  return {
    el: h('div', {}, list, add.el, errors.el),
    sync(all) {
      const constraints = store.model.view.constraints;
      const signature = JSON.stringify(constraints);
      if (signature !== shown) {
        shown = signature;
        replace(
          list,
          ...constraints.map((c, i) => {
            const input = textControl({
              testid: 'constraint',
              delay: Infinity,
              onCommit: (v) => setAt(i, v),
            });
            input.update(c);
            return h(
              'div',
              { class: 'constraint-line' },
              input.el,
              h(
                'button',
                { type: 'button', title: 'remove', onclick: () => setAt(i, undefined) },
                '×',
              ),
            );
          }),
        );
      }
      errors.update(all, (e) => (e.index === undefined ? undefined : constraints[e.index]));
    },
  };
}

export function expressionPanel(store: ExploreStore): PanelSection {
  const derived = textControl({
    testid: 'derived',
    multiline: true,
    placeholder: 'eff = Result / Result_Power',
    onCommit: (v) => store.update({ derived: v }),
  });
  const derivedErrors = errorSlot('error-derived');
  const filter = textControl({
    testid: 'filter',
    placeholder: 'Accuracy > 75',
    onCommit: (v) => store.update({ filter: v }),
  });
  const filterErrors = errorSlot('error-filter');
  const constraints = constraintsEditor(store);
  const greyed = checkbox('greyed', 'Show violating greyed', (v) =>
    store.update({ showViolating: v || undefined }),
  );
  return {
    el: h(
      'fieldset',
      {},
      h('legend', {}, 'Expressions'),
      field('Derived metrics', derived.el),
      derivedErrors.el,
      field('Filter', filter.el),
      filterErrors.el,
      h('span', { class: 'field-label' }, 'Constraints'),
      constraints.el,
      greyed.el,
    ),
    sync() {
      const { view, errors } = store.model;
      derived.update(view.derived);
      filter.update(view.filter);
      greyed.input.checked = view.showViolating === true;
      derivedErrors.update(
        errors.filter((e) => e.part === 'derived'),
        () => view.derived,
      );
      filterErrors.update(
        errors.filter((e) => e.part === 'filter'),
        () => view.filter,
      );
      constraints.sync(errors.filter((e) => e.part === 'constraints'));
    },
  };
}
