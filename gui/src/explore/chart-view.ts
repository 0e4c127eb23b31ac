// The chart: one ECharts instance (exposed as `window.__cmChart` for tests), redrawn when the
// answer or a drawing choice changes. Hover shows the row's card, click opens its result page
// (shift/ctrl-click ticks it), legend clicks toggle a colour, parallel brushes filter the table.
import type { ResultRow } from '../../../src/core/results/types.js';
import { h } from '../dom.js';
import { navigate } from '../router.js';
import { GREY_SERIES } from './cartesian-option.js';
import {
  drawingOf,
  drawingSignature,
  locatePoint,
  rowAt,
  type Drawing,
  type PointEvent,
  type PointLocation,
} from './chart-drawing.js';
import type { echarts } from './echarts-setup.js';
import { effectiveView } from './effective-view.js';
import type { ExploreStore } from './explore-store.js';
import { axisId, type ParallelPlot } from './parallel-option.js';
import { isOpenable, resultPath } from './tooltip.js';

declare global {
  interface Window {
    __cmChart?: echarts.ECharts;
    __cmLocate?: (id: string) => PointLocation | undefined;
  }
}

export interface ChartView {
  el: HTMLElement;
  render(): void;
  /** Rows of the last drawing that had no X or Y. */
  unplotted(): number;
  dispose(): void;
}

export function chartView(store: ExploreStore): ChartView {
  const el = h('div', { class: 'chart', 'data-testid': 'chart' });
  let chart: echarts.ECharts | undefined;
  // ECharts (most of the page's code) loads while the first query runs.
  let lib: typeof echarts | undefined;
  const loading = import('./echarts-setup.js').then((m) => {
    lib = m.echarts;
  });
  let rows: readonly ResultRow[] = [];
  let drawing: Drawing | undefined;
  let signature = '';
  let drawn = 0;
  const legendSelected: Record<string, boolean> = {};
  // Observing reports the size once at the start: redrawing 50,000 points for nothing would
  // double the first paint.
  const resize = new ResizeObserver(() => {
    if (chart && (chart.getWidth() !== el.clientWidth || chart.getHeight() !== el.clientHeight))
      chart.resize();
  });

  const listen = (c: echarts.ECharts): void => {
    c.on('click', (p) => {
      const params = p as unknown as PointEvent;
      if (params.seriesName === GREY_SERIES) return;
      const row = rowAt(drawing?.plot, rows, params);
      if (!row) return;
      const e = params.event?.event;
      if (e && (e.shiftKey || e.ctrlKey || e.metaKey))
        store.setSelected(row._id, !store.model.selected.has(row._id));
      else if (isOpenable(row)) navigate(resultPath(row));
    });
    c.on('legendselectchanged', (p) => {
      Object.assign(legendSelected, (p as { selected: Record<string, boolean> }).selected);
    });
    c.on('axisareaselected', (p) => {
      const { parallelAxisId, intervals } = p as {
        parallelAxisId?: string;
        intervals?: Array<[number, number]>;
      };
      const plot = drawing?.plot;
      if (!plot || !('axes' in plot)) return;
      const axis = plot.axes.find((_, i) => axisId(i) === parallelAxisId);
      if (axis)
        store.setBrush(axis.key, { intervals: intervals ?? [], categories: axis.categories });
    });
    c.on('finished', () => {
      if (el.dataset['rendered'] === String(drawn)) return;
      el.dataset['rendered'] = String(drawn);
      el.dataset['renderedAt'] = String(Math.round(performance.now()));
    });
  };

  /** Parallel brushes survive a redraw (a new answer replaces the axes' models). */
  const restoreBrushes = (p: ParallelPlot): void => {
    p.axes.forEach((a, n) => {
      const brush = store.model.brush.get(a.key);
      if (brush)
        chart!.dispatchAction(
          { type: 'axisAreaSelect', parallelAxisId: axisId(n), intervals: brush.intervals },
          { silent: true },
        );
    });
  };

  const self: ChartView = {
    el,
    render() {
      const { view, data } = store.model;
      el.hidden = view.type === 'table';
      if (el.hidden || !data) return;
      if (!lib) {
        void loading.then(() => self.render());
        return;
      }
      const eff = effectiveView(view, data.keys);
      const next = drawingSignature(view, eff);
      if (rows === data.rows && next === signature) return;
      rows = data.rows;
      signature = next;
      if (!chart) {
        chart = lib.init(el, undefined, { renderer: 'canvas' });
        window.__cmChart = chart;
        window.__cmLocate = (id) => locatePoint(drawing, rows, chart, id);
        resize.observe(el);
        listen(chart);
      }
      drawing = drawingOf({ rows, view, eff, frontier: new Set(data.frontier), legendSelected });
      const { plot } = drawing;
      drawn++;
      Object.assign(el.dataset, {
        type: view.type,
        x: eff.x ?? '',
        y: eff.y ?? '',
        points: String(plot.points),
        greyed: String(plot.greyed),
        unplotted: 'unplotted' in plot ? String(plot.unplotted) : '0',
        // `rendered` catches up with `drawn` when ECharts reports the drawing finished.
        drawn: String(drawn),
      });
      chart.setOption(drawing.option, { notMerge: true });
      if ('axes' in plot) restoreBrushes(plot);
    },
    unplotted: () => (drawing && 'unplotted' in drawing.plot ? drawing.plot.unplotted : 0),
    dispose() {
      resize.disconnect();
      chart?.dispose();
      if (window.__cmChart === chart) delete window.__cmChart;
      delete window.__cmLocate;
    },
  };
  return self;
}
