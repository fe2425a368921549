import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { sphereMetric } from '../../../../src-main/engine/geometry/analytic/sphere';
import { TORUS_R, TORUS_TUBE_RADIUS, torusMetric } from '../../../../src-main/engine/geometry/analytic/torus';
import { gaussianCurvature } from '../../../../src-main/engine/geometry/curvature';

describe('Gaussian curvature', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('is 1 on the unit sphere', () => {
    const x = tf.tensor2d([[0.5, 0.1], [1.3, 2.0], [2.4, -1.0]]);
    const K = gaussianCurvature(sphereMetric, x).arraySync();
    for (const k of K) expect(k).toBeCloseTo(1, 4);
  });

  it('is cos w / (r (R + r cos w)) on the torus: positive outside, negative inside', () => {
    const ws = [0, 0.8, 1.6, 2.5, Math.PI, -2.0];
    const x = tf.tensor2d(ws.map((w, i) => [0.3 * i, w]));
    const K = gaussianCurvature(torusMetric, x).arraySync();
    ws.forEach((w, i) => {
      const expected = Math.cos(w) / (TORUS_TUBE_RADIUS * (TORUS_R + TORUS_TUBE_RADIUS * Math.cos(w)));
      expect(K[i]).toBeCloseTo(expected, 4);
    });
  });

  it('refuses metrics that are not 2-dimensional', () => {
    const fake = { ...sphereMetric, dim: 3 };
    expect(() => gaussianCurvature(fake, tf.zeros([1, 3]) as tf.Tensor2D)).toThrow(/2-dimensional metric, got dimension 3/);
  });
});
