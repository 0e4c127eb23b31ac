// The ECharts option of a scatter, line or bar chart over X and Y: one series per (colour,
// symbol) pair named by its colour value (so the legend toggles a colour), violators in grey and
// silent, the Pareto frontier ringed with its 2-D step line, min–max error bars for groups.
import type { ResultRow, ViewState } from '../../../src/core/results/types.js';
import type { EffectiveView } from './effective-view.js';
import type { ChartOption, SeriesOption } from './echarts-setup.js';
import {
  categories,
  colorAt,
  DEFAULT_COLOR,
  GREY,
  labelOf,
  sizeScale,
  symbolAt,
} from './encoding.js';

/** Above this many points a series is drawn in ECharts' `large` mode (one path, no per-point
 * styles), which keeps 50,000 points within the page's 2 s budget. */
const LARGE = 2000;

/** A point while series are built: x, y, the row's index in the answer, its symbol size. */
export type Item = [number | string, number | string, number, number];

/** Series of these names stay out of the legend. */
export const FRONTIER_SERIES = '__frontier';
export const STEP_SERIES = '__frontier_step';
export const GREY_SERIES = '__violating';

export interface CartesianInput {
  rows: readonly ResultRow[];
  view: ViewState;
  eff: EffectiveView;
  frontier: ReadonlySet<string>;
  legendSelected: Record<string, boolean>;
}

export interface Plot {
  option: ChartOption;
  /** Points drawn in colour (greyed violators not counted). */
  points: number;
  greyed: number;
  /** Rows lacking X or Y (or not positive on a log axis). */
  unplotted: number;
  /** Per series, the answer's row index of each point. */
  rowIndex: number[][];
}

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A row's coordinate on an axis: a number (positive on a log axis) or a category label. */
function coordOf(v: unknown, isNumeric: boolean, isLog: boolean): number | string | undefined {
  if (!isNumeric) return v === null || v === undefined || v === '' ? undefined : labelOf(v);
  const n = toNumber(v);
  return n === undefined || (isLog && n <= 0) ? undefined : n;
}

/** An axis; `fromZero` for bar heights (other charts fit the axis to the data). */
function axisOf(
  key: string | undefined,
  isNumeric: boolean,
  isLog: boolean,
  labels: string[],
  fromZero = false,
): Record<string, unknown> {
  const base = { name: key ?? '', nameLocation: 'middle', nameGap: 32, scale: !fromZero };
  if (!isNumeric) return { ...base, type: 'category', data: labels };
  return { ...base, type: isLog ? 'log' : 'value' };
}

/** How bar series share a category: ECharts' defaults, given to the error bars too. */
const BAR_GAP = '30%';
const BAR_CATEGORY_GAP = '20%';

/**
 * Min–max bars of aggregated rows (`y#min`, `y#max`), drawn as a custom series; on a bar chart,
 * over bar `slot.k` of the `slot.n` a category holds.
 */
function errorBars(
  name: string,
  color: string,
  items: Array<[number | string, number, number]>,
  slot?: { k: number; n: number },
): SeriesOption {
  return {
    type: 'custom',
    name,
    silent: true,
    z: 1,
    data: items,
    encode: { x: 0, y: [1, 2] },
    renderItem: (_params, api) => {
      const lo = api.coord([api.value(0), api.value(1)]);
      const hi = api.coord([api.value(0), api.value(2)]);
      const layout = slot
        ? api.barLayout({ count: slot.n, barGap: BAR_GAP, barCategoryGap: BAR_CATEGORY_GAP })
        : undefined;
      const x = lo[0]! + (layout?.[slot!.k]?.offsetCenter ?? 0);
      const [y1, y2] = [lo[1]!, hi[1]!];
      const style = { stroke: color, lineWidth: 1.5 };
      return {
        type: 'group',
        children: [
          { type: 'line', shape: { x1: x, y1, x2: x, y2 }, style },
          { type: 'line', shape: { x1: x - 4, y1, x2: x + 4, y2: y1 }, style },
          { type: 'line', shape: { x1: x - 4, y1: y2, x2: x + 4, y2 }, style },
        ],
      };
    },
  };
}

