/**
 * The ODE solvers' front door: `odeint` picks the fixed-step or the adaptive integrator by name.
 *
 *   odeint(f, z0, { solver: 'rk4', t1, steps })          fixed steps, per-row spans t0..t1
 *   odeint(f, z0, { solver: 'dopri5', times, rtol })     adaptive, dense output at `times`
 *
 * Both return { z, stats } so that callers choosing the solver from a config see one shape of answer.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { integrateAdaptive, type AdaptiveOptions, type SolverStats } from './dopri5';
import { integrateFixed, type FixedStepOptions } from './integrate';
import { FIXED_STEP_TABLEAUX, SOLVER_NAMES } from './tableaux';
import type { FixedStepSolverName, VectorField } from './types';

export type OdeintOptions =
  | (FixedStepOptions & { solver: FixedStepSolverName })
  | (AdaptiveOptions & { solver: 'dopri5' });

export interface OdeSolution<Z extends tf.Tensor2D | tf.Tensor3D = tf.Tensor2D | tf.Tensor3D> {
  /** [B, T, D] (trajectory, z0 first) or [B, D] (final). */
  z: Z;
  stats: SolverStats;
}

export function odeint(f: VectorField, z0: tf.Tensor2D, opts: OdeintOptions & { output: 'final' }): OdeSolution<tf.Tensor2D>;
export function odeint(f: VectorField, z0: tf.Tensor2D, opts: OdeintOptions & { output?: 'trajectory' }): OdeSolution<tf.Tensor3D>;
export function odeint(f: VectorField, z0: tf.Tensor2D, opts: OdeintOptions): OdeSolution;
export function odeint(f: VectorField, z0: tf.Tensor2D, opts: OdeintOptions): OdeSolution {
  const solver: string = opts?.solver;
  if (!(SOLVER_NAMES as readonly string[]).includes(solver)) {
    throw new Error(`odeint: unknown solver '${String(solver)}', expected one of ${SOLVER_NAMES.join(', ')}`);
  }
  if (opts.solver === 'dopri5') {
    if ('steps' in opts || 't1' in opts) throw new Error(`odeint: dopri5 takes 'times' (and rtol, atol), not 't1'/'steps'`);
    return integrateAdaptive(f, z0, opts);
  }
  if ('times' in opts) throw new Error(`odeint: ${opts.solver} takes 't0', 't1' and 'steps', not 'times' (that is dopri5's)`);
  const z = integrateFixed(f, z0, opts);
  const stages = FIXED_STEP_TABLEAUX[opts.solver].b.length;
  return { z, stats: { steps: opts.steps, rejected: 0, fevals: opts.steps * stages } };
}

export { integrateFixed, type FixedStepOptions } from './integrate';
export { integrateAdaptive, type AdaptiveOptions, type AdaptiveSolution, type SolverStats } from './dopri5';
export { rkStep, type RungeKuttaStep } from './rungeKutta';
export { euler, midpoint, rk4, dopri5, FIXED_STEP_TABLEAUX, SOLVER_NAMES } from './tableaux';
export type { ButcherTableau, FixedStepSolverName, SolverName, VectorField } from './types';
