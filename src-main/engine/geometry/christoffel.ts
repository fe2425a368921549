/**
 * Christoffel symbols of the second kind and the geodesic acceleration.
 *
 *   Gamma^k_ab = 1/2 g^{ki} (d_a g_ib + d_b g_ai - d_i g_ab)
 *
 * from the metric's exact first derivatives (./metricField.ts). The geodesic equation only needs the
 * contraction
 *
 *   Gamma^k_ab v^a v^b = g^{ki} (sum_{a,j} d_a g_ij v^a v^j - 1/2 sum_{a,j} d_i g_aj v^a v^j),
 *
 * which `geodesicAcceleration` computes without forming Gamma or the inverse metric.
 */
import * as tf from '@tensorflow/tfjs-core';
import { matMulConstant } from '../nn/matMul';
import { batchedInverse, batchedSolve, constantMatrix } from './linalg';
import { checkPoints, type MetricField } from './metricField';

/** Gamma [B, m, m, m] with Gamma[b, k, a, c] = Gamma^k_ac(x_b). */
export function christoffel(metric: MetricField, x: tf.Tensor2D): tf.Tensor4D {
  checkPoints(metric, x);
  const [B, m] = x.shape;
  return tf.tidy(() => {
    const { g, dg } = metric.metricWithDerivatives(x);
    // first[i, a, b] = d_a g_ib = dg[a, i, b]; its (a, b) transpose is d_b g_ai (g is symmetric).
    const first = tf.transpose(dg, [0, 2, 1, 3]);
    const lowered = tf.sub(tf.add(first, tf.transpose(first, [0, 1, 3, 2])), dg); // [B, i, a, b]
    const raised = tf.matMul(batchedInverse(g), tf.reshape(lowered, [B, m, m * m]));
    return tf.reshape(tf.mul(raised, 0.5), [B, m, m, m]);
  });
}

/**
 * The constants of `geodesicAcceleration` for dimension m, over the flattened index (p, q, r) of
 * d_p g_qr: `pickR` [m, m^3] gives v_r at (p, q, r); `twice` [m^3, 2m^3] repeats a row; `pickPQ` [m, 2m^3] gives v_p then v_q; `reduce`
 * [2m^3, m] sums the first half into q with weight -1 and the second half into p with weight 1/2.
 */
function accelerationConstants(m: number) {
  const cube = m * m * m;
  const index = (p: number, q: number, r: number) => (p * m + q) * m + r;
  const triples: [number, number, number][] = [];
  for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) for (let r = 0; r < m; r++) triples.push([p, q, r]);
  return {
    pickR: constantMatrix(m, cube, triples.map(([p, q, r]) => [r, index(p, q, r), 1] as const)),
    twice: constantMatrix(cube, 2 * cube, triples.flatMap((_, t) => [[t, t, 1] as const, [t, cube + t, 1] as const])),
    pickPQ: constantMatrix(m, 2 * cube, triples.flatMap(([p, q, r]) => [[p, index(p, q, r), 1] as const, [q, cube + index(p, q, r), 1] as const])),
    reduce: constantMatrix(2 * cube, m, triples.flatMap(([p, q, r]) => [[index(p, q, r), q, -1] as const, [cube + index(p, q, r), p, 0.5] as const])),
  };
}

/**
 * a^k = -Gamma^k_ab(x) v^a v^b for x, v [B, m]: the acceleration of the geodesic through (x, v).
 *
 * With U = d_p g_qr flattened over (p, q, r), -2 g Gamma(v, v) = -2 sum U v_p v_r [into q] + sum U v_q v_r
 * [into p]; both sums are one product with constant pick/reduce matrices (no broadcasting, which
 * is slow on the TF.js cpu backend), followed by one small solve with g.
 */
export function geodesicAcceleration(metric: MetricField, x: tf.Tensor2D, v: tf.Tensor2D): tf.Tensor2D {
  checkPoints(metric, x);
  checkPoints(metric, v, 'velocities');
  const [B, m] = x.shape;
  return tf.tidy(() => {
    const { g, dg } = metric.metricWithDerivatives(x);
    const { pickR, twice, pickPQ, reduce } = accelerationConstants(m);
    const weighted = tf.mul(tf.reshape(dg, [B, m * m * m]), matMulConstant(v, pickR)) as tf.Tensor2D; // U v_r
    const both = tf.mul(matMulConstant(weighted, twice), matMulConstant(v, pickPQ)) as tf.Tensor2D; // U v_p v_r | U v_q v_r
    // rhs = -(sum_{a,j} d_a g_ij v^a v^j - 1/2 sum_{a,j} d_i g_aj v^a v^j) = -(g Gamma(v, v))_i
    return batchedSolve(g, matMulConstant(both, reduce));
  });
}
