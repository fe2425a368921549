/**
 * A Riemannian metric on an m-dimensional chart, learned or analytic.
 *
 * Points are batched as rows x [B, m]. Implementations give g(x) [B, m, m] (symmetric positive
 * definite) and its exact first derivatives dg [B, m, m, m] with dg[b, a, i, j] = d g_ij / d x^a at
 * x_b: analytic metrics in closed form, network metrics by pushing the m unit directions through
 * the network (never finite differences). Both must be TF.js ops that are differentiable with
 * respect to x and to any parameters, so curvature (autodiff of Christoffel symbols) and training
 * work on either.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface MetricWithDerivatives {
  /** [B, m, m] */
  g: tf.Tensor3D;
  /** [B, m, m, m], dg[b, a, i, j] = d_a g_ij */
  dg: tf.Tensor4D;
}

export interface MetricField {
  /** The manifold's dimension m. */
  readonly dim: number;
  /** g(x) [B, m, m] for x [B, m]. */
  metric(x: tf.Tensor2D): tf.Tensor3D;
  /** g(x) and its exact first derivatives. */
  metricWithDerivatives(x: tf.Tensor2D): MetricWithDerivatives;
  /**
   * Optional: the same metric with whatever its evaluations derive from its parameters alone (a
   * network's rearranged weights) built once, now, in the caller's tidy scope. For a caller that
   * evaluates it many times with the parameters unchanged (one ODE integration); valid, and still
   * differentiable with respect to the parameters, until that scope ends.
   */
  prepared?(): MetricField;
}

/** Throws unless x is [B, m] for this metric. */
export function checkPoints(metric: MetricField, x: tf.Tensor, what = 'points'): void {
  if (x.rank !== 2 || x.shape[1] !== metric.dim) {
    throw new Error(`metric of dimension ${metric.dim}: ${what} must be [B, ${metric.dim}], got [${x.shape.join(', ')}]`);
  }
}
