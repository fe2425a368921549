/**
 * The learned geometry of a 2-dimensional latent chart, as heat-map data.
 *
 * On an n x n grid of chart points x = (x0, x1) covering a box (usually the encoded data's, see
 * `chartBox`): det g(x), the eigenvalues of g(x) (closed form for a symmetric 2 x 2 matrix,
 * (a + c)/2 -+ sqrt(((a - c)/2)^2 + b^2)) and the Gaussian curvature K(x) (../geometry/curvature.ts,
 * exact derivatives). Heat maps follow the report convention: values[j][i] at (x[i], y[j]).
 * For the unit sphere in spherical coordinates K = 1 everywhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MetricHeatmap } from '../../../src-shared/analysisReport';
import { gaussianCurvature } from '../geometry/curvature';
import type { MetricField } from '../geometry/metricField';
import { spread, type Spread } from './stats';

export interface ChartBox {
  x: [number, number];
  y: [number, number];
}

export interface LearnedGeometry {
  /** The report's metric section: det g, with the other fields alongside. */
  heatmap: MetricHeatmap & { curvature: MetricHeatmap; eigenvalueMin: MetricHeatmap; eigenvalueMax: MetricHeatmap };
  summary: {
    box: ChartBox;
    resolution: number;
    detG: Spread;
    eigenvalueMin: Spread;
    eigenvalueMax: Spread;
    curvature: Spread;
  };
}

/** The bounding box of chart points [N, 2], widened by `margin` of its size on every side. */
export function chartBox(points: tf.Tensor2D, margin = 0.05): ChartBox {
  if (points.rank !== 2 || points.shape[1] !== 2 || points.shape[0] === 0) {
    throw new Error(`chartBox: needs chart points [N >= 1, 2], got [${points.shape.join(', ')}]`);
  }
  const [lo, hi] = tf.tidy(() => [tf.min(points, 0).dataSync(), tf.max(points, 0).dataSync()]);
  const widen = (a: number, b: number): [number, number] => {
    const pad = margin * (b - a || 1);
    return [a - pad, b + pad];
  };
  return { x: widen(lo![0]!, hi![0]!), y: widen(lo![1]!, hi![1]!) };
}

const linspace = ([a, b]: [number, number], n: number) => Array.from({ length: n }, (_, i) => (n === 1 ? (a + b) / 2 : a + ((b - a) * i) / (n - 1)));

export function learnedGeometry(metric: MetricField, box: ChartBox, resolution = 25): LearnedGeometry {
  if (metric.dim !== 2) throw new Error(`learned geometry: heat maps need a 2-dimensional chart, the metric has dimension ${metric.dim}`);
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 200) {
    throw new Error(`learned geometry: resolution must be a whole number from 2 to 200, got ${resolution}`);
  }
  for (const [name, [a, b]] of Object.entries(box)) {
    if (!(Number.isFinite(a) && Number.isFinite(b) && a < b)) throw new Error(`learned geometry: box.${name} must be [low, high] with low < high, got [${a}, ${b}]`);
  }
  const xs = linspace(box.x, resolution);
  const ys = linspace(box.y, resolution);
  // Row-major over (j, i): point j * n + i is (xs[i], ys[j]).
  const points = ys.flatMap((y) => xs.flatMap((x) => [x, y]));
  const [g, K] = tf.tidy(() => {
    const x = tf.tensor2d(points, [resolution * resolution, 2]);
    return [metric.metric(x).dataSync(), gaussianCurvature(metric, x).dataSync()];
  });
  const n = resolution * resolution;
  const det = new Float64Array(n);
  const eigMin = new Float64Array(n);
  const eigMax = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const [a, b, c] = [g![4 * p]!, g![4 * p + 1]!, g![4 * p + 3]!];
    det[p] = a * c - b * b;
    const radius = Math.hypot((a - c) / 2, b);
    eigMin[p] = (a + c) / 2 - radius;
    eigMax[p] = (a + c) / 2 + radius;
  }
  const map = (quantity: string, values: ArrayLike<number>): MetricHeatmap => ({
    quantity,
    x: xs,
    y: ys,
    values: ys.map((_, j) => Array.from({ length: resolution }, (_, i) => values[j * resolution + i]!)),
  });
  return {
    heatmap: {
      ...map('det g', det),
      curvature: map('Gaussian curvature', K!),
      eigenvalueMin: map('smallest eigenvalue of g', eigMin),
      eigenvalueMax: map('largest eigenvalue of g', eigMax),
    },
    summary: { box, resolution, detG: spread(det), eigenvalueMin: spread(eigMin), eigenvalueMax: spread(eigMax), curvature: spread(K!) },
  };
}
