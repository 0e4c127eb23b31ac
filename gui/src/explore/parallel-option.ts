// The ECharts option of parallel coordinates (gui.md §4, W&B style): one axis per chosen key
// (flip and log per axis), one line per row coloured by the colour key, axes brushable; a row's
// value is blank on an axis it lacks.
import type { ResultRow, ViewState } from '../../../src/core/results/types.js';
import { GREY_SERIES, toNumber } from './cartesian-option.js';
import type { EffectiveView } from './effective-view.js';
import type { ChartOption, SeriesOption } from './echarts-setup.js';
import { categories, colorAt, DEFAULT_COLOR, GREY, labelOf } from './encoding.js';

export interface ParallelInput {
  rows: readonly ResultRow[];
  view: ViewState;
  eff: EffectiveView;
  legendSelected: Record<string, boolean>;
}

export interface ParallelAxisInfo {
  key: string;
  /** The axis's categories (brushes on a category axis are in category positions). */
  categories?: string[];
}

export interface ParallelPlot {
  option: ChartOption;
  points: number;
  greyed: number;
  axes: ParallelAxisInfo[];
  /** Per series, the answer's row index of each line. */
  rowIndex: number[][];
}

/** The id of the n-th parallel axis (what brush events name). */
export function axisId(n: number): string {
  return `axis${n}`;
}

/** Lines of one series and the answer's row index of each. */
interface Lines {
  data: Array<Array<number | string | null>>;
  rows: number[];
}

export function parallelOption(input: ParallelInput): ParallelPlot {
  const { rows, view, eff } = input;
  const axes: ParallelAxisInfo[] = eff.axes.map((a) => {
    const isNumeric = eff.keys.find((k) => k.name === a.key)?.kind === 'number';
    return isNumeric
      ? { key: a.key }
      : { key: a.key, categories: categories(rows.map((r) => r[a.key])).labels };
  });
  const valueOf = (row: ResultRow, n: number): number | string | null => {
    const a = axes[n]!;
    if (a.categories) return labelOf(row[a.key]);
    const v = toNumber(row[a.key]);
    return v === undefined || (eff.axes[n]!.isLog && v <= 0) ? null : v;
  };
  const colors = categories(eff.color ? rows.map((r) => r[eff.color!]) : []);
  const groups = new Map<number, Lines>();
  const grey: Lines = { data: [], rows: [] };
  rows.forEach((row, i) => {
    const line = axes.map((_, n) => valueOf(row, n));
    const c = eff.color ? colors.indexOf(row[eff.color]) : 0;
    const group = row['_violates'] ? grey : (groups.get(c) ?? { data: [], rows: [] });
    group.data.push(line);
    group.rows.push(i);
    if (!row['_violates']) groups.set(c, group);
  });
  const lineSeries = (
    name: string,
    color: string,
    data: unknown[],
    silent = false,
  ): SeriesOption => ({
    type: 'parallel',
    name,
    data: data as number[][],
    silent,
    lineStyle: { color, width: 1, opacity: silent ? 0.3 : 0.7 },
    inactiveOpacity: 0.05,
    activeOpacity: 1,
    progressive: 2000,
    smooth: false,
  });
  const ordered = [...groups].sort((a, b) => a[0] - b[0]);
  const series = ordered.map(([c, g]) =>
    lineSeries(
      eff.color ? colors.labels[c]! : 'rows',
      eff.color ? colorAt(c) : DEFAULT_COLOR,
      g.data,
    ),
  );
  const rowIndex = ordered.map(([, g]) => g.rows);
  if (grey.data.length) {
    series.push(lineSeries(GREY_SERIES, GREY, grey.data, true));
    rowIndex.push(grey.rows);
  }
  const option: ChartOption = {
    animation: false,
    title: { text: view.title ?? '', left: 'center' },
    legend: eff.color
      ? { type: 'scroll', top: 28, data: colors.labels, selected: input.legendSelected }
      : { show: false },
    parallel: { left: 60, right: 80, top: 80, bottom: 40 },
    parallelAxis: eff.axes.map((a, n) => ({
      id: axisId(n),
      dim: n,
      name: a.key,
      type: axes[n]!.categories ? 'category' : a.isLog ? 'log' : 'value',
      ...(axes[n]!.categories ? { data: axes[n]!.categories } : { scale: true }),
      inverse: a.isFlipped,
      // The name stays on top of a flipped axis.
      nameLocation: a.isFlipped ? 'start' : 'end',
      realtime: true,
    })),
    series,
  };
  return {
    option,
    points: rows.length - grey.rows.length,
    greyed: grey.rows.length,
    axes,
    rowIndex,
  };
}
