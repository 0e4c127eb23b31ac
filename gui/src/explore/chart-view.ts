// The chart: one ECharts instance (exposed as `window.__cmChart` for tests), redrawn when the
// answer or a drawing choice changes. Hover shows the row's card, click opens its result page
// (shift/ctrl-click ticks it), legend clicks toggle a colour, parallel brushes filter the table.
import type { ResultRow } from '../../../src/core/results/types.js';
import { h } from '../dom.js';
import { navigate } from '../router.js';
import { cartesianOption, FRONTIER_SERIES, GREY_SERIES, type Plot } from './cartesian-option.js';
import type { ChartOption, echarts } from './echarts-setup.js';
import { effectiveView } from './effective-view.js';
import type { ExploreStore } from './explore-store.js';
import { axisId, parallelOption, type ParallelPlot } from './parallel-option.js';
import { isOpenable, resultPath, tooltipOf } from './tooltip.js';

/** Where a row is drawn: for tests that hover or click a point (pixel in the chart's box). */
export interface PointLocation {
  seriesIndex: number;
  dataIndex: number;
  pixel: number[] | undefined;
}

declare global {
  interface Window {
    __cmChart?: echarts.ECharts;
    __cmLocate?: (id: string) => PointLocation | undefined;
  }
}

interface ClickParams {
  seriesIndex?: number;
  dataIndex: number;
  seriesType?: string;
  seriesName?: string;
  value?: unknown;
  event?: { event?: MouseEvent };
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
  let plot: Plot | ParallelPlot | undefined;
  let signature = '';
  let drawn = 0;
  const legendSelected: Record<string, boolean> = {};
  // Observing reports the size once at the start: redrawing 50,000 points for nothing would
  // double the first paint.
  const resize = new ResizeObserver(() => {
    if (chart && (chart.getWidth() !== el.clientWidth || chart.getHeight() !== el.clientHeight))
      chart.resize();
  });

  /** The answer's row behind an event's point. */
  const rowOf = (p: ClickParams): ResultRow | undefined =>
    rows[plot?.rowIndex[p.seriesIndex ?? -1]?.[p.dataIndex] ?? -1];

  const listen = (c: echarts.ECharts): void => {
    c.on('click', (p) => {
      const params = p as unknown as ClickParams;
      if (params.seriesName === GREY_SERIES) return;
      const row = rowOf(params);
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
      if (!plot || !('axes' in plot)) return;
      const n = plot.axes.findIndex((_, i) => axisId(i) === parallelAxisId);
      const axis = plot.axes[n];
      if (axis)
        store.setBrush(axis.key, { intervals: intervals ?? [], categories: axis.categories });
    });
    c.on('finished', () => {
      if (el.dataset['rendered'] === String(drawn)) return;
      el.dataset['rendered'] = String(drawn);
      el.dataset['renderedAt'] = String(Math.round(performance.now()));
    });
  };

  const locate = (id: string): PointLocation | undefined => {
    const series = (plot?.option['series'] ?? []) as Array<{ name?: string; data?: unknown }>;
    for (let s = 0; s < series.length; s++) {
      if (series[s]!.name === FRONTIER_SERIES) continue;
      const d = plot!.rowIndex[s]?.findIndex((i) => rows[i]?._id === id) ?? -1;
      if (d < 0) continue;
      if (plot && 'axes' in plot) return { seriesIndex: s, dataIndex: d, pixel: undefined };
      const data = series[s]!.data as ArrayLike<unknown>;
      const point = ArrayBuffer.isView(data)
        ? [(data as Float64Array)[2 * d], (data as Float64Array)[2 * d + 1]]
        : (data[d] as unknown[]).slice(0, 2);
      const pixel = chart?.convertToPixel({ seriesIndex: s }, point as number[]);
      return { seriesIndex: s, dataIndex: d, pixel: pixel as number[] | undefined };
    }
    return undefined;
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
      const drawing = {
        ...view,
        selection: undefined,
        filter: undefined,
        derived: undefined,
        constraints: undefined,
        sort: undefined,
        columns: undefined,
        onlyChanged: undefined,
        search: undefined,
      };
      const next = JSON.stringify([drawing, eff.x, eff.y, eff.color, eff.axes]);
      if (rows === data.rows && next === signature) return;
      rows = data.rows;
      signature = next;
      if (!chart) {
        chart = lib.init(el, undefined, { renderer: 'canvas' });
        window.__cmChart = chart;
        window.__cmLocate = locate;
        resize.observe(el);
        listen(chart);
      }
      const frontier = new Set(data.frontier);
      plot =
        view.type === 'parallel'
          ? parallelOption({ rows, view, eff, legendSelected })
          : cartesianOption({ rows, view, eff, frontier, legendSelected });
      const catalogue = eff.keys.map((k) => k.name);
      const shown =
        view.type === 'parallel'
          ? eff.axes.map((a) => a.key)
          : [eff.x, eff.y, eff.color, view.symbol, view.size];
      const option: ChartOption = {
        ...plot.option,
        tooltip: {
          trigger: 'item',
          confine: true,
          formatter: (p: unknown) => {
            const row = rowOf(p as unknown as ClickParams);
            return row
              ? tooltipOf(
                  row,
                  shown.filter((k): k is string => !!k),
                  catalogue,
                )
              : '';
          },
        },
      };
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
      chart.setOption(option, { notMerge: true });
      if ('axes' in plot) restoreBrushes(plot);
    },
    unplotted: () => (plot && 'unplotted' in plot ? plot.unplotted : 0),
    dispose() {
      resize.disconnect();
      chart?.dispose();
      if (window.__cmChart === chart) delete window.__cmChart;
      delete window.__cmLocate;
    },
  };
  return self;
}
