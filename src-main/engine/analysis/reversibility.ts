/**
 * Time reversibility of a model's flow Phi_T, in its flow space (./flow.ts), per integrator:
 *
 * - round trip: z0 -> Phi_T(z0) -> back to t0 by integrating backward (./propagate.ts); error
 *   |z_back - z0| / |z0|. Any exact flow passes, so this measures the solver (and float32 round-off).
 * - reversal symmetry, R(q, v) = (q, -v): error |R Phi_T(R Phi_T(z0)) - z0| / |z0|. Geodesic flows
 *   (and Hamiltonian flows with H even in p) satisfy R Phi_T R Phi_T = id exactly, so for them this is
 *   at solver level too; a generic neural ODE has no such structure and shows a model-level error.
 * Running both with several solvers (euler, midpoint, rk4 at a number of steps, dopri5 at tolerances)
 * tells solver error from model structure: solver error shrinks with the solver's order and steps,
 * a structural error does not.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelFlow } from './flow';
import { timeReversal } from './flow';
import { describeIntegrator, propagateFinal, reversedField, type Integrator } from './propagate';
import { relativeRowErrors, spread, type Spread } from './stats';

export interface ReversibilityFigures {
  solver: string;
  integrator: string;
  /** |Phi_-T(Phi_T(z0)) - z0| / |z0| over samples. */
  roundTrip: Spread;
  /** |R Phi_T(R Phi_T(z0)) - z0| / |z0| over samples. */
  reversal: Spread;
  fevals: number;
}

export interface ReversibilityOptions {
  /** Flow time T. */
  time: number;
  /** Start time t0 (matters for time-dependent fields only), default 0. */
  t0?: number;
  integrators: Integrator[];
}

/** Round-trip and reversal errors from `initial` [B, D] (data space; measured in flow space). */
export function reversibility(flow: ModelFlow, initial: tf.Tensor2D, options: ReversibilityOptions): ReversibilityFigures[] {
  const { time, integrators } = options;
  const t0 = options.t0 ?? 0;
  if (!(time > 0) || !Number.isFinite(time)) throw new Error(`reversibility: the flow time T must be a positive number, got ${time}`);
  if (integrators.length === 0) throw new Error('reversibility: no integrators given');
  const z0 = flow.encode(initial);
  try {
    const [B, n] = z0.shape;
    const start = z0.dataSync();
    // Outputs at t0 and t0 + T only: for fixed-step solvers stepsPerInterval is the number of steps over T.
    const forward = [t0, t0 + time];
    const backward = [0, time];
    return integrators.map((integrator) => {
      let fevals = 0;
      const run = (field: typeof flow.field, z: tf.Tensor2D, times: number[]) => {
        const out = propagateFinal(field, z, times, integrator);
        fevals += out.fevals;
        return out.z;
      };
      const [back, reversed] = tf.tidy(() => {
        const zT = run(flow.field, z0, forward);
        const roundTrip = run(reversedField(flow.field, t0 + time), zT, backward);
        const reversal = timeReversal(run(flow.field, timeReversal(zT), forward));
        return [roundTrip.dataSync(), reversal.dataSync()];
      });
      return {
        solver: integrator.solver,
        integrator: describeIntegrator(integrator),
        roundTrip: spread(relativeRowErrors(back!, start, B, n)),
        reversal: spread(relativeRowErrors(reversed!, start, B, n)),
        fevals,
      };
    });
  } finally {
    z0.dispose();
  }
}
