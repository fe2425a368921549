/** Shared fixtures of the analysis tests: the exact sphere model and states whose geodesics stay away from the chart's poles. */
import * as tf from '@tensorflow/tfjs-core';
import { datasetFromArrays, type Dataset } from '../../../../src-main/data/dataset';
import { greatCircle } from '../../../../src-main/data/generators/sphere';
import { sphereDecoder, sphereEncoder, sphereMetric } from '../../../../src-main/engine/geometry/analytic/sphere';
import { TangentBundleModel } from '../../../../src-main/engine/models/ngfTangentBundle';
import { bundleFlow, type ModelFlow } from '../../../../src-main/engine/analysis/flow';

export function sphereFlow(): ModelFlow {
  return bundleFlow(new TangentBundleModel({ psi: sphereEncoder, phi: sphereDecoder, metric: sphereMetric }));
}

/**
 * n states y = (p, v) in R^6 near the equator moving mostly eastward (v = a e_theta + b e_phi with
 * |a| <= 0.15 |b|), so their great circles keep theta within about 0.35 of pi/2, far from the poles.
 */
export function equatorialStates(n: number): Float32Array {
  const out = new Float32Array(n * 6);
  for (let i = 0; i < n; i++) {
    const theta = Math.PI / 2 + 0.2 * Math.sin(1.3 * i + 0.4);
    const phi = -3 + (6 * i) / Math.max(1, n - 1);
    const b = 0.5 + (0.7 * ((i * 7) % n)) / n;
    const a = 0.15 * b * Math.cos(2.1 * i);
    const [st, ct, sp, cp] = [Math.sin(theta), Math.cos(theta), Math.sin(phi), Math.cos(phi)];
    out.set([st * cp, st * sp, ct, a * ct * cp - b * sp, a * ct * sp + b * cp, -a * st], i * 6);
  }
  return out;
}

/** A trajectories dataset 'circles.npz': exact great circles from n equatorial states at times 0, 0.25, ..., 1. */
export function sphereTrajectories(n: number): Dataset {
  const y0 = equatorialStates(n);
  const times = [0, 0.25, 0.5, 0.75, 1];
  const data = Array.from({ length: n }, (_, b) => times.flatMap((t) => Array.from(greatCircle(y0.subarray(6 * b, 6 * b + 6), t)))).flat();
  return datasetFromArrays(
    { trajectories: { dtype: 'float64', shape: [n, 5, 6], data: Float64Array.from(data) }, times: { dtype: 'float64', shape: [n, 5], data: Float64Array.from(Array.from({ length: n }, () => times).flat()) } },
    'circles.npz',
  );
}

export const asTensor = (values: Float32Array, dim: number) => tf.tensor2d(values, [values.length / dim, dim]);
