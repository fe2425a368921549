import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-main/engine/backend';
import { createParameter, gradientsByPath } from '../../../../src-main/engine/nn/parameters';

describe('parameters', () => {
  it('creates one tensor per parameter (no leaked initial tensor) holding the given values', async () => {
    await initBackend('cpu');
    const before = tf.memory().numTensors;
    const p = createParameter('test', 'layer.W', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(tf.memory().numTensors - before).toBe(1);
    expect(p.variable.shape).toEqual([2, 3]);
    expect(Array.from(p.variable.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    p.variable.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses values that do not fill the shape, naming the parameter', () => {
    expect(() => createParameter('test', 'layer.b', new Float32Array(3), [4])).toThrow(/layer\.b/);
  });

  it('names every parameter that received no gradient', async () => {
    await initBackend('cpu');
    const a = createParameter('test', 'a', Float32Array.from([1]), [1]);
    const b = createParameter('test', 'b', Float32Array.from([2]), [1]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(a.variable)) as tf.Scalar, [a.variable, b.variable]);
    expect(() => gradientsByPath([a, b], grads)).toThrow(/\bb\b/);
    tf.dispose([a.variable, b.variable, ...Object.values(grads)]);
  });
});