/** The ringed frontier points and the step line joining them (numeric axes only). */
function frontierSeries(
  items: readonly Item[],
  view: ViewState,
  x: string | undefined,
  isNumeric: boolean,
): SeriesOption[] {
  if (items.length === 0) return [];
  const ring: SeriesOption = {
    type: 'scatter',
    name: FRONTIER_SERIES,
    data: [...items],
    symbolSize: 16,
    itemStyle: { color: 'rgba(0,0,0,0)', borderColor: '#111', borderWidth: 2 },
    z: 4,
  };
  if (!isNumeric) return [ring];
  // With X maximised the staircase drops at each point before running right; minimised, it
  // runs right first (the boundary of the region the frontier dominates).
  const xGoal = view.pareto?.objectives.find((o) => o.key === x)?.goal ?? 'max';
  const sorted = [...items].sort(
    (a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number),
  );
  const step: SeriesOption = {
    type: 'line',
    name: STEP_SERIES,
    data: sorted.map((i) => [i[0], i[1]]),
    step: xGoal === 'min' ? 'end' : 'start',
    showSymbol: false,
    silent: true,
    lineStyle: { color: '#111', type: 'dashed', width: 1.5 },
    z: 3,
  };
  return [ring, step];
}

interface Groups {
  series: Map<string, { name: string; color: string; symbol: string; items: Item[] }>;
  /** Error bars by series key (`colour:symbol`), as `series`. */
  bars: Map<string, { color: string; items: Array<[number | string, number, number]> }>;
  grey: Item[];
  frontier: Item[];
  unplotted: number;
  colors: string[];
}

function groupRows(input: CartesianInput, xNum: boolean, yNum: boolean): Groups {
  const { rows, view, eff, frontier } = input;
  const { x, y, color } = eff;
  const colors = categories(color ? rows.map((r) => r[color]) : []);
  const symbols = categories(view.symbol ? rows.map((r) => r[view.symbol!]) : []);
  const size = view.size ? sizeScale(rows.map((r) => r[view.size!])) : () => 10;
  const g: Groups = {
    series: new Map(),
    bars: new Map(),
    grey: [],
    frontier: [],
    unplotted: 0,
    colors: colors.labels,
  };
  const hasBars = rows.some((r) => y !== undefined && `${y}#min` in r && `${y}#max` in r);
  rows.forEach((row, i) => {
    const xv = x === undefined ? undefined : coordOf(row[x], xNum, view.xLog === true);
    const yv = y === undefined ? undefined : coordOf(row[y], yNum, view.yLog === true);
    if (xv === undefined || yv === undefined) {
      g.unplotted++;
      return;
    }
    const item: Item = [xv, yv, i, size(view.size ? row[view.size] : undefined)];
    if (row['_violates']) {
      g.grey.push(item);
      return;
    }
    const c = color ? colors.indexOf(row[color]) : 0;
    const s = view.symbol ? symbols.indexOf(row[view.symbol]) : 0;
    const name = color ? colors.labels[c]! : 'rows';
    const entry = g.series.get(`${c}:${s}`) ?? {
      name,
      color: color ? colorAt(c) : DEFAULT_COLOR,
      symbol: symbolAt(s),
      items: [],
    };
    entry.items.push(item);
    g.series.set(`${c}:${s}`, entry);
    if (frontier.has(row._id)) g.frontier.push(item);
    const lo = toNumber(row[`${y}#min`]);
    const hi = toNumber(row[`${y}#max`]);
    if (hasBars && lo !== undefined && hi !== undefined) {
      const bar = g.bars.get(`${c}:${s}`) ?? { color: entry.color, items: [] };
      bar.items.push([xv, lo, hi]);
      g.bars.set(`${c}:${s}`, bar);
    }
  });
  return g;
}

/** A series' data: [x, y, size] items, or for a large numeric series x, y pairs in one typed
 * array (what ECharts ingests fastest); and the answer's row of each point. */
function dataOf(items: readonly Item[], isFlat: boolean): { data: unknown; rows: number[] } {
  const rows = items.map((it) => it[2]);
  if (!isFlat) return { data: items.map((it) => [it[0], it[1], it[3]]), rows };
  const flat = new Float64Array(items.length * 2);
  items.forEach((it, k) => {
    flat[2 * k] = it[0] as number;
    flat[2 * k + 1] = it[1] as number;
  });
  return { data: flat, rows };
}

