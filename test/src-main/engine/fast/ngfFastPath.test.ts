/**
 * The fast path inside the NGF model: loss and every parameter gradient agree with the op-by-op
 * path (NGF_FAST=0) on reference checkpoints and on random models of several shapes, and repeated
 * runs give identical results.
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { loadDataset } from '../../../../src-main/data/datasetFile';
import { initBackend } from '../../../../src-main/engine/backend';
import { GeodesicRk4Kernel } from '../../../../src-main/engine/fast/kernel';
import { NeuralGeodesicFlow } from '../../../../src-main/engine/models/ngf';
import { loadReferenceModel } from '../../../../src-main/engine/models/referenceCheckpoint';
import type { DataBatch } from '../../../../src-main/engine/models/types';
import { seededRandom } from '../../../../src-main/engine/nn/random';
import { samplesFor } from '../../../../src-main/engine/training/samples';

const NGF = path.resolve('../shared/reference/ngf');
const rows = (n: number, stride: number) => Int32Array.from({ length: n }, (_, i) => i * stride);

interface Figures {
  loss: number;
  grads: Map<string, Float32Array>;
}

function lossAndGradients(model: NeuralGeodesicFlow, batch: DataBatch, fast: boolean): Figures {
  if (fast) delete process.env.NGF_FAST;
  else process.env.NGF_FAST = '0';
  const { value, grads } = tf.variableGrads(() => model.loss(batch).total, model.parameters.map((p) => p.variable));
  const figures: Figures = { loss: value.dataSync()[0]!, grads: new Map() };
  for (const p of model.parameters) {
    const g = grads[p.variable.name];
    if (!g) throw new Error(`no gradient for ${p.path}`);
    figures.grads.set(p.path, g.dataSync() as Float32Array);
  }
  tf.dispose([value, ...Object.values(grads)]);
  return figures;
}

function maxAbs(xs: Float32Array): number {
  return xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
}

/**
 * Loss to 1e-5 relative; each parameter's gradient to 1e-5 relative to its own largest entry, or to
 * a tenth of the largest entry of any gradient if that is larger: on a trained checkpoint some
 * gradients are sums of nearly cancelling terms, and there both float32 paths carry ~1e-5 relative
 * noise (toy model A, g.layers.2.b: op-by-op 1.5e-5 and fast 2e-5 from a float64 finite difference).
 */
function expectAgreement(model: NeuralGeodesicFlow, batch: DataBatch): void {
  const kernelCalls = vi.spyOn(GeodesicRk4Kernel.prototype, 'backward');
  const reference = lossAndGradients(model, batch, false);
  expect(kernelCalls, 'NGF_FAST=0 must keep the kernel out').not.toHaveBeenCalled();
  const fast = lossAndGradients(model, batch, true);
  expect(kernelCalls, 'the model must use the fused kernel by default').toHaveBeenCalledTimes(1);
  kernelCalls.mockRestore();
  expect(Math.abs(fast.loss - reference.loss) / Math.abs(reference.loss), 'loss').toBeLessThan(1e-5);
  const largest = Math.max(...[...reference.grads.values()].map((g) => maxAbs(g)));
  for (const [p, g] of reference.grads) {
    const err = maxAbs(fast.grads.get(p)!.map((x, i) => x - g[i]!)) / Math.max(maxAbs(g), 0.1 * largest);
    expect(err, `gradient of ${p}`).toBeLessThan(1e-5);
  }
  // Same inputs, same bits.
  const again = lossAndGradients(model, batch, true);
  expect(again.loss).toBe(fast.loss);
  for (const [p, g] of fast.grads) expect(Array.from(again.grads.get(p)!), p).toEqual(Array.from(g));
}

function randomBatch(seed: number, B: number, T: number, D: number): DataBatch {
  const random = seededRandom(seed);
  const values = (n: number, scale: number) => Float32Array.from({ length: n }, () => (2 * random() - 1) * scale);
  if (T === 2) {
    return {
      format: 'inputs-targets',
      inputs: tf.tensor2d(values(B * D, 0.8), [B, D]),
      targets: tf.tensor2d(values(B * D, 0.8), [B, D]),
      times: tf.tensor1d(Float32Array.from({ length: B }, () => 0.2 + random())),
    };
  }
  const times = new Float32Array(B * T);
  for (let b = 0; b < B; b++) for (let j = 0; j < T; j++) times[b * T + j] = 0.1 * b + 0.15 * j;
  return { format: 'trajectories', trajectories: tf.tensor3d(values(B * T * D, 0.8), [B, T, D]), times: tf.tensor2d(times, [B, T]) };
}

beforeAll(async () => {
  await initBackend('cpu');
});

afterEach(() => {
  delete process.env.NGF_FAST;
});

describe('NGF fast path against the op-by-op path', () => {
  it('toy model A (NN_metric), half-sphere inputs/targets, 49 steps', async () => {
    const model = await loadReferenceModel(path.join(NGF, 'models/master_thesis/toy-problem_model-A.eqx'));
    const data = await loadDataset(path.join(NGF, 'datasets/half-sphere_inputs-targets_test.npz'));
    expectAgreement(model, samplesFor('inputs-targets', data).batch(rows(6, 997)) as DataBatch);
    model.dispose();
  });

  it('two-body model A (NN_metric_regularized), trajectories, 29 steps', async () => {
    const model = await loadReferenceModel(path.join(NGF, 'models/master_thesis/two-body-problem_model-A.eqx'));
    const data = await loadDataset(path.join(NGF, 'datasets/two-body-problem_fixed-energy-trajectories_test.npz'));
    expectAgreement(model, samplesFor('trajectories', data).batch(rows(3, 4)) as DataBatch);
    model.dispose();
  });

  const shapes = [
    { dimM: 1, encoder: 'mlp', decoder: 'mlp-chart', metric: 'regularized', metricHidden: [16], D: 4, T: 2 },
    { dimM: 3, encoder: 'jacobian-split', decoder: 'jacobian-split', metric: 'cholesky', metricHidden: [8, 8, 8], D: 6, T: 4 },
    { dimM: 4, encoder: 'mlp', decoder: 'mlp', metric: 'regularized', metricHidden: [12], D: 10, T: 2 },
  ] as const;
  for (const { D, T, ...shape } of shapes) {
    it(`random model m = ${shape.dimM}, ${shape.metric} [${shape.metricHidden}], ${T === 2 ? 'inputs/targets' : 'trajectories'}`, () => {
      const config = { ...shape, metricHidden: [...shape.metricHidden], encoderHidden: [16], decoderHidden: [16], geodesicSteps: 7 };
      const model = new NeuralGeodesicFlow(config, { stateDim: D, seed: 3 });
      expectAgreement(model, randomBatch(5, 5, T, D));
      model.dispose();
    });
  }
});
