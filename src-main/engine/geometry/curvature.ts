/**
 * Gaussian curvature of a 2-dimensional metric, for heat maps.
 *
 *   K = R_0101 / det g,   R_0101 = g_0l R^l_101,
 *   R^l_101 = d_0 Gamma^l_11 - d_1 Gamma^l_10 + Gamma^l_0p Gamma^p_11 - Gamma^l_1p Gamma^p_10.
 *
 * The derivatives of the Christoffel symbols are exact, by TF.js autodiff with respect to x (the
 * symbols themselves use exact metric derivatives). The four components needed (Gamma^0_11,
 * Gamma^1_11, Gamma^0_10, Gamma^1_10) are differentiated in a single backward pass by stacking four
 * copies of the batch and summing each copy's own component: samples are independent, so the
 * gradient of copy c with respect to its x is the gradient of component c.
 */
import * as tf from '@tensorflow/tfjs-core';
import { christoffel } from './christoffel';
import { checkPoints, type MetricField } from './metricField';

/** The four (k, a, b) components whose x-gradients the Riemann component R^l_101 needs. */
const DIFFERENTIATED: readonly [number, number, number][] = [
  [0, 1, 1],
  [1, 1, 1],
  [0, 1, 0],
  [1, 1, 0],
];

/** K(x) [B] for x [B, 2] on a 2-dimensional metric. */
export function gaussianCurvature(metric: MetricField, x: tf.Tensor2D): tf.Tensor1D {
  if (metric.dim !== 2) throw new Error(`gaussianCurvature: needs a 2-dimensional metric, got dimension ${metric.dim}`);
  checkPoints(metric, x);
  const B = x.shape[0];
  return tf.tidy(() => {
    // selector[c*B + b, k, a, b'] = 1 at copy c's component.
    const selector = tf.tensor4d(
      DIFFERENTIATED.flatMap(([k, a, b]) => {
        const one = new Array<number>(8).fill(0);
        one[4 * k + 2 * a + b] = 1;
        return Array.from({ length: B }, () => one).flat();
      }),
      [4 * B, 2, 2, 2],
    );
    const stacked = tf.concat([x, x, x, x], 0);
    const dGamma = tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(christoffel(metric, xs as tf.Tensor2D), selector)))(stacked);
    // d_j of each component, [B, 2] per copy.
    const [d011, d111, d010, d110] = tf.split(dGamma, 4, 0) as tf.Tensor2D[];
    const gamma = christoffel(metric, x); // [B, k, a, b]
    const G = (k: number, a: number, b: number) => tf.reshape(tf.slice(gamma, [0, k, a, b], [B, 1, 1, 1]), [B]);
    const col = (t: tf.Tensor2D, j: number) => tf.reshape(tf.slice(t, [0, j], [B, 1]), [B]);
    // R^l_101 for l = 0, 1.
    const riemann = [0, 1].map((l) => {
      const derivative = tf.sub(col(l === 0 ? d011! : d111!, 0), col(l === 0 ? d010! : d110!, 1));
      const quadratic = [0, 1].map((p) => tf.sub(tf.mul(G(l, 0, p), G(p, 1, 1)), tf.mul(G(l, 1, p), G(p, 1, 0))));
      return tf.add(derivative, tf.add(quadratic[0]!, quadratic[1]!));
    });
    const g = tf.reshape(metric.metric(x), [B, 4]);
    const [g00, g01, g10, g11] = tf.split(g, 4, 1).map((t) => tf.reshape(t, [B]));
    const lowered = tf.add(tf.mul(g00!, riemann[0]!), tf.mul(g01!, riemann[1]!));
    const det = tf.sub(tf.mul(g00!, g11!), tf.mul(g01!, g10!));
    return tf.div(lowered, det) as tf.Tensor1D;
  });
}
