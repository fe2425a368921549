/**
 * What an AnalysisReport (./api.ts) carries for the plots of the Run and Compare views: a naming
 * convention on top of its generic `scalars`, `series` and `sections`, and tolerant readers for it.
 *
 * The analysis engine writes, and the UI reads:
 *
 * series (x = time in the data's units, y = a mean over the evaluated samples):
 * - 'energy.true'       relative drift |E(t) - E(0)| / |E(0)| of the system's true energy evaluated on
 *                       the decoded prediction (systems with a known energy only);
 * - 'energy.conserved'  the same drift for the model's own conserved quantity (NGF: g(v, v) of the
 *                       latent state, HNN: the learned H; absent for a neural ODE);
 * - 'extrapolation.mse' squared prediction error vs time, rolled out to `options.horizon` times the
 *                       data's time span.
 * scalars:
 * - 'reversibility.roundTrip.<solver>'  mean |z0 - flow_-T(flow_T(z0))| / |z0|: integrate forward, then back;
 * - 'reversibility.reversal.<solver>'   mean |z0 - R flow_T(R flow_T(z0))| / |z0|, R flipping the velocities
 *                                       (both in the model's flow space: latent for an NGF).
 * sections:
 * - prediction: { samples: PredictionSample[] }, usually the best, median and worst test samples;
 * - metric (NGF with m = 2): MetricHeatmap, a scalar of the learned metric on a grid of the chart.
 *
 * Readers return null (or []) where a report lacks a part or holds it in another shape, so a view
 * shows "no analysis yet" instead of failing on an older or foreign report.
 */
import * as v from 'valibot';
import type { AnalysisReport, NamedSeries } from './api';

export const ENERGY_SERIES = { trueEnergy: 'energy.true', conserved: 'energy.conserved' } as const;
export const EXTRAPOLATION_SERIES = 'extrapolation.mse';
export const REVERSIBILITY_PREFIX = 'reversibility.';

const numbers = v.array(v.number());
const matrix = v.array(numbers);

const predictionSampleSchema = v.object({
  /** 'best', 'median', 'worst', or any label. */
  label: v.string(),
  /** Index of the sample in the evaluated dataset. */
  index: v.number(),
  times: numbers,
  /** truth[t][coordinate], in data space. */
  truth: matrix,
  /** predicted[t][coordinate], same shape as truth. */
  predicted: matrix,
  /** Mean squared error of this sample. */
  mse: v.number(),
});
export type PredictionSample = v.InferOutput<typeof predictionSampleSchema>;

const metricHeatmapSchema = v.object({
  /** What `values` holds, e.g. 'sqrt(det g)' or 'scalar curvature'. */
  quantity: v.string(),
  x: numbers,
  y: numbers,
  /** values[j][i] at (x[i], y[j]). */
  values: matrix,
});
export type MetricHeatmap = v.InferOutput<typeof metricHeatmapSchema>;

export interface ReversibilityFigure {
  kind: 'roundTrip' | 'reversal';
  solver: string;
  value: number;
}

export function seriesNamed(report: AnalysisReport | null, name: string): NamedSeries | null {
  return report?.series.find((s) => s.name === name) ?? null;
}

export function reversibilityFigures(report: AnalysisReport | null): ReversibilityFigure[] {
  const out: ReversibilityFigure[] = [];
  for (const [key, value] of Object.entries(report?.scalars ?? {})) {
    if (!key.startsWith(REVERSIBILITY_PREFIX)) continue;
    const [kind, ...solver] = key.slice(REVERSIBILITY_PREFIX.length).split('.');
    if ((kind === 'roundTrip' || kind === 'reversal') && solver.length) out.push({ kind, solver: solver.join('.'), value });
  }
  return out;
}

export function predictionSamples(report: AnalysisReport | null): PredictionSample[] {
  const section = report?.sections.prediction as { samples?: unknown } | undefined;
  const parsed = v.safeParse(v.array(predictionSampleSchema), section?.samples);
  return parsed.success ? parsed.output : [];
}

export function metricHeatmap(report: AnalysisReport | null): MetricHeatmap | null {
  const parsed = v.safeParse(metricHeatmapSchema, report?.sections.metric);
  return parsed.success ? parsed.output : null;
}
