import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { chartBox, learnedGeometry } from '../../../../src-main/engine/analysis/geometry';
import { sphereMetric } from '../../../../src-main/engine/geometry/analytic/sphere';
import { TORUS_R, TORUS_TUBE_RADIUS, torusMetric } from '../../../../src-main/engine/geometry/analytic/torus';
import type { MetricField } from '../../../../src-main/engine/geometry/metricField';

describe('learned geometry heat maps', () => {
  it('analytic sphere: Gaussian curvature 1 everywhere, det g = sin^2 theta, eigenvalues 1 and sin^2 theta', async () => {
    await initBackend('cpu');
    const { heatmap, summary } = learnedGeometry(sphereMetric, { x: [0.4, 2.7], y: [-3, 3] }, 9);
    expect(summary.curvature.min).toBeGreaterThan(1 - 1e-4);
    expect(summary.curvature.max).toBeLessThan(1 + 1e-4);
    expect(heatmap.quantity).toBe('det g');
    expect(heatmap.x).toHaveLength(9);
    expect(heatmap.values).toHaveLength(9);
    heatmap.x.forEach((theta, i) => {
      expect(heatmap.values[4]![i]).toBeCloseTo(Math.sin(theta) ** 2, 5);
      expect(heatmap.eigenvalueMin.values[4]![i]).toBeCloseTo(Math.sin(theta) ** 2, 5);
      expect(heatmap.eigenvalueMax.values[4]![i]).toBeCloseTo(1, 5);
    });
    expect(heatmap.curvature.quantity).toBe('Gaussian curvature');
  });

  it('analytic torus: K = cos w / (r (R + r cos w)), varying along y = w only (values[j][i] at (x[i], y[j]))', async () => {
    await initBackend('cpu');
    const { heatmap } = learnedGeometry(torusMetric, { x: [0, 1], y: [-3, 3] }, 7);
    heatmap.curvature.y.forEach((w, j) => {
      const K = Math.cos(w) / (TORUS_TUBE_RADIUS * (TORUS_R + TORUS_TUBE_RADIUS * Math.cos(w)));
      heatmap.curvature.values[j]!.forEach((value) => expect(value).toBeCloseTo(K, 3));
    });
  });

  it('chart boxes pad the points’ range; bad boxes, resolutions and dimensions are errors', async () => {
    await initBackend('cpu');
    expect(chartBox(tf.tensor2d([[0, 1], [2, 1]]), 0.1)).toEqual({ x: [-0.2, 2.2], y: [0.9, 1.1] });
    expect(() => chartBox(tf.tensor2d([[0, 1, 2]]))).toThrow(/chart points \[N >= 1, 2\]/);
    expect(() => learnedGeometry(sphereMetric, { x: [1, 1], y: [0, 1] })).toThrow(/box\.x must be \[low, high\]/);
    expect(() => learnedGeometry(sphereMetric, { x: [0, 1], y: [0, 1] }, 1)).toThrow(/resolution must be a whole number from 2 to 200/);
    expect(() => learnedGeometry({ ...sphereMetric, dim: 3 } as MetricField, { x: [0, 1], y: [0, 1] })).toThrow(/2-dimensional chart/);
  });
});
