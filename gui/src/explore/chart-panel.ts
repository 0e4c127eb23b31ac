// The chart's controls: type, X and Y (with log scales), colour, symbol and size keys, title,
// and for parallel coordinates the axes with their flip and log toggles.
import type { ChartType } from '../../../src/core/results/types.js';
import { h, replace } from '../dom.js';
import { checkbox, field, keySelect, textControl } from './controls.js';
import { effectiveView, formatAxis, type AxisSpec } from './effective-view.js';
import type { ExploreStore } from './explore-store.js';
import type { PanelSection } from './selection-panel.js';

const CHART_TYPES: Array<[ChartType, string]> = [
  ['scatter', 'Scatter'],
  ['bar', 'Bar'],
  ['line', 'Line'],
  ['parallel', 'Parallel coordinates'],
  ['table', 'Table only'],
];

/** The parallel axes' editor: one line per axis (flip, log, remove) and a key to add. */
function axesEditor(store: ExploreStore): { el: HTMLElement; sync(): void } {
  const list = h('div', { class: 'axes', 'data-testid': 'axes' });
  const setAxes = (axes: AxisSpec[]): void => store.update({ axes: axes.map(formatAxis) });
  const add = keySelect('axis-add', 'add axis…', (key) => {
    if (!key) return;
    const { axes } = effectiveView(store.model.view, store.model.data?.keys ?? []);
    setAxes([...axes, { key, isFlipped: false, isLog: false }]);
  });
  return {
    el: h('div', {}, list, add.el),
    sync() {
      const eff = effectiveView(store.model.view, store.model.data?.keys ?? []);
      const change = (i: number, patch: Partial<AxisSpec> | undefined): void => {
        const axes = eff.axes.flatMap((a, k) =>
          k !== i ? [a] : patch ? [{ ...a, ...patch }] : [],
        );
        setAxes(axes);
      };
      replace(
        list,
        ...eff.axes.map((a, i) => {
          const flip = checkbox(`axis-flip-${a.key}`, 'flip', (v) => change(i, { isFlipped: v }));
          flip.input.checked = a.isFlipped;
          const log = checkbox(`axis-log-${a.key}`, 'log', (v) => change(i, { isLog: v }));
          log.input.checked = a.isLog;
          return h(
            'div',
            { class: 'axis-line' },
            h('span', { class: 'axis-key' }, a.key),
            flip.el,
            log.el,
            h(
              'button',
              { type: 'button', title: 'remove', onclick: () => change(i, undefined) },
              '×',
            ),
          );
        }),
      );
      add.update(
        eff.keys.map((k) => k.name).filter((k) => !eff.axes.some((a) => a.key === k)),
        undefined,
      );
    },
  };
}

export function chartPanel(store: ExploreStore): PanelSection {
  const type = h(
    'select',
    {
      'data-testid': 'chart-type',
      onchange: () => store.update({ type: type.value as ChartType }),
    },
    ...CHART_TYPES.map(([value, label]) => h('option', { value }, label)),
  );
  const x = keySelect('x', '', (v) => store.update({ x: v }));
  const y = keySelect('y', '', (v) => store.update({ y: v }));
  const xLog = checkbox('xlog', 'log', (v) => store.update({ xLog: v || undefined }));
  const yLog = checkbox('ylog', 'log', (v) => store.update({ yLog: v || undefined }));
  const color = keySelect('color', '(none)', (v) => store.update({ color: v ?? '' }));
  const symbol = keySelect('symbol', '(none)', (v) => store.update({ symbol: v }));
  const size = keySelect('size', '(none)', (v) => store.update({ size: v }));
  const title = textControl({ testid: 'title', onCommit: (v) => store.update({ title: v }) });
  const axes = axesEditor(store);
  const cartesian = h(
    'div',
    {},
    field('X', x.el, xLog.el),
    field('Y', y.el, yLog.el),
    field('Colour', color.el),
    field('Symbol', symbol.el),
    field('Size', size.el),
  );
  const parallel = h('div', {}, h('span', { class: 'field-label' }, 'Axes'), axes.el);

  return {
    el: h(
      'fieldset',
      {},
      h('legend', {}, 'Chart'),
      field('Type', type),
      cartesian,
      parallel,
      field('Title', title.el),
    ),
    sync() {
      const view = store.model.view;
      const eff = effectiveView(view, store.model.data?.keys ?? []);
      const names = eff.keys.map((k) => k.name);
      type.value = view.type;
      x.update(names, eff.x);
      y.update(names, eff.y);
      xLog.input.checked = view.xLog === true;
      yLog.input.checked = view.yLog === true;
      color.update(names, eff.color);
      symbol.update(names, view.symbol);
      size.update(eff.numericKeys, view.size);
      title.update(view.title);
      cartesian.hidden = view.type === 'parallel' || view.type === 'table';
      parallel.hidden = view.type !== 'parallel';
      if (view.type === 'parallel') axes.sync();
    },
  };
}
