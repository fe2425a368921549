import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { checkIntegrator, describeIntegrator, integratorFor, propagate, propagateFinal, reversedField } from '../../../../src-main/engine/analysis/propagate';
import type { VectorField } from '../../../../src-main/engine/ode/types';

/** The harmonic oscillator dq/dt = p, dp/dt = -q: z(t) = rotation of z0 by angle t. */
const oscillator: VectorField = (_t, z) => tf.tidy(() => tf.concat([tf.slice(z, [0, 1], [-1, 1]), tf.neg(tf.slice(z, [0, 0], [-1, 1]))], 1) as tf.Tensor2D);
/** dz/dt = t: z(t) = z0 + t^2 / 2, which tells the time each evaluation is given. */
const ramp: VectorField = (t, z) => tf.tidy(() => tf.tile(tf.expandDims(t, 1), [1, z.shape[1]]) as tf.Tensor2D);

describe('propagate', () => {
  it('every solver follows the oscillator through an uneven grid, to its own accuracy', async () => {
    await initBackend('cpu');
    const times = [0, 0.3, 1, 2.5];
    const z0 = tf.tensor2d([[1, 0], [0.5, -0.2]]);
    const exact = (t: number, [q, p]: number[]) => [q! * Math.cos(t) + p! * Math.sin(t), -q! * Math.sin(t) + p! * Math.cos(t)];
    const tolerance = { euler: 0.3, midpoint: 1e-2, rk4: 1e-5, dopri5: 1e-5 } as const;
    for (const solver of ['euler', 'midpoint', 'rk4', 'dopri5'] as const) {
      const { z, fevals } = propagate(oscillator, z0, times, integratorFor(solver, { steps: 20, rtol: 1e-7, atol: 1e-9 }));
      expect(z.shape).toEqual([2, 4, 2]);
      const got = z.arraySync();
      z0.arraySync().forEach((row, b) => times.forEach((t, j) => exact(t, row).forEach((v, d) => expect(Math.abs(got[b]![j]![d]! - v)).toBeLessThan(tolerance[solver]))));
      expect(fevals).toBeGreaterThan(0);
      if (solver === 'rk4') expect(fevals).toBe(3 * 20 * 4);
    }
  });

  it('backward integration with the reversed field passes the right times to f and returns to the start', async () => {
    await initBackend('cpu');
    const z0 = tf.tensor2d([[0.5]]);
    // Forward 1 -> 3 under dz/dt = t adds (9 - 1) / 2 = 4; backward takes it off again.
    const forward = propagateFinal(ramp, z0, [1, 3], { solver: 'rk4', stepsPerInterval: 3 });
    expect(forward.z.dataSync()[0]).toBeCloseTo(4.5, 5);
    for (const integrator of [{ solver: 'rk4', stepsPerInterval: 3 } as const, { solver: 'dopri5', rtol: 1e-7, atol: 1e-9 } as const]) {
      const back = propagateFinal(reversedField(ramp, 3), forward.z, [0, 2], integrator);
      expect(back.z.dataSync()[0]).toBeCloseTo(0.5, 4);
    }
  });

  it('rejects bad integrators and grids with messages naming the field', async () => {
    await initBackend('cpu');
    const z0 = tf.tensor2d([[1, 0]]);
    expect(() => checkIntegrator({ solver: 'rk5' } as never)).toThrow(/unknown solver 'rk5'/);
    expect(() => checkIntegrator({ solver: 'rk4', stepsPerInterval: 0 })).toThrow(/stepsPerInterval must be a whole number >= 1, got 0/);
    expect(() => checkIntegrator({ solver: 'dopri5', rtol: -1, atol: 1e-6 })).toThrow(/rtol must be a positive number/);
    expect(() => propagate(oscillator, z0, [0], { solver: 'rk4', stepsPerInterval: 1 })).toThrow(/at least 2 output times/);
    expect(() => propagate(oscillator, z0, [0, 1, 1], { solver: 'rk4', stepsPerInterval: 1 })).toThrow(/strictly increasing \(entry 2/);
    expect(describeIntegrator({ solver: 'midpoint', stepsPerInterval: 7 })).toBe('midpoint x 7');
    expect(describeIntegrator({ solver: 'dopri5', rtol: 1e-6, atol: 1e-8 })).toBe('dopri5 rtol 0.000001 atol 1e-8');
  });
});
