/**
 * Fixed-step integration of dz/dt = f(t, z) with an explicit Runge-Kutta method.
 *
 * Each row b runs `steps` steps of size dt_b = (t1_b - t0_b) / steps from t0_b, so rows may cover
 * different spans in one batched call; the time passed to f is each row's own t0_b + n dt_b + c_i dt_b.
 * Only TF.js ops are used, so tf.grad / tf.variableGrads differentiate through the whole trajectory
 * (with respect to z0, t0, t1 and any variable inside f).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInitialState, perRowTime } from './inputs';
import { rkStep } from './rungeKutta';
import { FIXED_STEP_TABLEAUX } from './tableaux';
import type { FixedStepSolverName, VectorField } from './types';

export interface FixedStepOptions {
  /** Start time, one number for all rows or [B]; default 0. */
  t0?: tf.Tensor1D | number;
  /** End time, one number for all rows or [B]. */
  t1: tf.Tensor1D | number;
  /** Number of steps, an integer >= 1. */
  steps: number;
  /** Default 'rk4'. */
  solver?: FixedStepSolverName;
  /** 'trajectory' (default): [B, steps + 1, D] with z0 first; 'final': z(t1) as [B, D]. */
  output?: 'trajectory' | 'final';
}

export function integrateFixed(f: VectorField, z0: tf.Tensor2D, opts: FixedStepOptions & { output: 'final' }): tf.Tensor2D;
export function integrateFixed(f: VectorField, z0: tf.Tensor2D, opts: FixedStepOptions & { output?: 'trajectory' }): tf.Tensor3D;
export function integrateFixed(f: VectorField, z0: tf.Tensor2D, opts: FixedStepOptions): tf.Tensor3D | tf.Tensor2D;
export function integrateFixed(f: VectorField, z0: tf.Tensor2D, opts: FixedStepOptions): tf.Tensor3D | tf.Tensor2D {
  const solver = opts.solver ?? 'rk4';
  const tableau = FIXED_STEP_TABLEAUX[solver];
  if (!tableau) {
    throw new Error(`integrateFixed: unknown fixed-step solver '${solver}', expected one of ${Object.keys(FIXED_STEP_TABLEAUX).join(', ')}`);
  }
  const { steps } = opts;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`integrateFixed: steps must be an integer >= 1, got ${steps}`);
  const output = opts.output ?? 'trajectory';
  if (output !== 'trajectory' && output !== 'final') {
    throw new Error(`integrateFixed: output must be 'trajectory' or 'final', got '${String(output)}'`);
  }
  checkInitialState(z0, 'integrateFixed');
  const batch = z0.shape[0];
  return tf.tidy(() => {
    const t0 = perRowTime(opts.t0 ?? 0, batch, 'integrateFixed', 't0');
    const t1 = perRowTime(opts.t1, batch, 'integrateFixed', 't1');
    const dt = tf.div(tf.sub(t1, t0), steps) as tf.Tensor1D;
    const states: tf.Tensor2D[] = [z0];
    let z = z0;
    for (let n = 0; n < steps; n++) {
      // t0 + n dt rather than a running sum keeps rounding from accumulating over long trajectories.
      const zPrev = z;
      z = tf.tidy(() => rkStep(tableau, f, n === 0 ? t0 : tf.add(t0, tf.mul(dt, n)), zPrev, dt).z);
      if (output === 'trajectory') states.push(z);
      else if (zPrev !== z0) zPrev.dispose();
    }
    return output === 'final' ? z : tf.stack(states, 1);
  }) as tf.Tensor3D | tf.Tensor2D;
}
