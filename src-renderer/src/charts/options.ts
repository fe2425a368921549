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

/** Axis tick labels: plain for ordinary magnitudes, 1e-6 style for tiny or huge ones. */
function axisNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(0).replace('e+', 'e');
  return String(Number(value.toPrecision(6)));
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
    grid: { left: 76, right: 24, top: 44, bottom: 70 },
    xAxis: { type: 'value', name: opts.xName, nameLocation: 'middle', nameGap: 26, scale: true },
    yAxis: { type: logY ? 'log' : 'value', name: opts.yName, nameLocation: 'middle', nameGap: 58, scale: !logY, axisLabel: { formatter: axisNumber } },
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

/**
 * Grouped bars. With logY the bars are drawn on a log10 scale that starts a decade below the
 * smallest value: ECharts' own log axis grows bars from 1, so errors below 1 would hang downwards.
 * Each bar keeps its value as `raw` (tooltip, CSV).
 */
export function barOption(categories: string[], series: BarSeries[], opts: { yName: string; logY?: boolean }): EChartsCoreOption {
  const logY = opts.logY ?? false;
  const usable = (v: number | null): v is number => v !== null && Number.isFinite(v) && (!logY || v > 0);
  const positives = series.flatMap((s) => s.values.filter(usable));
  // The decade strictly below the smallest value, so that value still gets a visible bar.
  const floorExp = logY && positives.length ? Math.ceil(Math.log10(Math.min(...positives))) - 1 : 0;
  const height = (v: number) => (logY ? Math.log10(v) - floorExp : v);
  const raw = (v: unknown) => (typeof v === 'number' ? v.toExponential(3) : '–');
  return {
    ...common(),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (items: { axisValueLabel: string; marker: string; seriesName: string; data: { raw?: number } | null }[]) =>
        [items[0]?.axisValueLabel ?? '', ...items.map((i) => `${i.marker}${i.seriesName}: <b>${raw(i.data?.raw)}</b>`)].join('<br/>'),
    },
    grid: { left: 76, right: 24, top: 44, bottom: categories.length > 4 ? 96 : 60 },
    xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 4 ? 30 : 0 } },
    yAxis: {
      type: 'value',
      name: opts.yName,
      nameLocation: 'middle',
      nameGap: 58,
      ...(logY ? { min: 0, minInterval: 1, axisLabel: { formatter: (v: number) => `1e${Math.round(v + floorExp)}` } } : { axisLabel: { formatter: axisNumber } }),
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }, { type: 'slider', xAxisIndex: 0, height: 16, bottom: 8 }],
    series: series.map((s) => ({
      name: s.name,
      type: 'bar',
      emphasis: { focus: 'series' },
      ...(s.color ? { itemStyle: { color: s.color } } : {}),
      data: s.values.map((v) => (usable(v) ? { value: height(v), raw: v } : { value: null, raw: null })),
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
  // About 8 tick labels per axis, however fine the grid.
  const every = (n: number) => Math.max(0, Math.ceil(n / 8) - 1);
  return {
    ...common(),
    legend: { show: false },
    tooltip: { position: 'top', formatter: (p: { value: [number, number, number] }) => `x = ${label([map.x[p.value[0]] ?? NaN])}, y = ${label([map.y[p.value[1]] ?? NaN])}<br/>${map.name} = ${p.value[2].toPrecision(4)}` },
    grid: { left: 64, right: 90, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: label(map.x), name: opts.xName, nameLocation: 'middle', nameGap: 28, axisLabel: { interval: every(map.x.length) } },
    yAxis: { type: 'category', data: label(map.y), name: opts.yName, axisLabel: { interval: every(map.y.length) } },
    visualMap: { min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 1, calculable: true, precision: 3, formatter: (v: number) => axisNumber(v), orient: 'vertical', right: 8, top: 'middle', inRange: { color: ['#eff6ff', '#60a5fa', '#1d4ed8', '#172554'] } },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }, { type: 'inside', yAxisIndex: 0 }],
    series: [{ name: map.name, type: 'heatmap', data, progressive: 5000 }],
  };
}
