/**
 * ECharts option builders for the workbench's three kinds of plot. Every chart gets the same
 * interaction: axis tooltips, inside + slider dataZoom, a toggling legend and a saveAsImage button;
 * long line series are drawn with LTTB down-sampling so 100 000 points stay fluid.
 */
import type { EChartsCoreOption } from 'echarts/core';

export type Point = [number, number];

export interface LineSeries {
  name: string;
  points: Point[];
  /** Dashed line, e.g. a test loss next to its train loss. */
  dashed?: boolean;
  /** Fixed colour, so the curves of one run share it. */
  color?: string;
}

export interface LineOptions {
  xName: string;
  yName: string;
  logY?: boolean;
}

export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#db2777', '#65a30d', '#4b5563', '#ca8a04'];

function common(): EChartsCoreOption {
  return {
    color: PALETTE,
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    legend: { type: 'scroll', top: 0, left: 8, right: 90 },
    toolbox: { right: 8, top: 0, feature: { saveAsImage: { title: 'PNG', pixelRatio: 2 }, restore: { title: 'Reset' } } },
  };
}

/** Values a log axis cannot show (<= 0, non-finite) become gaps instead of breaking the axis. */
function plottable(points: Point[], logY: boolean): (Point | [number, null])[] {
  return points.map(([x, y]) => (Number.isFinite(y) && (!logY || y > 0) ? [x, y] : [x, null]));
}

export function lineOption(series: LineSeries[], opts: LineOptions): EChartsCoreOption {
  const logY = opts.logY ?? false;
  return {
    ...common(),
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toPrecision(4) : String(v ?? '–')) },
    grid: { left: 64, right: 24, top: 40, bottom: 70 },
    xAxis: { type: 'value', name: opts.xName, nameLocation: 'middle', nameGap: 26, scale: true },
    yAxis: { type: logY ? 'log' : 'value', name: opts.yName, nameLocation: 'end', scale: !logY },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0 },
      { type: 'slider', xAxisIndex: 0, height: 16, bottom: 8 },
    ],
    series: series.map((s) => ({
      name: s.name,
      type: 'line',
      showSymbol: false,
      sampling: 'lttb',
      connectNulls: false,
      lineStyle: { width: 1.6, type: s.dashed ? 'dashed' : 'solid' },
      ...(s.color ? { color: s.color } : {}),
      emphasis: { focus: 'series' },
      data: plottable(s.points, logY),
    })),
  };
}

export interface BarSeries {
  name: string;
  values: (number | null)[];
  color?: string;
}

export function barOption(categories: string[], series: BarSeries[], opts: { yName: string; logY?: boolean }): EChartsCoreOption {
  const logY = opts.logY ?? false;
  return {
    ...common(),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toExponential(3) : '–') },
    grid: { left: 64, right: 24, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0 } },
    yAxis: { type: logY ? 'log' : 'value', name: opts.yName },
    dataZoom: [{ type: 'inside', yAxisIndex: 0 }, { type: 'slider', xAxisIndex: 0, height: 16, bottom: 8 }],
    series: series.map((s) => ({
      name: s.name,
      type: 'bar',
      emphasis: { focus: 'series' },
      ...(s.color ? { itemStyle: { color: s.color } } : {}),
      data: s.values.map((v) => (v !== null && Number.isFinite(v) && (!logY || v > 0) ? v : null)),
    })),
  };
}

export interface Heatmap {
  name: string;
  x: number[];
  y: number[];
  /** values[j][i] at (x[i], y[j]). */
  values: number[][];
}

export function heatmapOption(map: Heatmap, opts: { xName: string; yName: string }): EChartsCoreOption {
  const data: [number, number, number][] = [];
  let min = Infinity;
  let max = -Infinity;
  map.values.forEach((row, j) =>
    row.forEach((value, i) => {
      if (!Number.isFinite(value)) return;
      data.push([i, j, value]);
      min = Math.min(min, value);
      max = Math.max(max, value);
    }),
  );
  const label = (values: number[]) => values.map((v) => Number(v.toPrecision(3)).toString());
  return {
    ...common(),
    legend: { show: false },
    tooltip: { position: 'top', formatter: (p: { value: [number, number, number] }) => `x = ${label([map.x[p.value[0]] ?? NaN])}, y = ${label([map.y[p.value[1]] ?? NaN])}<br/>${map.name} = ${p.value[2].toPrecision(4)}` },
    grid: { left: 64, right: 90, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: label(map.x), name: opts.xName, nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'category', data: label(map.y), name: opts.yName },
    visualMap: { min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 1, calculable: true, orient: 'vertical', right: 8, top: 'middle', inRange: { color: ['#eff6ff', '#60a5fa', '#1d4ed8', '#172554'] } },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }, { type: 'inside', yAxisIndex: 0 }],
    series: [{ name: map.name, type: 'heatmap', data, progressive: 5000 }],
  };
}
