// One drawing of the chart: the option for the chart type (with the hover card), what decides
// whether a redraw is needed, and where a row's point is (for tests that hover or click it).
import type { ResultRow, ViewState } from '../../../src/core/results/types.js';
import { cartesianOption, FRONTIER_SERIES, type Plot } from './cartesian-option.js';
import type { ChartOption, echarts } from './echarts-setup.js';
import type { EffectiveView } from './effective-view.js';
import { parallelOption, type ParallelPlot } from './parallel-option.js';
import { tooltipOf } from './tooltip.js';

export interface Drawing {
  plot: Plot | ParallelPlot;
  option: ChartOption;
}

/** Where a row is drawn: for tests that hover or click a point (pixel in the chart's box). */
export interface PointLocation {
  seriesIndex: number;
  dataIndex: number;
  pixel: number[] | undefined;
}

/** What an ECharts mouse event says of its point. */
export interface PointEvent {
  seriesIndex?: number;
  dataIndex: number;
  seriesName?: string;
  event?: { event?: MouseEvent };
}

/** The view's choices that change the drawing (not the ones that only change rows or table). */
export function drawingSignature(view: ViewState, eff: EffectiveView): string {
  const { type, x, y, xLog, yLog, color, symbol, size, title, pareto, axes } = view;
  const choices = { type, x, y, xLog, yLog, color, symbol, size, title, pareto, axes };
  return JSON.stringify([choices, eff.x, eff.y, eff.color, eff.axes]);
}

/** The answer's row behind a point of `plot`. */
export function rowAt(
  plot: Drawing['plot'] | undefined,
  rows: readonly ResultRow[],
  p: PointEvent,
): ResultRow | undefined {
  return rows[plot?.rowIndex[p.seriesIndex ?? -1]?.[p.dataIndex] ?? -1];
}

export function drawingOf(input: {
  rows: readonly ResultRow[];
  view: ViewState;
  eff: EffectiveView;
  frontier: ReadonlySet<string>;
  legendSelected: Record<string, boolean>;
}): Drawing {
  const { rows, view, eff } = input;
  const plot = view.type === 'parallel' ? parallelOption(input) : cartesianOption(input);
  const catalogue = eff.keys.map((k) => k.name);
  const shown = (
    view.type === 'parallel'
      ? eff.axes.map((a) => a.key)
      : [eff.x, eff.y, eff.color, view.symbol, view.size]
  ).filter((k): k is string => !!k);
  const option: ChartOption = {
    ...plot.option,
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: unknown) => {
        const row = rowAt(plot, rows, p as PointEvent);
        return row ? tooltipOf(row, shown, catalogue) : '';
      },
    },
  };
  return { plot, option };
}

/** The series, index and pixel of row `id`'s point (the frontier's rings left aside). */
export function locatePoint(
  drawing: Drawing | undefined,
  rows: readonly ResultRow[],
  chart: echarts.ECharts | undefined,
  id: string,
): PointLocation | undefined {
  if (!drawing) return undefined;
  const { plot, option } = drawing;
  const series = (option['series'] ?? []) as Array<{ name?: string; data?: unknown }>;
  for (let s = 0; s < series.length; s++) {
    if (series[s]!.name === FRONTIER_SERIES) continue;
    const d = plot.rowIndex[s]?.findIndex((i) => rows[i]?._id === id) ?? -1;
    if (d < 0) continue;
    if ('axes' in plot) return { seriesIndex: s, dataIndex: d, pixel: undefined };
    const data = series[s]!.data as ArrayLike<unknown>;
    const point = ArrayBuffer.isView(data)
      ? [(data as Float64Array)[2 * d], (data as Float64Array)[2 * d + 1]]
      : (data[d] as unknown[]).slice(0, 2);
    const pixel = chart?.convertToPixel({ seriesIndex: s }, point as number[]);
    return { seriesIndex: s, dataIndex: d, pixel: pixel as number[] | undefined };
  }
  return undefined;
}
