/**
 * Tree-shaken ECharts: only the chart types and components the workbench draws are registered,
 * which keeps the renderer bundle small. Importing this module once (ChartPanel does) is enough.
 */
import { use, getInstanceByDom } from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ToolboxComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, BarChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, ToolboxComponent, VisualMapComponent, CanvasRenderer]);

/** Lets end-to-end tests read a chart's series from its DOM element (ChartPanel's `.chart-canvas`). */
declare global {
  interface Window {
    ngfCharts?: { seriesOf(el: Element): { name: string; type: string; points: number }[] };
  }
}

if (typeof window !== 'undefined') {
  window.ngfCharts = {
    seriesOf(el) {
      // vue-echarts initialises ECharts on an inner `.echarts-host` element of its root.
      const host = (el.querySelector('.echarts-host') ?? el) as HTMLElement;
      const option = getInstanceByDom(host)?.getOption() as { series?: { name?: string; type?: string; data?: unknown[] }[] } | undefined;
      return (option?.series ?? []).map((s) => ({ name: String(s.name ?? ''), type: String(s.type ?? ''), points: s.data?.length ?? 0 }));
    },
  };
}
