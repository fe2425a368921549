/**
 * Resolution invariance: a model's prediction should not depend on how finely its outputs are
 * sampled. The prediction on a grid of output times is compared with the prediction on a grid
 * `refine` times finer (refine - 1 equal points inserted into every interval), at the coarse grid's
 * times after the first; the figure is |fine - coarse| / |coarse| per sample and time.
 *
 * What a difference means depends on how the prediction integrates: a fixed-step rollout with a set
 * number of steps per output interval takes finer steps on the finer grid, so the difference is its
 * discretisation error; an adaptive solver with dense output takes the same steps whatever the
 * outputs, so anything above round-off there would be a defect (e.g. time-dependent fields fed the
 * wrong t on a finer grid).
 *
 * Point-cloud states (invariance to the number of points) do not apply: no model here has them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { spread, type Spread } from './stats';

/** Predicted states at times[b, j] from initial[b]: [B, D], [B, T] -> [B, T, D] (the `Model.predict` signature). */
export type PredictFn = (initial: tf.Tensor2D, times: tf.Tensor2D) => tf.Tensor3D;

export interface ResolutionFigures {
  method: string;
  coarsePoints: number;
  finePoints: number;
  /** |fine - coarse| / |coarse| over samples and shared times (after the first). */
  relative: Spread;
  /** The largest absolute difference of any coordinate. */
  maxAbs: number;
}

/** The grid with `refine - 1` equal points inserted into every interval of `times`. */
export function refineGrid(times: readonly number[], refine: number): number[] {
  if (!Number.isInteger(refine) || refine < 1) throw new Error(`refineGrid: refine must be a whole number >= 1, got ${refine}`);
  const out = [times[0]!];
  for (let j = 1; j < times.length; j++) {
    for (let i = 1; i <= refine; i++) out.push(i === refine ? times[j]! : times[j - 1]! + ((times[j]! - times[j - 1]!) * i) / refine);
  }
  return out;
}

export function resolutionInvariance(method: string, predict: PredictFn, initial: tf.Tensor2D, times: readonly number[], refine = 4): ResolutionFigures {
  if (times.length < 2) throw new Error(`resolution: needs at least 2 output times, got ${times.length}`);
  const fineTimes = refineGrid(times, refine);
  const [B, D] = initial.shape;
  const T = times.length;
  const grid = (ts: readonly number[]) => tf.tile(tf.tensor2d([...ts], [1, ts.length]), [B, 1]) as tf.Tensor2D;
  const [coarse, fine] = tf.tidy(() => {
    const c = predict(initial, grid(times));
    const f = predict(initial, grid(fineTimes));
    const shared = tf.gather(f, Array.from({ length: T }, (_, j) => j * refine), 1);
    return [c.dataSync(), shared.dataSync()];
  });
  const relative: number[] = [];
  let maxAbs = 0;
  for (let b = 0; b < B; b++) {
    for (let j = 1; j < T; j++) {
      let diff = 0;
      let norm = 0;
      for (let d = 0; d < D; d++) {
        const i = (b * T + j) * D + d;
        diff += (fine![i]! - coarse![i]!) ** 2;
        norm += coarse![i]! ** 2;
        maxAbs = Math.max(maxAbs, Math.abs(fine![i]! - coarse![i]!));
      }
      relative.push(Math.sqrt(diff / norm));
    }
  }
  return { method, coarsePoints: T, finePoints: fineTimes.length, relative: spread(relative), maxAbs };
}
