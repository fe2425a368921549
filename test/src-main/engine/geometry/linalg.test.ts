import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { batchedInverse, batchedSolve } from '../../../../src-main/engine/geometry/linalg';

/** A batch of SPD matrices A = M M^T + m I from a fixed pseudo-random M. */
function spdBatch(B: number, m: number): number[][][] {
  let s = 12345 + m;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  return Array.from({ length: B }, () => {
    const M = Array.from({ length: m }, () => Array.from({ length: m }, rand));
    return M.map((row, i) => M.map((other, j) => row.reduce((acc, v, k) => acc + v * other[k]!, 0) + (i === j ? m : 0)));
  });
}

describe('batched linear algebra', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  for (const m of [1, 2, 3, 4, 6]) {
    it(`inverts SPD matrices of size ${m} (${m <= 3 ? 'closed form' : 'Gauss-Jordan'}) and solves with them`, () => {
      const a = tf.tensor3d(spdBatch(5, m));
      const inv = batchedInverse(a);
      const residual = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.matMul(a, inv), tf.eye(m)))).dataSync()[0]!);
      expect(residual).toBeLessThan(1e-5);
      const r = tf.randomNormal([5, m], 0, 1, 'float32', 3) as tf.Tensor2D;
      const u = batchedSolve(a, r);
      const back = tf.tidy(() => tf.squeeze(tf.matMul(a, tf.expandDims(u, 2)), [2]));
      expect(tf.max(tf.abs(tf.sub(back, r))).dataSync()[0]).toBeLessThan(1e-5);
      tf.dispose([a, inv, r, u, back]);
    });
  }

  it('differentiates through the inverse: d tr(A^-1) / dA = -(A^-2)^T', () => {
    for (const m of [2, 3, 4]) {
      const a = tf.tensor3d(spdBatch(3, m));
      const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(batchedInverse(x as tf.Tensor3D), tf.eye(m))))(a);
      const expected = tf.tidy(() => {
        const inv = batchedInverse(a);
        return tf.neg(tf.transpose(tf.matMul(inv, inv), [0, 2, 1]));
      });
      expect(tf.max(tf.abs(tf.sub(grad, expected))).dataSync()[0]).toBeLessThan(1e-5);
      tf.dispose([a, grad, expected]);
    }
  });

  it('names the bad shape', () => {
    const a = tf.zeros([2, 2, 3]) as tf.Tensor3D;
    expect(() => batchedInverse(a)).toThrow(/\[B, m, m\], got \[2, 2, 3\]/);
    const b = tf.reshape(tf.eye(2), [1, 2, 2]) as tf.Tensor3D;
    expect(() => batchedSolve(b, tf.zeros([1, 3]) as tf.Tensor2D)).toThrow(/\[1, 2\], got \[1, 3\]/);
  });
});
