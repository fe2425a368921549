import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { rkStep } from '../../../../src-main/engine/ode/rungeKutta';
import { dopri5, rk4 } from '../../../../src-main/engine/ode/tableaux';
import type { VectorField } from '../../../../src-main/engine/ode/types';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('rkStep', () => {
  it('takes one rk4 step per row with that row’s own t and dt', () => {
    // z' = t z with per-row t: compare with the rk4 formula evaluated in float64.
    const f: VectorField = (t, z) => tf.mul(z, tf.reshape(t, [-1, 1]));
    const t = [0.2, -1];
    const dt = [0.1, 0.3];
    const z = [[1.5], [-0.7]];
    const step = rkStep(rk4, f, tf.tensor1d(t), tf.tensor2d(z), tf.tensor1d(dt));
    expect(step.k).toHaveLength(4);
    const got = step.z.arraySync();
    t.forEach((tb, b) => {
      const h = dt[b]!;
      const z0 = z[b]![0]!;
      const k1 = tb * z0;
      const k2 = (tb + h / 2) * (z0 + (h / 2) * k1);
      const k3 = (tb + h / 2) * (z0 + (h / 2) * k2);
      const k4 = (tb + h) * (z0 + h * k3);
      expect(got[b]![0]!).toBeCloseTo(z0 + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4), 6);
    });
  });

  it('skips zero and unit coefficients: rk4 on an identity field launches 11 Multiply kernels', async () => {
    const f: VectorField = (_t, z) => z;
    const t = tf.zeros([8]) as tf.Tensor1D;
    const z = tf.ones([8, 3]) as tf.Tensor2D;
    const dt = tf.fill([8], 0.1) as tf.Tensor1D;
    const profile = await tf.profile(() => rkStep(rk4, f, t, z, dt).z);
    // 4 h k_i, 2 stage weights 1/2 (the weight-1 stage is not multiplied), 4 weights b_i, 1 time t + dt/2.
    expect(profile.kernels.filter((k) => k.name === 'Multiply')).toHaveLength(11);
    // Plus 3 stage inputs and 2 stage times (Add), the final sum (AddN + Add) and the dt column (Reshape).
    expect(profile.kernels).toHaveLength(19);
  });

  it('reuses a given first slope and the FSAL stage of dopri5 (6 new field calls, z_new = last stage input)', () => {
    let calls = 0;
    const inputs: tf.Tensor2D[] = [];
    const f: VectorField = (_t, z) => {
      calls++;
      inputs.push(z);
      return tf.neg(z);
    };
    const z = tf.tensor2d([[1, 2]]);
    const k1 = tf.neg(z) as tf.Tensor2D;
    const step = rkStep(dopri5, f, tf.zeros([1]) as tf.Tensor1D, z, tf.fill([1], 0.1) as tf.Tensor1D, k1);
    expect(calls).toBe(6);
    expect(step.k[0]).toBe(k1);
    expect(step.z).toBe(inputs[5]);
    const want = Math.exp(-0.1);
    const [a, b] = step.z.dataSync();
    expect(a!).toBeCloseTo(want, 6);
    expect(b!).toBeCloseTo(2 * want, 6);
  });

  it('rejects a malformed tableau', () => {
    const bad = { ...rk4, c: [0, 0.5] };
    const z = tf.ones([1, 1]) as tf.Tensor2D;
    expect(() => rkStep(bad, (_t, x) => x, tf.zeros([1]) as tf.Tensor1D, z, tf.ones([1]) as tf.Tensor1D)).toThrow(/tableau 'rk4': c, a and b must all have 4 stages/);
  });
});
