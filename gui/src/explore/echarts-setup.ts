// The parts of ECharts the explore page uses, registered once (tree-shaken imports from
// `echarts/core`, canvas renderer), and the option types.
import { BarChart, CustomChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import type {
  BarSeriesOption,
  CustomSeriesOption,
  LineSeriesOption,
  ParallelSeriesOption,
  ScatterSeriesOption,
} from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  CustomChart,
  LineChart,
  ParallelChart,
  ScatterChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** A whole option; loose (ECharts' composed type rejects valid mixes of parallel and grid
 * charts), its series typed by SeriesOption. */
export type ChartOption = echarts.EChartsCoreOption;
export type SeriesOption =
  | BarSeriesOption
  | CustomSeriesOption
  | LineSeriesOption
  | ParallelSeriesOption
  | ScatterSeriesOption;

export { echarts };