function pointSeries(
  type: 'scatter' | 'line' | 'bar',
  g: Groups,
  axes: { xNum: boolean; yNum: boolean },
  hasSize: boolean,
): Array<{ series: SeriesOption; rows: number[] }> {
  return [...g.series.values()].map((s) => {
    const common = { name: s.name, itemStyle: { color: s.color } };
    if (type === 'bar') {
      const { data, rows } = dataOf(s.items, false);
      const series: SeriesOption = {
        ...common,
        type: 'bar',
        data: data as number[][],
        barGap: BAR_GAP,
        barCategoryGap: BAR_CATEGORY_GAP,
      };
      return { series, rows };
    }
    if (type === 'line') {
      const sorted = axes.xNum
        ? [...s.items].sort((a, b) => (a[0] as number) - (b[0] as number))
        : s.items;
      const { data, rows } = dataOf(sorted, false);
      const series: SeriesOption = {
        ...common,
        type: 'line',
        data: data as number[][],
        symbol: s.symbol,
        symbolSize: 8,
        lineStyle: { color: s.color },
      };
      return { series, rows };
    }
    const isLarge = s.items.length > LARGE;
    const { data, rows } = dataOf(s.items, isLarge && axes.xNum && axes.yNum);
    const series: SeriesOption = {
      ...common,
      type: 'scatter',
      data: data as number[][],
      ...(ArrayBuffer.isView(data) ? { dimensions: ['x', 'y'] } : {}),
      symbol: s.symbol,
      // Under 4 px ECharts fills squares instead of paths: 50,000 points paint in a few ms.
      symbolSize: hasSize && !isLarge ? (v: number[]) => v[2]! : isLarge ? 3 : 10,
      large: isLarge,
      largeThreshold: LARGE,
      progressive: 20_000,
      progressiveThreshold: 50_000,
    };
    return { series, rows };
  });
}

export function cartesianOption(input: CartesianInput): Plot {
  const { view, eff } = input;
  const type = view.type === 'bar' || view.type === 'line' ? view.type : 'scatter';
  const kindOf = (k: string | undefined): boolean =>
    k !== undefined && eff.keys.find((c) => c.name === k)?.kind === 'number';
  const xNum = kindOf(eff.x) && type !== 'bar';
  const yNum = kindOf(eff.y);
  const g = groupRows(input, xNum, yNum);
  const labelsOf = (k: 0 | 1, isNum: boolean): string[] => {
    if (isNum) return [];
    const seen = new Set<string>();
    for (const s of g.series.values()) for (const it of s.items) seen.add(String(it[k]));
    for (const it of g.grey) seen.add(String(it[k]));
    const all = [...seen];
    return all.every((l) => toNumber(l) !== undefined)
      ? all.sort((a, b) => Number(a) - Number(b))
      : all;
  };
  const series: SeriesOption[] = [];
  const rowIndex: number[][] = [];
  const add = (one: SeriesOption, rows: number[] = []): void => {
    series.push(one);
    rowIndex.push(rows);
  };
  for (const p of pointSeries(type, g, { xNum, yNum }, view.size !== undefined))
    add(p.series, p.rows);
  const keys = [...g.series.keys()];
  for (const [key, b] of g.bars) {
    const slot = type === 'bar' ? { k: keys.indexOf(key), n: keys.length } : undefined;
    add(errorBars(g.series.get(key)!.name, b.color, b.items, slot));
  }
  if (type !== 'bar') {
    const [ring, step] = frontierSeries(g.frontier, view, eff.x, xNum && yNum);
    if (ring)
      add(
        ring,
        g.frontier.map((it) => it[2]),
      );
    if (step) add(step);
  }
  if (g.grey.length) {
    const isLarge = g.grey.length > LARGE;
    const { data, rows } = dataOf(g.grey, isLarge && xNum && yNum);
    add(
      {
        type: 'scatter',
        name: GREY_SERIES,
        data: data as number[][],
        ...(ArrayBuffer.isView(data) ? { dimensions: ['x', 'y'] } : {}),
        silent: true,
        z: 1,
        itemStyle: { color: GREY },
        symbolSize: isLarge ? 3 : 10,
        large: isLarge,
      },
      rows,
    );
  }
  const option: ChartOption = {
    animation: false,
    title: { text: view.title ?? '', left: 'center' },
    legend: eff.color
      ? {
          type: 'scroll',
          top: 28,
          data: g.colors,
          selected: input.legendSelected,
          // With a symbol key a colour spans several symbols: the legend shows just the colour.
          ...(view.symbol ? { icon: 'circle' } : {}),
        }
      : { show: false },
    grid: { left: 60, right: 30, top: 70, bottom: 50, containLabel: true },
    xAxis: axisOf(eff.x, xNum, view.xLog === true, labelsOf(0, xNum)),
    yAxis: axisOf(eff.y, yNum, view.yLog === true, labelsOf(1, yNum), type === 'bar'),
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
    ],
    series,
  };
  const points = [...g.series.values()].reduce((n, s) => n + s.items.length, 0);
  return { option, points, greyed: g.grey.length, unplotted: g.unplotted, rowIndex };
}
