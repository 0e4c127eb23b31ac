// Which rows the page starts from (gui.md §1.3 item 1, §5.5 item 2): experiment tags, a list of
// the visible experiments to tick, and the run folders or result uid a link may carry.
import type { ExperimentSummary, Selection } from '../../../src/core/results/types.js';
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { field, textControl } from './controls.js';
import type { ExploreStore } from './explore-store.js';

export interface PanelSection {
  el: HTMLElement;
  sync(): void;
}

function splitTags(text: string | undefined): string[] | undefined {
  const tags = (text ?? '').split(/[\s,]+/).filter(Boolean);
  return tags.length ? tags : undefined;
}

function isChosen(e: ExperimentSummary, names: readonly string[] | undefined): boolean {
  return names?.some((n) => n === e.uid || n === e.alias) ?? false;
}

export function selectionPanel(store: ExploreStore): PanelSection {
  const select = (patch: Partial<Selection>): void => {
    const selection: Selection = { ...store.model.view.selection, ...patch };
    for (const k of Object.keys(selection) as Array<keyof Selection>)
      if (selection[k] === undefined) delete selection[k];
    store.update({ selection });
  };
  const tags = textControl({
    testid: 'tags',
    placeholder: 'tags, e.g. mlperf demo',
    onCommit: (v) => select({ tags: splitTags(v) }),
  });
  const list = h('div', { class: 'experiment-list', 'data-testid': 'experiments' });
  const extra = h('div', { class: 'selection-extra' });
  let experiments: ExperimentSummary[] = [];

  const renderList = (): void => {
    const chosen = store.model.view.selection.experiments;
    replace(
      list,
      ...experiments.map((e) => {
        const box = h('input', {
          type: 'checkbox',
          value: e.uid,
          checked: isChosen(e, chosen),
          onchange: () => {
            const ticked = experiments.filter((x) =>
              x === e ? box.checked : isChosen(x, store.model.view.selection.experiments),
            );
            select({
              experiments: ticked.length ? ticked.map((x) => x.alias || x.uid) : undefined,
            });
          },
        });
        return h(
          'label',
          { class: 'check' },
          box,
          ' ',
          e.alias || e.uid,
          h('small', {}, ` ${e.tags.join(',')}`),
        );
      }),
    );
  };
  const renderExtra = (): void => {
    const { runs, resultUid } = store.model.view.selection;
    replace(
      extra,
      runs
        ? h(
            'div',
            {},
            `Runs: ${runs.join(', ')} `,
            h('button', { type: 'button', onclick: () => select({ runs: undefined }) }, 'all runs'),
          )
        : null,
      resultUid
        ? h(
            'div',
            {},
            `Result: ${resultUid} `,
            h(
              'button',
              { type: 'button', onclick: () => select({ resultUid: undefined }) },
              'all results',
            ),
          )
        : null,
    );
  };
  void api
    .experiments(new URLSearchParams())
    .then((r) => {
      experiments = r.experiments;
      renderList();
    })
    .catch((e: Error) => replace(list, h('span', { class: 'error' }, e.message)));

  return {
    el: h('fieldset', {}, h('legend', {}, 'Selection'), field('Tags', tags.el), list, extra),
    sync() {
      tags.update(store.model.view.selection.tags?.join(' '));
      renderList();
      renderExtra();
    },
  };
}
