// A small parallel-coordinates chart of the compared results (gui.md §5.5 item 4): one axis per
// numeric key (those that differ first), one line per result. ECharts is imported piece by piece
// so that the bundle carries only the parallel chart.
import { init, use, type EChartsCoreOption, type EChartsType } from 'echarts/core';
import { ParallelChart } from 'echarts/charts';
import { LegendComponent, ParallelComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ResultRow } from '../../../src/core/results/types.js';
import { display, h } from '../dom.js';
import { isSame } from './compare-table.js';

use([ParallelChart, ParallelComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const MAX_AXES = 12;
const SKIP = new Set(['uid', '_rank', '_frontier']);

/** Keys that are numbers in every row, differing ones first, at most MAX_AXES. */
export function numericKeys(rows: ResultRow[], keys: string[]): string[] {
  const numeric = keys.filter((k) => !SKIP.has(k) && rows.every((r) => typeof r[k] === 'number'));
  const differ = numeric.filter((k) => !isSame(rows, k));
  const same = numeric.filter((k) => isSame(rows, k));
  return [...differ, ...same].slice(0, MAX_AXES);
}

export interface ParallelStrip {
  element: HTMLElement;
  dispose(): void;
}

/** The strip, or a note when fewer than two numeric keys are shared. Call `mount` once attached. */
export function parallelStrip(
  rows: ResultRow[],
  keys: string[],
): ParallelStrip & { mount(): void } {
  const axes = numericKeys(rows, keys);
  if (axes.length < 2 || rows.length < 2)
    return {
      element: h(
        'p',
        { class: 'note', 'data-testid': 'parallel-none' },
        'Fewer than two numeric keys in common: no parallel-coordinates chart.',
      ),
      dispose: () => undefined,
      mount: () => undefined,
    };
  const element = h('div', {
    class: 'parallel-strip',
    'data-testid': 'parallel-strip',
    'data-axes': axes.join(','),
  });
  let chart: EChartsType | undefined;
  const label = (r: ResultRow) => `${r.experiment_alias || r.experiment_uid} ${r.uid}`;
  // ECharts' ComposeOption has no key for `parallelAxis` (not a component of its own): loose type.
  const option: EChartsCoreOption = {
    animation: false,
    legend: { top: 0, data: rows.map(label) },
    tooltip: {
      formatter: (p: { seriesIndex?: number } | Array<{ seriesIndex?: number }>) => {
        const param = Array.isArray(p) ? p[0] : p;
        const row = rows[param?.seriesIndex ?? 0];
        if (!row) return '';
        return h(
          'div',
          {},
          h('b', {}, label(row)),
          ...axes.map((k) => h('div', {}, `${k}: ${display(row[k])}`)),
        );
      },
    },
    parallel: { left: 40, right: 80, top: 40, bottom: 30 },
    parallelAxis: axes.map((name, dim) => ({ dim, name, type: 'value' as const, scale: true })),
    series: rows.map((r) => ({
      type: 'parallel',
      name: label(r),
      lineStyle: { width: 2, opacity: 0.8 },
      data: [axes.map((k) => r[k] as number)],
    })),
  };
  return {
    element,
    mount: () => {
      chart = init(element, undefined, { renderer: 'canvas' });
      chart.setOption(option);
    },
    dispose: () => chart?.dispose(),
  };
}
