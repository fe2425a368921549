import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { createParameter } from '../../../../src-main/engine/nn/parameters';
import { Adam } from '../../../../src-main/engine/optim/adam';

describe('Adam', () => {
  it('follows the optax update and restores its state', async () => {
    await initBackend('cpu');
    const p = createParameter('adam-test', 'w', Float32Array.of(1, -2), [2]);
    const adam = new Adam([p], { lr: 0.1 });
    // Reference in float64: gradients g_t = 2 w (of sum w^2).
    let w = [1, -2], m = [0, 0], v = [0, 0];
    for (let t = 1; t <= 3; t++) {
      const g = w.map((x) => 2 * x);
      m = m.map((mi, i) => 0.9 * mi + 0.1 * g[i]!);
      v = v.map((vi, i) => 0.999 * vi + 0.001 * g[i]! ** 2);
      w = w.map((x, i) => x - (0.1 * (m[i]! / (1 - 0.9 ** t))) / (Math.sqrt(v[i]! / (1 - 0.999 ** t)) + 1e-8));
      const grad = tf.mul(p.variable, 2);
      adam.apply(new Map([['w', grad]]));
      grad.dispose();
    }
    const got = Array.from(p.variable.dataSync());
    got.forEach((x, i) => expect(x).toBeCloseTo(w[i]!, 5));
    expect(adam.step).toBe(3);

    const other = new Adam([p], { lr: 0.1 });
    other.loadStateArrays(new Map(Object.entries(adam.stateArrays())), 'state');
    expect(other.step).toBe(3);
    expect(() => other.loadStateArrays(new Map(), 'opt.npz')).toThrow(/opt.npz: key 'step' missing/);
    expect(() => adam.apply(new Map())).toThrow(/no gradient for parameter w/);
    expect(() => new Adam([p], { lr: -1 })).toThrow(/learning rate/);
    adam.dispose();
    other.dispose();
    p.variable.dispose();
  });
});
