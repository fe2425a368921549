/**
 * Shared types of the ODE solvers.
 *
 * Every solver integrates a batched system dz/dt = f(t, z) with z of shape [B, D]. Time is per batch
 * row: t0 and t1 are [B] tensors, so samples may be integrated over different spans in one call
 * (the NGF input/target data has one t per sample). Everything is TF.js ops, so gradients flow
 * through the solver with ordinary autodiff.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** f(t, z): t is [B] (each row's current time), z is [B, D]; returns dz/dt as [B, D]. */
export type VectorField = (t: tf.Tensor1D, z: tf.Tensor2D) => tf.Tensor2D;

/**
 * An explicit Runge-Kutta method as plain data: c (nodes), a (strictly lower-triangular stage
 * coefficients, row i has i entries), b (weights) and, for embedded pairs, bError = b - b* (the
 * difference to the lower-order weights) used for step-size control.
 */
export interface ButcherTableau {
  name: string;
  order: number;
  c: readonly number[];
  a: readonly (readonly number[])[];
  b: readonly number[];
  bError?: readonly number[];
  /**
   * Continuous extension (dense output) for methods that have one: row i holds the polynomial
   * coefficients of the weight b_i(theta) in powers theta^1, theta^2, ..., so that inside a step of
   * size h from (t, z) the interpolant is z(t + theta h) = z + h sum_i b_i(theta) k_i, 0 <= theta <= 1.
   */
  dense?: readonly (readonly number[])[];
}

export type FixedStepSolverName = 'euler' | 'midpoint' | 'rk4';
export type SolverName = FixedStepSolverName | 'dopri5';
