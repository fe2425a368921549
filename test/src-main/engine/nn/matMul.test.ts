import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { matMulConstant, matMulPlain } from '../../../../src-main/engine/nn/matMul';

const close = (a: tf.Tensor, b: tf.Tensor) => {
  const [x, y] = [a.dataSync(), b.dataSync()];
  expect(a.shape).toEqual(b.shape);
  x.forEach((v, i) => expect(v).toBeCloseTo(y[i]!, 5));
};

describe('products with plain-matMul gradients', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('a w + bias and its gradients match TF.js matMul, add and their gradients', () => {
    const a = tf.randomNormal([5, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([3, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const bias = tf.randomNormal([4], 0, 1, 'float32', 3) as tf.Tensor1D;
    const weights = tf.randomNormal([5, 4], 0, 1, 'float32', 4);
    // A nonlinear loss, so that the gradients depend on every operand.
    const loss = (f: (a: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor) => (a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.square(f(a as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D)), weights));
    const ours = tf.grads(loss((a, w, b) => matMulPlain(a, w, b)))([a, w, bias]);
    const theirs = tf.grads(loss((a, w, b) => tf.add(tf.matMul(a, w), b)))([a, w, bias]);
    ours.forEach((g, i) => close(g, theirs[i]!));
    close(matMulPlain(a, w, bias), tf.add(tf.matMul(a, w), bias));
    const lossNoBias = (f: (a: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor) => (a: tf.Tensor, w: tf.Tensor) =>
      tf.sum(tf.mul(tf.square(f(a as tf.Tensor2D, w as tf.Tensor2D)), weights));
    const noBias = tf.grads(lossNoBias((a, w) => matMulPlain(a, w)))([a, w]);
    tf.grads(lossNoBias((a, w) => tf.matMul(a, w)))([a, w]).forEach((g, i) => close(noBias[i]!, g));
  });

  it('keeps second derivatives: d/da of a gradient through matMulPlain', () => {
    const a = tf.tensor2d([[0.3, -1.2], [0.7, 0.4]]);
    const w = tf.tensor2d([[1.5, -0.5], [0.25, 2]]);
    const inner = (f: (a: tf.Tensor2D) => tf.Tensor) => (w: tf.Tensor) => tf.sum(tf.pow(f(w as tf.Tensor2D), 3));
    const outer = (f: (a: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor) => (a: tf.Tensor) => tf.sum(tf.grad(inner((w) => f(a as tf.Tensor2D, w)))(w));
    close(tf.grad(outer((a, w) => matMulPlain(a, w)))(a), tf.grad(outer((a, w) => tf.matMul(a, w)))(a));
  });

  it('a c for a constant c: the gradient of a survives the constant being freed', () => {
    const a = tf.randomNormal([4, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    const expected = tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.matMul(a as tf.Tensor2D, tf.tensor2d([[1, 0], [0, 2], [-1, 1]])))))(a);
    const got = tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.tidy(() => matMulConstant(a as tf.Tensor2D, tf.tensor2d([[1, 0], [0, 2], [-1, 1]]))))))(a);
    close(got, expected);
  });

  it('rejects operands that do not fit, naming their shapes', () => {
    expect(() => matMulPlain(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 3]) as tf.Tensor2D)).toThrow(/\[2, 3\] x \[2, 3\]/);
    expect(() => matMulPlain(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([3, 4]) as tf.Tensor2D, tf.zeros([3]) as tf.Tensor1D)).toThrow(/\+ \[3\]/);
    expect(() => matMulConstant(tf.zeros([2, 2]) as tf.Tensor2D, tf.zeros([3, 1]) as tf.Tensor2D)).toThrow(/matMul/);
  });
});
