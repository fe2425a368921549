/**
 * One step of an explicit Runge-Kutta method given by its Butcher tableau.
 *
 * With per-row step sizes h_b (dt is [B], broadcast as a [B, 1] column):
 *   k_i = f(t + c_i h, z + sum_{j<i} a_ij (h k_j)),   z_new = z + sum_i b_i (h k_i).
 * Each slope is scaled by h once (hk_i = h k_i) so that every later stage only needs scalar
 * multiples of it; zero coefficients are skipped and unit ones are not multiplied, because the cost
 * of TF.js is the number of kernels launched, not the arithmetic. For first-same-as-last tableaux
 * (the last row of a equals b) the last stage's input is z_new itself and is not formed twice.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ButcherTableau, VectorField } from './types';

export interface RungeKuttaStep {
  /** The new state z(t + dt), [B, D]. */
  z: tf.Tensor2D;
  /** The stage slopes k_1..k_s, each [B, D]. */
  k: tf.Tensor2D[];
}

/** sum_j w_j x_j over the non-zero weights (unit weights unmultiplied); null when all are zero. */
export function weightedSum(weights: readonly number[], xs: readonly tf.Tensor2D[]): tf.Tensor2D | null {
  const terms: tf.Tensor2D[] = [];
  weights.forEach((w, j) => {
    if (w !== 0) terms.push(w === 1 ? xs[j]! : tf.mul(xs[j]!, w));
  });
  if (terms.length === 0) return null;
  return terms.length === 1 ? terms[0]! : tf.addN(terms);
}

/** z + sum_j w_j hk_j. */
function combine(z: tf.Tensor2D, weights: readonly number[], hk: readonly tf.Tensor2D[]): tf.Tensor2D {
  const increment = weightedSum(weights, hk);
  return increment ? tf.add(z, increment) : z;
}

function isFirstSameAsLast(tableau: ButcherTableau): boolean {
  const last = tableau.a[tableau.a.length - 1]!;
  const s = tableau.b.length;
  return s > 1 && tableau.b[s - 1] === 0 && tableau.c[s - 1] === 1 && last.every((w, j) => w === tableau.b[j]);
}

/**
 * Advances z: [B, D] at times t: [B] by dt: [B]. `firstSlope`, when given, is used as k_1 = f(t, z)
 * instead of evaluating f (the FSAL slope of the previous step of an adaptive solver).
 */
export function rkStep(
  tableau: ButcherTableau,
  f: VectorField,
  t: tf.Tensor1D,
  z: tf.Tensor2D,
  dt: tf.Tensor1D,
  firstSlope?: tf.Tensor2D,
): RungeKuttaStep {
  const s = tableau.b.length;
  if (tableau.c.length !== s || tableau.a.length !== s) {
    throw new Error(`Butcher tableau '${tableau.name}': c, a and b must all have ${s} stages`);
  }
  const h = tf.reshape(dt, [-1, 1]) as tf.Tensor2D;
  const fsal = isFirstSameAsLast(tableau);
  // Stage times by node value: rk4's two c = 1/2 stages share one tensor.
  const stageTimes = new Map<number, tf.Tensor1D>([[0, t]]);
  const timeAt = (c: number): tf.Tensor1D => {
    const known = stageTimes.get(c);
    if (known) return known;
    const ti: tf.Tensor1D = tf.add(t, c === 1 ? dt : tf.mul(dt, c));
    stageTimes.set(c, ti);
    return ti;
  };
  const k: tf.Tensor2D[] = [];
  const hk: tf.Tensor2D[] = [];
  let zNew: tf.Tensor2D | null = null;
  for (let i = 0; i < s; i++) {
    const zi = combine(z, tableau.a[i]!, hk);
    if (fsal && i === s - 1) zNew = zi;
    const ki = i === 0 && firstSlope ? firstSlope : f(timeAt(tableau.c[i]!), zi);
    k.push(ki);
    // The last slope enters z_new only through b_s; FSAL methods have b_s = 0 and need no h k_s.
    if (i < s - 1 || tableau.b[i] !== 0) hk.push(tf.mul(ki, h));
  }
  return { z: zNew ?? combine(z, tableau.b, hk), k };
}
