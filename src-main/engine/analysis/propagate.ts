/**
 * Integrating a flow through a grid of output times with a solver chosen by the analysis (not
 * necessarily the one the model was trained with), forward or backward in time.
 *
 * - fixed step (euler, midpoint, rk4): `stepsPerInterval` steps between consecutive output times
 *   (the models' own `rollout`, so uneven grids are exact);
 * - dopri5: adaptive steps at tolerances rtol, atol, outputs by dense output (so the step sequence
 *   does not depend on the output grid).
 * Backward integration from t1 to t0 integrates the reversed field g(s, z) = -f(t1 - s, z) from
 * s = 0 to t1 - t0: for a Runge-Kutta method this is step for step the same as stepping f with a
 * negative step, and it keeps the adaptive solver's increasing time axis.
 */
import * as tf from '@tensorflow/tfjs-core';
import { rollout } from '../models/neuralOde';
import { integrateAdaptive } from '../ode/dopri5';
import type { FixedStepSolverName, SolverName, VectorField } from '../ode/types';

export type Integrator =
  | { solver: FixedStepSolverName; stepsPerInterval: number }
  | { solver: 'dopri5'; rtol: number; atol: number };

/** One line naming an integrator and its settings, for reports: 'rk4 x 29', 'dopri5 rtol 1e-6 atol 1e-8'. */
export function describeIntegrator(integrator: Integrator): string {
  return integrator.solver === 'dopri5'
    ? `dopri5 rtol ${integrator.rtol} atol ${integrator.atol}`
    : `${integrator.solver} x ${integrator.stepsPerInterval}`;
}

/** Checks an integrator given as plain data; errors name the bad field. */
export function checkIntegrator(integrator: Integrator, what = 'integrator'): Integrator {
  const solver: string = integrator?.solver;
  if (solver === 'dopri5') {
    const { rtol, atol } = integrator as { rtol: number; atol: number };
    if (!(rtol > 0 && Number.isFinite(rtol))) throw new Error(`${what}: rtol must be a positive number, got ${rtol}`);
    if (!(atol > 0 && Number.isFinite(atol))) throw new Error(`${what}: atol must be a positive number, got ${atol}`);
    return integrator;
  }
  if (solver !== 'euler' && solver !== 'midpoint' && solver !== 'rk4') {
    throw new Error(`${what}: unknown solver '${solver}', expected euler, midpoint, rk4 or dopri5`);
  }
  const steps = (integrator as { stepsPerInterval: number }).stepsPerInterval;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`${what}: stepsPerInterval must be a whole number >= 1, got ${steps}`);
  return integrator;
}

/** An integrator by solver name: fixed-step ones with `steps` per interval, dopri5 with rtol/atol. */
export function integratorFor(solver: SolverName, settings: { steps: number; rtol: number; atol: number }): Integrator {
  return checkIntegrator(
    solver === 'dopri5' ? { solver, rtol: settings.rtol, atol: settings.atol } : { solver, stepsPerInterval: settings.steps },
    `solver ${solver}`,
  );
}

export interface Propagation {
  /** [B, T, D]: the state at every output time, z0 first. */
  z: tf.Tensor3D;
  /** Batched evaluations of the field. */
  fevals: number;
}

const STAGES: Record<FixedStepSolverName, number> = { euler: 1, midpoint: 2, rk4: 4 };

/** The states at `times` (strictly increasing, shared by all rows) from z0 [B, D] at times[0]. */
export function propagate(field: VectorField, z0: tf.Tensor2D, times: readonly number[], integrator: Integrator): Propagation {
  if (times.length < 2) throw new Error(`propagate: needs at least 2 output times, got ${times.length}`);
  checkIntegrator(integrator);
  if (integrator.solver === 'dopri5') {
    const { z, stats } = integrateAdaptive(field, z0, { times: [...times], rtol: integrator.rtol, atol: integrator.atol });
    return { z, fevals: stats.fevals };
  }
  times.forEach((t, j) => {
    if (!Number.isFinite(t) || (j > 0 && !(t > times[j - 1]!))) throw new Error(`propagate: times must be finite and strictly increasing (entry ${j} is ${t})`);
  });
  const B = z0.shape[0];
  const z = tf.tidy(() => rollout(field, z0, tf.tile(tf.tensor2d([...times], [1, times.length]), [B, 1]) as tf.Tensor2D, integrator));
  return { z, fevals: (times.length - 1) * integrator.stepsPerInterval * STAGES[integrator.solver] };
}

/** The final state [B, D] after flowing z0 from times[0] through `times`. */
export function propagateFinal(field: VectorField, z0: tf.Tensor2D, times: readonly number[], integrator: Integrator): { z: tf.Tensor2D; fevals: number } {
  const { z, fevals } = propagate(field, z0, times, integrator);
  const last = tf.tidy(() => tf.squeeze(tf.slice(z, [0, times.length - 1, 0], [-1, 1, -1]), [1]) as tf.Tensor2D);
  z.dispose();
  return { z: last, fevals };
}

/** g(s, z) = -f(t1 - s, z): integrating g from 0 to t1 - t0 runs f backward from t1 to t0. */
export function reversedField(field: VectorField, t1: number): VectorField {
  return (s, z) => tf.tidy(() => tf.neg(field(tf.sub(t1, s) as tf.Tensor1D, z)) as tf.Tensor2D);
}
