import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { createMlp, mlpForward, mlpJacobian, mlpTangents, type Mlp } from '../../../../src-main/engine/nn/mlp';
import { gradientsByPath } from '../../../../src-main/engine/nn/parameters';
import { layer64, mlp64, type Mlp64 } from '../models/float64Ngf';

function toMlp64(mlp: Mlp): Mlp64 {
  return {
    finalTanh: mlp.finalTanh,
    layers: mlp.layers.map((l) => layer64(l.W.arraySync() as number[][], l.b.arraySync() as number[])),
  };
}

const xs = [[0.3, -0.7, 1.1], [-0.2, 0.5, 0.05], [0.9, 0.1, -1.3]];
/** Two tangent directions for each of the three points, dxs[b][k]. */
const dxs = [
  [[1, 0.5, -0.2], [0.1, -1, 0.3]],
  [[0, 0, 1], [0.7, 0.2, 0.2]],
  [[-0.4, 0.9, 0], [0.3, 0.3, -0.3]],
];
/** The same as the direction-major [K, B, in] tensor mlpTangents takes. */
const directionMajor = () => tf.tensor3d([0, 1].map((k) => dxs.map((d) => d[k]!)));

describe('MLP with forward-mode tangents', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  for (const finalTanh of [false, true]) {
    it(`matches a float64 evaluation of y and J dx (finalTanh ${finalTanh})`, () => {
      const mlp = createMlp([3, 8, 5, 2], { scope: 'test-mlp', prefix: 'f', seed: 11, finalTanh });
      const ref = toMlp64(mlp);
      const x = tf.tensor2d(xs);
      const { y, dy } = mlpTangents(mlp, x, directionMajor());
      expect(y.shape).toEqual([3, 2]);
      expect(dy.shape).toEqual([2, 3, 2]);
      const yArr = y.arraySync(), dyArr = dy.arraySync();
      xs.forEach((xb, b) => {
        const expected = mlp64(ref, xb, dxs[b]!);
        expected.y.forEach((v, i) => expect(yArr[b]![i]).toBeCloseTo(v, 5));
        expected.dys.forEach((d, k) => d.forEach((v, i) => expect(dyArr[k]![b]![i]).toBeCloseTo(v, 5)));
      });
      expect(mlpForward(mlp, x).arraySync()).toEqual(yArr);
      tf.dispose(mlp.parameters.map((p) => p.variable));
    });
  }

  it('mlpJacobian gives the tangents of the unit directions', () => {
    const mlp = createMlp([3, 6, 4], { scope: 'test-mlp', prefix: 'f', seed: 5 });
    const x = tf.tensor2d(xs);
    const units = tf.tensor3d([0, 1, 2].map((a) => xs.map(() => [0, 1, 2].map((j) => (j === a ? 1 : 0)))));
    const viaTangents = mlpTangents(mlp, x, units).dy;
    const { dy } = mlpJacobian(mlp, x);
    expect(dy.shape).toEqual([3, 3, 4]);
    expect(tf.max(tf.abs(tf.sub(dy, viaTangents))).dataSync()[0]).toBeLessThan(1e-6);
    tf.dispose(mlp.parameters.map((p) => p.variable));
  });

  it('initialises reproducibly from the seed within U(-1/sqrt(fan_in), 1/sqrt(fan_in))', () => {
    const a = createMlp([4, 16, 2], { scope: 'test-init', prefix: 'f', seed: 3 });
    const b = createMlp([4, 16, 2], { scope: 'test-init', prefix: 'f', seed: 3 });
    const c = createMlp([4, 16, 2], { scope: 'test-init', prefix: 'f', seed: 4 });
    expect(a.layers[0]!.W.arraySync()).toEqual(b.layers[0]!.W.arraySync());
    expect(a.layers[0]!.W.arraySync()).not.toEqual(c.layers[0]!.W.arraySync());
    // Same scope twice: the TF.js names are made unique, the paths stay the same.
    expect(a.parameters.map((p) => p.path)).toEqual(b.parameters.map((p) => p.path));
    expect(a.parameters[0]!.variable.name).not.toBe(b.parameters[0]!.variable.name);
    const w1 = a.layers[1]!.W.dataSync();
    expect(Math.max(...Array.from(w1, Math.abs))).toBeLessThanOrEqual(1 / 4);
    expect(Math.max(...Array.from(w1, Math.abs))).toBeGreaterThan(0.2);
    tf.dispose([...a.parameters, ...b.parameters, ...c.parameters].map((p) => p.variable));
  });

  it('passes parameter gradients through the tangents (every variable reached)', () => {
    const mlp = createMlp([3, 8, 2], { scope: 'test-grad', prefix: 'f', seed: 9 });
    const x = tf.tensor2d(xs);
    const dx = directionMajor();
    const loss = () => tf.sum(tf.square(mlpTangents(mlp, x, dx).dy)) as tf.Scalar;
    // The output bias does not move J dx: variableGrads drops it and gradientsByPath says so.
    const all = tf.variableGrads(loss);
    expect(() => gradientsByPath(mlp.parameters, all.grads)).toThrow(/no gradient reached parameter\(s\): f.layers.1.b$/);
    const reachable = mlp.parameters.filter((p) => p.path !== 'f.layers.1.b');
    const byPath = gradientsByPath(reachable, tf.variableGrads(loss, reachable.map((p) => p.variable)).grads);
    for (const p of reachable) expect(tf.norm(byPath.get(p.path)!).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose(mlp.parameters.map((p) => p.variable));
  });

  it('names the bad shape', () => {
    const mlp = createMlp([3, 2], { scope: 'test-shape', prefix: 'f', seed: 1 });
    expect(() => mlpForward(mlp, tf.zeros([2, 4]) as tf.Tensor2D)).toThrow(/\[B, 3\], got \[2, 4\]/);
    expect(() => mlpTangents(mlp, tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 1, 2]) as tf.Tensor3D)).toThrow(/\[K, 2, 3\], got \[2, 1, 2\]/);
    expect(() => createMlp([3], { scope: 's', prefix: 'f', seed: 1 })).toThrow(/layer sizes/);
    tf.dispose(mlp.parameters.map((p) => p.variable));
  });
});
