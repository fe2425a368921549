import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { createFastGeodesicFlow } from '../../../../src-main/engine/fast/fastGeodesic';
import { GeodesicRk4Kernel, keptActivationBytes, weightCount } from '../../../../src-main/engine/fast/kernel';
import { expMap, geodesic } from '../../../../src-main/engine/geometry/geodesic';
import { createMetricNetwork, type MetricNetworkConfig } from '../../../../src-main/engine/nn/metricNetwork';
import { seededRandom } from '../../../../src-main/engine/nn/random';

/** max |a - b| / max |b|. */
function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < expected.length; i++) {
    num = Math.max(num, Math.abs(actual[i]! - expected[i]!));
    den = Math.max(den, Math.abs(expected[i]!));
  }
  return num / den;
}

function randomTensor(random: () => number, shape: number[], scale: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => (2 * random() - 1) * scale), shape);
}

interface Case extends MetricNetworkConfig {
  batch: number;
  steps: number;
}

const CASES: Case[] = [
  { kind: 'NN_metric', dim: 2, hiddenSizes: [32, 32], batch: 6, steps: 5 },
  { kind: 'NN_metric_regularized', dim: 1, hiddenSizes: [16], batch: 5, steps: 4 },
  { kind: 'NN_metric', dim: 3, hiddenSizes: [8, 8, 8], batch: 4, steps: 3 },
  { kind: 'NN_metric_regularized', dim: 4, hiddenSizes: [12, 7], batch: 3, steps: 3 },
];

beforeAll(async () => {
  await initBackend('cpu');
});

afterEach(() => {
  delete process.env.NGF_FAST;
});

describe('fused geodesic RK4 kernel', () => {
  it('computes tanh to a few float32 ulps', () => {
    const xs = Float32Array.from({ length: 48001 }, (_, i) => -12 + (24 * i) / 48000);
    xs[24000] = 1e-20;
    const ys = new GeodesicRk4Kernel().tanh(xs);
    let worst = 0;
    xs.forEach((x, i) => (worst = Math.max(worst, Math.abs(ys[i]! - Math.tanh(x)) / Math.abs(Math.tanh(x)))));
    expect(worst).toBeLessThan(4e-7);
  });

  for (const c of CASES) {
    it(`matches the op-by-op exp map, trajectory and gradients: ${c.kind}, m = ${c.dim}, hidden [${c.hiddenSizes}]`, () => {
      const metric = createMetricNetwork(c, 'fast-test', 'g', 7 + c.dim);
      const fast = createFastGeodesicFlow(c, metric.parameters);
      const random = seededRandom(100 + c.dim);
      const z0 = tf.variable(randomTensor(random, [c.batch, 2 * c.dim], 0.6) as tf.Tensor2D, true);
      const t = tf.tensor1d(Array.from({ length: c.batch }, () => 0.3 + random()));
      const options = { t, steps: c.steps };
      const wEnd = randomTensor(random, [c.batch, 2 * c.dim], 1);
      const wTraj = randomTensor(random, [c.batch, c.steps + 1, 2 * c.dim], 1);
      const variables = [z0, ...metric.parameters.map((p) => p.variable)];

      for (const [name, reference, fastValue, weight] of [
        ['exp', () => expMap(metric, z0, options), () => fast.exp(z0, options)!, wEnd],
        ['geodesic', () => geodesic(metric, z0, options), () => fast.geodesic(z0, options)!, wTraj],
      ] as const) {
        const expected = tf.variableGrads(() => tf.sum(tf.mul(reference(), weight)) as tf.Scalar, variables);
        const actual = tf.variableGrads(() => tf.sum(tf.mul(fastValue(), weight)) as tf.Scalar, variables);
        expect(relError(fastValue().dataSync(), reference().dataSync()), `${name} values`).toBeLessThan(1e-5);
        expect(Math.abs(actual.value.dataSync()[0]! - expected.value.dataSync()[0]!)).toBeLessThan(1e-5 * Math.abs(expected.value.dataSync()[0]!) + 1e-6);
        for (const v of variables) {
          expect(actual.grads[v.name], `${name}: gradient of ${v.name}`).toBeDefined();
          expect(relError(actual.grads[v.name]!.dataSync(), expected.grads[v.name]!.dataSync()), `${name}: gradient of ${v.name}`).toBeLessThan(1e-5);
        }
      }
      metric.dispose();
    });
  }

  it('steps aside where it does not apply and names what is wrong', () => {
    const config: MetricNetworkConfig = { kind: 'NN_metric', dim: 2, hiddenSizes: [4] };
    const metric = createMetricNetwork(config, 'fast-test', 'g', 1);
    const fast = createFastGeodesicFlow(config, metric.parameters);
    const z = tf.zeros([3, 4]) as tf.Tensor2D;
    expect(fast.exp(z, { t: 1, steps: 2 })).not.toBeNull();
    expect(fast.exp(z, { t: 1, steps: 2, solver: 'euler' })).toBeNull();
    expect(fast.exp(tf.zeros([3, 4], 'int32') as tf.Tensor2D, { t: 1, steps: 2 })).toBeNull();
    process.env.NGF_FAST = '0';
    expect(fast.geodesic(z, { t: 1, steps: 2 })).toBeNull();
    delete process.env.NGF_FAST;
    expect(() => fast.exp(tf.zeros([3, 5]) as tf.Tensor2D, { t: 1, steps: 2 })).toThrow(/\[B, 4\].*\[3, 5\]/);
    expect(() => fast.exp(z, { t: tf.ones([2]) as tf.Tensor1D, steps: 2 })).toThrow(/t must be a number or a \[3\] tensor/);
    expect(() => createFastGeodesicFlow({ ...config, hiddenSizes: [5] }, metric.parameters)).toThrow(/layers\.0\.W has shape \[4,2\], the config needs \[5,2\]/);
    expect(() => createFastGeodesicFlow(config, metric.parameters.slice(0, 3))).toThrow(/no parameter layers\.1\.b/);
    metric.dispose();
  });
});

