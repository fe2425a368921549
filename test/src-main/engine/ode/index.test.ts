import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { odeint, type OdeintOptions, type VectorField } from '../../../../src-main/engine/ode';

/** z' = A z with A = [[0, 1], [-1, 0]] plus w' = t: closed form in both. */
const field: VectorField = (t, z) => tf.tidy(() => {
  const [x, v] = tf.split(z, [1, 1, 1], 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  return tf.concat([v, tf.neg(x), tf.reshape(t, [-1, 1])], 1);
});
const exact = ([x0, v0, w0]: number[], t0: number, t: number) => [
  x0! * Math.cos(t - t0) + v0! * Math.sin(t - t0),
  -x0! * Math.sin(t - t0) + v0! * Math.cos(t - t0),
  w0! + (t * t - t0 * t0) / 2,
];
const starts = [[1, 0, 0], [0.3, -0.8, 1]];

/** Runs rk4 with per-row spans and dopri5 with per-row grids; returns the largest error against the closed form. */
function solveBoth(): { rk4: number; dopri5: number } {
  const t0 = [0, -1];
  const t1 = [2, 0.5];
  const z0 = tf.tensor2d(starts);
  const fixed = odeint(field, z0, { solver: 'rk4', t0: tf.tensor1d(t0), t1: tf.tensor1d(t1), steps: 20, output: 'final' });
  const adaptive = odeint(field, z0, { solver: 'dopri5', times: tf.tensor2d(t0.map((a, b) => [a, (a + t1[b]!) / 2, t1[b]!])), rtol: 1e-6, atol: 1e-7 });
  let errFixed = 0;
  let errAdaptive = 0;
  const zf = fixed.z.arraySync();
  const za = adaptive.z.arraySync();
  starts.forEach((s, b) => {
    exact(s, t0[b]!, t1[b]!).forEach((want, d) => (errFixed = Math.max(errFixed, Math.abs(zf[b]![d]! - want))));
    exact(s, t0[b]!, (t0[b]! + t1[b]!) / 2).forEach((want, d) => (errAdaptive = Math.max(errAdaptive, Math.abs(za[b]![1]![d]! - want))));
  });
  expect(fixed.stats).toEqual({ steps: 20, rejected: 0, fevals: 80 });
  tf.dispose([z0, fixed.z, adaptive.z]);
  return { rk4: errFixed, dopri5: errAdaptive };
}

describe('odeint', () => {
  it('dispatches to the fixed-step and adaptive solvers on cpu', async () => {
    await initBackend('cpu');
    const { rk4, dopri5 } = solveBoth();
    expect(rk4).toBeLessThan(1e-5);
    expect(dopri5).toBeLessThan(1e-5);
  });

  it('gives the same answers on the wasm backend', async () => {
    const info = await initBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.choice).toBe('wasm');
    const { rk4, dopri5 } = solveBoth();
    expect(rk4).toBeLessThan(1e-5);
    expect(dopri5).toBeLessThan(1e-5);
    // Gradients through rk4 on wasm: d z(t1) / d z0 for the rotation is the rotation matrix, row sums cos t + sin t.
    const z0 = tf.tensor2d([[1, 0, 0]]);
    const g = tf.grad((z: tf.Tensor) => tf.sum(odeint(field, z as tf.Tensor2D, { solver: 'rk4', t1: 1, steps: 20, output: 'final' }).z))(z0);
    const [gx, gv, gw] = g.dataSync();
    expect(gx!).toBeCloseTo(Math.cos(1) - Math.sin(1), 4);
    expect(gv!).toBeCloseTo(Math.sin(1) + Math.cos(1), 4);
    expect(gw!).toBeCloseTo(1, 6);
  });

  afterAll(async () => {
    await initBackend('cpu');
  });

  it('rejects unknown solvers and options of the other kind', () => {
    const z0 = tf.zeros([1, 3]) as tf.Tensor2D;
    expect(() => odeint(field, z0, { solver: 'rk45', t1: 1, steps: 2 } as unknown as OdeintOptions)).toThrow(
      /odeint: unknown solver 'rk45', expected one of euler, midpoint, rk4, dopri5/,
    );
    expect(() => odeint(field, z0, { solver: 'rk4', times: [0, 1] } as unknown as OdeintOptions)).toThrow(/rk4 takes 't0', 't1' and 'steps', not 'times'/);
    expect(() => odeint(field, z0, { solver: 'dopri5', t1: 1, steps: 3 } as unknown as OdeintOptions)).toThrow(/dopri5 takes 'times'/);
    expect(() => odeint(field, z0, { solver: 'euler', t1: 1, steps: -1 })).toThrow(/steps must be an integer >= 1, got -1/);
    expect(() => odeint(field, z0, { solver: 'dopri5', times: [1, 0] })).toThrow(/strictly increasing/);
  });
});
