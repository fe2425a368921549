/**
 * Geodesics of a metric as solutions of a first-order ODE on the tangent bundle.
 *
 * A point is z = (x, v) [B, 2m]; the geodesic flow is
 *
 *   dz/dt = f(z) = (v, -Gamma^k_ab(x) v^a v^b).
 *
 * The exponential map exp(z, t) is the flow's end point after time t (per sample), computed here as
 * in the reference: classical RK4 with n fixed steps of dt = t / n; a whole geodesic has n + 1
 * points, z itself first. `solveGeodesic` takes any solver of ../ode instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import { odeint, type OdeintOptions, type OdeSolution } from '../ode';
import { integrateFixed } from '../ode/integrate';
import type { FixedStepSolverName, VectorField } from '../ode/types';
import { matMulConstant } from '../nn/matMul';
import { geodesicAcceleration } from './christoffel';
import { constantMatrix } from './linalg';
import type { MetricField } from './metricField';

function checkBundlePoints(metric: MetricField, z: tf.Tensor, what: string): void {
  if (z.rank !== 2 || z.shape[1] !== 2 * metric.dim) {
    throw new Error(`${what}: tangent-bundle points must be [B, ${2 * metric.dim}] (x then v), got [${z.shape.join(', ')}]`);
  }
}

/** The positions and velocities of z [B, 2m]. */
export function splitBundlePoint(z: tf.Tensor2D, m: number): [tf.Tensor2D, tf.Tensor2D] {
  return tf.split(z, [m, m], 1) as [tf.Tensor2D, tf.Tensor2D];
}

/**
 * Constant matrices that take z = (x, v) [B, 2m] apart and put f back together: x = z pickX,
 * v = z pickV, (v, 0) = z shiftV, (0, a) = a placeA. Products with 0/1 matrices are exact, and on
 * the wasm backend four small matMuls cost a fraction of one column split and one concat.
 */
function bundleConstants(m: number) {
  const diagonal = (row0: number, col0: number) => Array.from({ length: m }, (_, i) => [row0 + i, col0 + i, 1] as const);
  return {
    pickX: constantMatrix(2 * m, m, diagonal(0, 0)),
    pickV: constantMatrix(2 * m, m, diagonal(m, 0)),
    shiftV: constantMatrix(2 * m, 2 * m, diagonal(m, 0)),
    placeA: constantMatrix(m, 2 * m, diagonal(0, m)),
  };
}

/** The geodesic vector field f(z) = (v, -Gamma(v, v)); autonomous, so t is ignored. */
export function geodesicField(metric: MetricField): VectorField {
  const m = metric.dim;
  return (_t, z) => {
    checkBundlePoints(metric, z, 'geodesicField');
    return tf.tidy(() => {
      const { pickX, pickV, shiftV, placeA } = bundleConstants(m);
      const acceleration = geodesicAcceleration(metric, matMulConstant(z, pickX), matMulConstant(z, pickV));
      return tf.add(matMulConstant(z, shiftV), matMulConstant(acceleration, placeA)) as tf.Tensor2D;
    });
  };
}

export interface GeodesicOptions {
  /** Flow time, one for all samples or [B]. */
  t: tf.Tensor1D | number;
  /** Number of fixed steps n (dt = t / n). */
  steps: number;
  /** Default 'rk4', as in the reference. */
  solver?: FixedStepSolverName;
}

/**
 * The geodesic field of `metric` for one integration: the metric's parameter-derived tensors are
 * built once (MetricField.prepared) rather than at every evaluation, and freed with this tidy scope.
 */
function integrateOnce<T extends tf.Tensor>(metric: MetricField, integrate: (field: VectorField) => T): T {
  return tf.tidy(() => integrate(geodesicField(metric.prepared?.() ?? metric)));
}

/** exp(z, t): the end point [B, 2m] of the geodesic flow from z [B, 2m] after time t. */
export function expMap(metric: MetricField, z: tf.Tensor2D, options: GeodesicOptions): tf.Tensor2D {
  checkBundlePoints(metric, z, 'expMap');
  return integrateOnce(metric, (field) => integrateFixed(field, z, { t1: options.t, steps: options.steps, solver: options.solver, output: 'final' }));
}

/** The whole geodesic from z: [B, steps + 1, 2m], z first. */
export function geodesic(metric: MetricField, z: tf.Tensor2D, options: GeodesicOptions): tf.Tensor3D {
  checkBundlePoints(metric, z, 'geodesic');
  return integrateOnce(metric, (field) => integrateFixed(field, z, { t1: options.t, steps: options.steps, solver: options.solver, output: 'trajectory' }));
}

/**
 * Geodesics with any solver of ../ode, adaptive dopri5 included: `odeint(geodesicField(metric), z,
 * options)`, e.g. { solver: 'dopri5', times: [0, 0.5, 1], rtol: 1e-6 } or { solver: 'rk4', t1, steps }.
 */
export function solveGeodesic(metric: MetricField, z: tf.Tensor2D, options: OdeintOptions): OdeSolution {
  checkBundlePoints(metric, z, 'solveGeodesic');
  return odeint(geodesicField(metric), z, options);
}

/** The geodesic energy g_x(v, v) [B] at z = (x, v) (the reference's convention: no factor 1/2). */
export function geodesicEnergy(metric: MetricField, z: tf.Tensor2D): tf.Tensor1D {
  checkBundlePoints(metric, z, 'geodesicEnergy');
  return tf.tidy(() => {
    const [x, v] = splitBundlePoint(z, metric.dim);
    const gv = tf.matMul(metric.metric(x), tf.expandDims(v, 2)); // [B, m, 1]
    return tf.sum(tf.mul(tf.squeeze(gv, [2]), v), 1) as tf.Tensor1D;
  });
}
