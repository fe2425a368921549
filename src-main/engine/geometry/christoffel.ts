/**
 * Christoffel symbols of the second kind and the geodesic acceleration.
 *
 *   Gamma^k_ab = 1/2 g^{ki} (d_a g_ib + d_b g_ai - d_i g_ab)
 *
 * from the metric's exact first derivatives (./metricField.ts). The geodesic equation only needs the
 * contraction Gamma^k_ab v^a v^b, which `geodesicAcceleration` computes without forming Gamma:
 * with H_ai = sum_b d_a g_ib v^b,
 *
 *   Gamma^k_ab v^a v^b = g^{ki} (sum_a H_ai v^a - 1/2 sum_b H_ib v^b),
 *
 * one [B, m*m, m] x [B, m, 1] matMul and one small solve per evaluation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchedInverse, batchedSolve } from './linalg';
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

/** a^k = -Gamma^k_ab(x) v^a v^b for x, v [B, m]: the acceleration of the geodesic through (x, v). */
export function geodesicAcceleration(metric: MetricField, x: tf.Tensor2D, v: tf.Tensor2D): tf.Tensor2D {
  checkPoints(metric, x);
  checkPoints(metric, v, 'velocities');
  const [B, m] = x.shape;
  return tf.tidy(() => {
    const { g, dg } = metric.metricWithDerivatives(x);
    // H[b, a, i] = sum_j d_a g_ij v^j
    const H = tf.reshape(tf.matMul(tf.reshape(dg, [B, m * m, m]), tf.expandDims(v, 2)), [B, m, m]);
    const alongA = tf.sum(tf.mul(H, tf.expandDims(v, 2)), 1); // sum_a H_ai v^a  -> [B, i]
    const alongI = tf.sum(tf.mul(H, tf.expandDims(v, 1)), 2); // sum_b H_ib v^b  -> [B, i]
    return tf.neg(batchedSolve(g, tf.sub(alongA, tf.mul(alongI, 0.5)) as tf.Tensor2D));
  });
}
