import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { christoffel, geodesicAcceleration } from '../../../../src-main/engine/geometry/christoffel';
import { sphereChristoffel, sphereMetric } from '../../../../src-main/engine/geometry/analytic/sphere';
import { torusChristoffel, torusMetric } from '../../../../src-main/engine/geometry/analytic/torus';
import type { MetricField } from '../../../../src-main/engine/geometry/metricField';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

const cases: [string, MetricField, (x: tf.Tensor2D) => tf.Tensor4D, number[][]][] = [
  ['sphere', sphereMetric, sphereChristoffel, [[0.3, 0.1], [1.2, -2.0], [2.5, 3.0], [1.5707, 0.7]]],
  ['torus', torusMetric, torusChristoffel, [[0.0, 0.0], [1.0, 1.3], [-2.0, 2.9], [0.4, -1.7]]],
];

describe('Christoffel symbols', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  for (const [name, metric, closedForm, points] of cases) {
    it(`of the ${name} match the closed form to 1e-5`, () => {
      const x = tf.tensor2d(points);
      const gamma = christoffel(metric, x);
      expect(gamma.shape).toEqual([points.length, 2, 2, 2]);
      const expected = closedForm(x);
      // The closed forms have non-zero entries of order one here, so the comparison is meaningful.
      expect(tf.max(tf.abs(expected)).dataSync()[0]).toBeGreaterThan(0.3);
      expect(maxAbsDiff(gamma, expected)).toBeLessThan(1e-5);
      tf.dispose([x, gamma, expected]);
    });

    it(`contract to the ${name}'s geodesic acceleration -Gamma(v, v)`, () => {
      const x = tf.tensor2d(points);
      const v = tf.tensor2d(points.map(([a, b]) => [0.7 - b!, 0.2 + a!]));
      const acc = geodesicAcceleration(metric, x, v);
      const expected = tf.tidy(() => tf.neg(tf.einsum('bkc,bc->bk', tf.einsum('bkac,ba->bkc', closedForm(x), v), v)));
      expect(maxAbsDiff(acc, expected)).toBeLessThan(1e-5);
      tf.dispose([x, v, acc, expected]);
    });
  }

  it('reject points of the wrong dimension with a message naming the shape', () => {
    const x = tf.zeros([4, 3]) as tf.Tensor2D;
    expect(() => christoffel(sphereMetric, x)).toThrow(/\[B, 2\], got \[4, 3\]/);
    x.dispose();
  });
});
