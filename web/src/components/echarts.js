// The part of ECharts the UI uses (bar and line charts), registered once. Imported dynamically
// by chart.js, so that esbuild puts it, tree-shaken, in a chunk of its own.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export default echarts;
