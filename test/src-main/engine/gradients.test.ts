import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src-main/engine/backend';

const close = (a: tf.Tensor, expected: ArrayLike<number>, shape: number[]) => {
  expect(a.shape).toEqual(shape);
  Array.from(a.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
};

describe.each(['cpu', 'wasm'] as const)('re-registered Multiply gradient (%s)', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('sums a broadcast operand back to its shape, over leading and inner axes', () => {
    const a = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]);
    const b = tf.tensor2d([0.5, -1, 2, 0.25, -3, 1.5], [3, 2]); // broadcast over a's leading axis
    const c = tf.tensor3d([2, -1, 0.5], [1, 3, 1]); // broadcast over the first and the last axis
    const dy = tf.tensor3d([1, -2, 0.5, 3, -1, 2, 0.25, 1, -0.5, 2, 1.5, -1], [2, 3, 2]);
    const [ga, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b))([a, b], dy);
    const [av, bv, dv] = [a.dataSync(), b.dataSync(), dy.dataSync()];
    close(ga!, Array.from(dv, (d, i) => d * bv[i % 6]!), [2, 3, 2]);
    close(gb!, Array.from(bv, (_, j) => dv[j]! * av[j]! + dv[6 + j]! * av[6 + j]!), [3, 2]);
    const gc = tf.grad((c: tf.Tensor) => tf.mul(a, c))(c, dy);
    close(gc, [0, 1, 2].map((r) => [0, 1].flatMap((i) => [0, 1].map((k) => dv[i * 6 + r * 2 + k]! * av[i * 6 + r * 2 + k]!)).reduce((s, x) => s + x, 0)), [1, 3, 1]);
  });

  it('stays differentiable: d/dx of d/dx (x^2 w) = 2 w summed over the broadcast', () => {
    const x = tf.tensor1d([0.3, -1.2]);
    const w = tf.tensor2d([1.5, -0.5, 0.25, 2], [2, 2]);
    const second = tf.grad((x: tf.Tensor) => tf.sum(tf.grad((y: tf.Tensor) => tf.sum(tf.mul(tf.mul(y, y), w)))(x)))(x);
    close(second, [2 * (1.5 + 0.25), 2 * (-0.5 + 2)], [2]);
  });
});
