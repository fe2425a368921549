/**
 * The workbench's plots of runs and their analyses as ECharts options: loss curves, predicted vs
 * true trajectories, energy drift, reversibility, extrapolation error and the learned metric.
 * Each returns null when there is nothing to draw, so the panel shows why instead of an empty frame.
 * A run keeps one colour (its index in `runs`) across every chart of a view.
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { AnalysisReport, MetricSeries, RunInfo } from '../../../src-shared/api';
import {
  ENERGY_SERIES,
  EXTRAPOLATION_SERIES,
  metricHeatmap,
  reversibilityFigures,
  seriesNamed,
  type PredictionSample,
  type ReversibilityFigure,
} from '../../../src-shared/analysisReport';
import { runLabel } from '../format';
import { barOption, heatmapOption, lineOption, PALETTE, type LineSeries, type Point } from './options';

export const LOSS_METRICS = ['trainLoss', 'testLoss'] as const;

export function runColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

function points(xs: number[], ys: (number | null)[]): Point[] {
  return xs.map((x, i) => [x, ys[i] ?? NaN]);
}

/** Train (solid) and test (dashed) loss of each run against epoch, log scale. */
export function lossOption(runs: RunInfo[], series: MetricSeries[]): EChartsCoreOption | null {
  const lines: LineSeries[] = [];
  runs.forEach((run, i) => {
    for (const metric of LOSS_METRICS) {
      const s = series.find((m) => m.runId === run.id && m.name === metric);
      if (!s?.steps.length) continue;
      lines.push({ name: `${runLabel(run)} ${metric === 'trainLoss' ? 'train' : 'test'}`, points: points(s.steps, s.values), dashed: metric === 'testLoss', color: runColor(i) });
    }
  });
  return lines.length ? lineOption(lines, { xName: 'epoch', yName: 'loss', logY: true }) : null;
}

/** Every logged loss term of one run (trainLoss, testLoss and the terms), log scale. */
export function termsOption(series: MetricSeries[]): EChartsCoreOption | null {
  const lines = series
    .filter((s) => s.steps.length && s.name !== 'wallTime')
    .map((s) => ({ name: s.name, points: points(s.steps, s.values), dashed: s.name === 'testLoss' }));
  return lines.length ? lineOption(lines, { xName: 'epoch', yName: 'loss', logY: true }) : null;
}

/** True (solid) and predicted (dashed) coordinates of one sample against time. */
export function predictionOption(sample: PredictionSample, coordinates: number[]): EChartsCoreOption | null {
  const lines: LineSeries[] = [];
  coordinates.forEach((c, k) => {
    if (c >= (sample.truth[0]?.length ?? 0)) return;
    const color = runColor(k);
    lines.push({ name: `y${c} true`, points: sample.times.map((t, i) => [t, sample.truth[i]?.[c] ?? NaN]), color });
    lines.push({ name: `y${c} predicted`, points: sample.times.map((t, i) => [t, sample.predicted[i]?.[c] ?? NaN]), dashed: true, color });
  });
  return lines.length ? lineOption(lines, { xName: 'time', yName: 'value' }) : null;
}

/** Relative drift of the true energy E (solid) and of each model's own conserved quantity (dashed). */
export function energyOption(runs: RunInfo[], reports: Record<string, AnalysisReport | null>): EChartsCoreOption | null {
  const lines: LineSeries[] = [];
  runs.forEach((run, i) => {
    const report = reports[run.id] ?? null;
    const trueEnergy = seriesNamed(report, ENERGY_SERIES.trueEnergy);
    const conserved = seriesNamed(report, ENERGY_SERIES.conserved);
    if (trueEnergy) lines.push({ name: `${runLabel(run)} true E`, points: points(trueEnergy.x, trueEnergy.y), color: runColor(i) });
    if (conserved) lines.push({ name: `${runLabel(run)} conserved`, points: points(conserved.x, conserved.y), dashed: true, color: runColor(i) });
  });
  return lines.length ? lineOption(lines, { xName: 'time', yName: 'relative drift', logY: true }) : null;
}

/** Squared prediction error against time, past the training horizon. */
export function extrapolationOption(runs: RunInfo[], reports: Record<string, AnalysisReport | null>): EChartsCoreOption | null {
  const lines: LineSeries[] = [];
  runs.forEach((run, i) => {
    const s = seriesNamed(reports[run.id] ?? null, EXTRAPOLATION_SERIES);
    if (s) lines.push({ name: runLabel(run), points: points(s.x, s.y), color: runColor(i) });
  });
  return lines.length ? lineOption(lines, { xName: 'time', yName: 'squared error', logY: true }) : null;
}

/** Round-trip and reversal errors per solver (categories), one bar series per run. */
export function reversibilityOption(runs: RunInfo[], reports: Record<string, AnalysisReport | null>): EChartsCoreOption | null {
  const category = (f: ReversibilityFigure) => `${f.kind === 'roundTrip' ? 'round trip' : 'reversal'} · ${f.solver}`;
  const figures = runs.map((run) => reversibilityFigures(reports[run.id] ?? null));
  const categories = [...new Set(figures.flat().map(category))].sort();
  if (!categories.length) return null;
  const bars = runs
    .map((run, i) => ({
      name: runLabel(run),
      values: categories.map((c) => figures[i]!.find((f) => category(f) === c)?.value ?? null),
      color: runColor(i),
    }))
    .filter((s) => s.values.some((v) => v !== null));
  return barOption(categories, bars, { yName: 'error', logY: true });
}

/** The learned metric's scalar on the chart grid of an NGF run with m = 2. */
export function metricOption(report: AnalysisReport | null): EChartsCoreOption | null {
  const map = metricHeatmap(report);
  return map ? heatmapOption({ name: map.quantity, x: map.x, y: map.y, values: map.values }, { xName: 'x¹', yName: 'x²' }) : null;
}
