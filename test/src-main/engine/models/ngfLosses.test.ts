import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { loadDataset } from '../../../../src-main/data/datasetFile';
import type { InputsTargetsDataset } from '../../../../src-main/data/dataset';
import { initBackend } from '../../../../src-main/engine/backend';
import { sphereDecoder, sphereEncoder, sphereMetric } from '../../../../src-main/engine/geometry/analytic/sphere';
import { inputTargetLoss } from '../../../../src-main/engine/models/ngfLosses';
import { TangentBundleModel } from '../../../../src-main/engine/models/ngfTangentBundle';
import { loadReferenceModel } from '../../../../src-main/engine/models/referenceCheckpoint';
import { inputTargetTerms64, ngf64FromModel, type Vec } from './float64Ngf';

const NGF = path.resolve('../shared/reference/ngf');
const N = 1024;

describe('NGF input/target loss on the half-sphere test set', () => {
  let data: { inputs: Vec[]; targets: Vec[]; times: number[] };
  let tensors: { inputs: tf.Tensor2D; targets: tf.Tensor2D; times: tf.Tensor1D };

  beforeAll(async () => {
    await initBackend('cpu');
    const ds = (await loadDataset(path.join(NGF, 'datasets', 'half-sphere_inputs-targets_test.npz'))) as InputsTargetsDataset;
    const rows = (a: Float32Array) => Array.from({ length: N }, (_, i) => Array.from(a.subarray(i * ds.dim, (i + 1) * ds.dim)));
    data = { inputs: rows(ds.inputs), targets: rows(ds.targets), times: Array.from(ds.times.subarray(0, N)) };
    tensors = { inputs: tf.tensor2d(data.inputs), targets: tf.tensor2d(data.targets), times: tf.tensor1d(data.times) };
  });

  it('is (almost) zero for the exact model: the analytic sphere in the same chart', () => {
    const sphere = new TangentBundleModel({ psi: sphereEncoder, phi: sphereDecoder, metric: sphereMetric });
    const [n, D] = [256, tensors.inputs.shape[1]];
    const head = (t: tf.Tensor2D) => tf.slice(t, [0, 0], [n, D]);
    const terms = inputTargetLoss(sphere, head(tensors.inputs), head(tensors.targets), tf.slice(tensors.times, 0, n), 49);
    expect(terms.reconstruction.dataSync()[0]).toBeLessThan(1e-10);
    // The targets were made by RK4 with 49 steps in this very chart, pole artefacts included.
    expect(terms.prediction.dataSync()[0]).toBeLessThan(1e-8);
  });

  for (const name of ['A', 'C']) {
    it(`of toy model ${name} (first ${N} samples) agrees with a float64 evaluation within 2 %`, async () => {
      const model = await loadReferenceModel(path.join(NGF, 'models', 'master_thesis', `toy-problem_model-${name}.eqx`));
      const terms = inputTargetLoss(model.bundle, tensors.inputs, tensors.targets, tensors.times, 49);
      const f32 = { reconstruction: terms.reconstruction.dataSync()[0]!, prediction: terms.prediction.dataSync()[0]!, latent: terms.latent.dataSync()[0]! };
      const f64 = inputTargetTerms64(ngf64FromModel(model), data.inputs, data.targets, data.times, 49);
      console.log(`toy model ${name}, first ${N}: float32 ${JSON.stringify(f32)}, float64 ${JSON.stringify(f64)}`);
      for (const key of ['reconstruction', 'prediction', 'latent'] as const) {
        expect(Math.abs(f32[key] - f64[key]) / f64[key], key).toBeLessThan(0.02);
      }
      expect(terms.total.dataSync()[0]).toBeCloseTo(f32.reconstruction + f32.prediction + f32.latent, 7);
      // A trained model: errors of the order of the README's full-set anchors (A 3.37e-4, C 3.99e-4).
      expect(f64.prediction).toBeLessThan(2e-3);
      model.dispose();
    });
  }
});
