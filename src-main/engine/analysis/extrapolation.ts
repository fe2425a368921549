/**
 * Extrapolation: how the prediction error grows with time, within and past the span the model was
 * trained on.
 *
 * From each initial state the model's flow is rolled out through the grid (encode, integrate,
 * decode) and compared with the true states wherever the grid has them (./evaluationSet.ts). The
 * series is the squared error per time, a mean over samples and coordinates; the summary gives it at
 * a few times (quarters of the rollout and, when given, the training horizon), the mean error up to
 * and past the training horizon, and the best, median and worst samples for plotting (their own MSE
 * over the whole rollout).
 */
import type { NamedSeries } from '../../../src-shared/api';
import type { PredictionSample } from '../../../src-shared/analysisReport';
import { EXTRAPOLATION_SERIES } from '../../../src-shared/analysisReport';
import type { FlowRollout } from './rollout';

export interface ExtrapolationOptions {
  /** True states on the rollout's grid [B, K, D] and where they are known (./evaluationSet.ts truthOnGrid). */
  truth: { states: Float64Array; known: boolean[] };
  /** Time from the start the model was trained up to; errors before and after it are reported apart. */
  trainHorizon?: number | null;
  /** Dataset row of each sample, for the plotted samples. */
  rows?: number[];
}

export interface Extrapolation {
  summary: {
    integrator: string;
    samples: number;
    /** Time from the start of the last point with a true state. */
    duration: number;
    /** MSE at a few times from the start: [{ t, mse }], t the nearest grid time with a true state. */
    at: { t: number; mse: number }[];
    /** MSE over every point with a true state. */
    mse: number;
    /** Samples whose prediction became NaN or infinite (left out of every mean). */
    diverged: number;
    trainHorizon: number | null;
    /** MSE over points up to the training horizon, and past it (null when there are none). */
    mseWithinHorizon: number | null;
    mseBeyondHorizon: number | null;
  };
  series: NamedSeries[];
  samples: PredictionSample[];
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

export function extrapolation(rollout: FlowRollout, options: ExtrapolationOptions): Extrapolation {
  const { truth } = options;
  const { count: B, points: K, dataDim: D, decoded: predicted } = rollout;
  const grid = { times: rollout.times };
  const known = grid.times.map((_, k) => k).filter((k) => truth.known[k]);
  if (known.length === 0) throw new Error('extrapolation: no true states on the rollout grid');
  // err[b][k]: mean over coordinates of the squared error.
  const err = Array.from({ length: B }, (_, b) =>
    grid.times.map((_, k) => {
      let sum = 0;
      for (let d = 0; d < D; d++) sum += (predicted[(b * K + k) * D + d]! - truth.states[(b * K + k) * D + d]!) ** 2;
      return sum / D;
    }),
  );
  const t = (k: number) => grid.times[k]! - grid.times[0]!;
  // Diverged samples (a NaN or infinite error somewhere) are counted, and left out of the means.
  const finiteRows = err.filter((row) => known.every((k) => Number.isFinite(row[k]!)));
  const mseAt = (k: number) => (finiteRows.length ? finiteRows.reduce((s, row) => s + row[k]!, 0) / finiteRows.length : NaN);
  const duration = t(known[known.length - 1]!);
  const nearest = (target: number) => known.reduce((best, k) => (Math.abs(t(k) - target) < Math.abs(t(best) - target) ? k : best), known[0]!);
  const horizon = options.trainHorizon ?? null;
  const targets = [0.25, 0.5, 0.75, 1].map((f) => f * duration);
  if (horizon !== null) targets.push(horizon);
  const atIndices = [...new Set(targets.map(nearest))].sort((a, b) => a - b);

  const sampleMse = err.map((row) => mean(known.map((k) => row[k]!))!);
  // Plotted samples come from those that stayed finite (a report holds no NaN).
  const order = sampleMse
    .map((_, b) => b)
    .filter((b) => Number.isFinite(sampleMse[b]!))
    .sort((a, b) => sampleMse[a]! - sampleMse[b]!);
  const picks: [string, number][] = order.length
    ? [
        ['best', order[0]!],
        ['median', order[Math.floor((order.length - 1) / 2)]!],
        ['worst', order[order.length - 1]!],
      ]
    : [];
  const samples = picks.map(([label, b]) => ({
    label,
    index: options.rows?.[b] ?? b,
    times: known.map(t),
    truth: known.map((k) => Array.from(truth.states.subarray((b * K + k) * D, (b * K + k + 1) * D))),
    predicted: known.map((k) => Array.from(predicted.subarray((b * K + k) * D, (b * K + k + 1) * D))),
    mse: sampleMse[b]!,
  }));
  const slack = 1e-6 * Math.max(duration, 1);
  return {
    summary: {
      integrator: rollout.integrator,
      samples: B,
      duration,
      at: atIndices.map((k) => ({ t: t(k), mse: mseAt(k) })),
      mse: mean(known.map(mseAt))!,
      diverged: B - finiteRows.length,
      trainHorizon: horizon,
      mseWithinHorizon: horizon === null ? null : mean(known.filter((k) => t(k) <= horizon + slack).map(mseAt)),
      mseBeyondHorizon: horizon === null ? null : mean(known.filter((k) => t(k) > horizon + slack).map(mseAt)),
    },
    series: [{ name: EXTRAPOLATION_SERIES, x: known.map(t), y: known.map(mseAt) }],
    samples,
  };
}