/** Random weights of a [2, 16, 16, 3] metric network and `count` random [B, 4] start points. */
function randomKernelInputs(seed: number, B: number, count: number) {
  const sizes = [2, 16, 16, 3];
  const random = seededRandom(seed);
  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (2 * random() - 1) * scale);
  return { sizes, random, uniform, weights: uniform(weightCount(sizes), 0.4), points: Array.from({ length: count }, () => uniform(B * 4, 0.6)) };
}

describe('fused kernel on several threads', () => {
  it('gives the same geodesics and gradients with the batch split over 2 and 3 threads', () => {
    const B = 21;
    const steps = 6;
    const { sizes, random, uniform, weights, points: [z0] } = randomKernelInputs(9, B, 1);
    const shape = { sizes, regularized: false };
    const h = Float32Array.from({ length: B }, () => (0.3 + random()) / steps);
    const bar = uniform(B * (steps + 1) * 4, 1);
    const results = [1, 2, 3].map((threads) => {
      const kernel = new GeodesicRk4Kernel(threads);
      const run = kernel.forward(shape, weights, z0!, h, steps, true);
      const grads = kernel.backward(shape, weights, h, steps, run, null, bar);
      kernel.dispose();
      return { run, grads };
    });
    const [one, ...more] = results;
    for (const r of more) {
      expect(Array.from(r.run.trajectory!)).toEqual(Array.from(one!.run.trajectory!));
      expect(Array.from(r.grads.z0)).toEqual(Array.from(one!.grads.z0));
      expect(relError(r.grads.weights, one!.grads.weights)).toBeLessThan(1e-6);
    }
  });

  it('re-uses the activations its forward pass kept only while they are in memory: same gradients either way', () => {
    const B = 9;
    const steps = 4;
    const { sizes, uniform, weights, points: [z0, other] } = randomKernelInputs(11, B, 2);
    const shape = { sizes, regularized: true };
    const h = new Float32Array(B).fill(0.2);
    const bar = uniform(B * 4, 1);
    const kernel = new GeodesicRk4Kernel(2);
    const run = kernel.forward(shape, weights, z0!, h, steps, false);
    const kept = kernel.backward(shape, weights, h, steps, run, bar, null); // activations still in memory
    kernel.forward(shape, weights, other!, h, steps, false); // overwrites them
    const recomputed = kernel.backward(shape, weights, h, steps, run, bar, null); // re-runs the network
    expect(Array.from(recomputed.z0)).toEqual(Array.from(kept.z0));
    expect(Array.from(recomputed.weights)).toEqual(Array.from(kept.weights));
    expect(keptActivationBytes(shape, 8, steps)).toBe(2 * steps * 4 * (2 * (3 * 16 + 2 * 16) + 3 * 3 + 2 * 3) * 16); // 2 groups of 4; layers 16, 16, 3 (final tanh: regularized)
    kernel.dispose();
  });

  it('refuses to run after dispose() instead of waiting for ever on its ended threads', () => {
    const kernel = new GeodesicRk4Kernel(2);
    kernel.dispose();
    expect(() => kernel.forward({ sizes: [1, 4, 1], regularized: false }, new Float32Array(13), new Float32Array(8), new Float32Array(4), 2, false)).toThrow(
      'geodesic kernel: used after dispose()',
    );
  });

  it('a flow on 2 threads matches 1 thread, and after dispose() the next call starts afresh', () => {
    const config: MetricNetworkConfig = { kind: 'NN_metric', dim: 2, hiddenSizes: [8] };
    const metric = createMetricNetwork(config, 'threads', 'g', 4);
    const z = randomTensor(seededRandom(5), [10, 4], 0.5) as tf.Tensor2D;
    const [one, two] = [1, 2].map((threads) => createFastGeodesicFlow(config, metric.parameters, threads));
    expect([one!.threads, two!.threads]).toEqual([1, 2]);
    const expected = one!.exp(z, { t: 0.7, steps: 5 })!.dataSync();
    expect(relError(two!.exp(z, { t: 0.7, steps: 5 })!.dataSync(), expected)).toBeLessThan(1e-6);
    two!.dispose();
    expect(relError(two!.exp(z, { t: 0.7, steps: 5 })!.dataSync(), expected)).toBeLessThan(1e-6);
    one!.dispose();
    two!.dispose();
    metric.dispose();
  });
});
