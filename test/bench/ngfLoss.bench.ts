/**
 * Forward pass of the NGF input/target loss (no gradient) for the imported reference toy model A at
 * batch 512: psi on inputs and targets, 49 RK4 steps of the geodesic flow, phi, the three terms.
 * Per backend: the fused WebAssembly geodesic (../src-main/engine/fast, what NeuralGeodesicFlow uses
 * on cpu and wasm) and the op-by-op TF.js graph (the same bundle without it), median of 5 (fused)
 * or 3 (op-by-op) after a warm-up, plus the kernel count of one pass.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { InputsTargetsDataset } from '../../src-main/data/dataset';
import { loadDataset } from '../../src-main/data/datasetFile';
import { initBackend } from '../../src-main/engine/backend';
import { inputTargetLoss } from '../../src-main/engine/models/ngfLosses';
import { TangentBundleModel } from '../../src-main/engine/models/ngfTangentBundle';
import { loadReferenceModel } from '../../src-main/engine/models/referenceCheckpoint';
import type { Benchmark } from './harness';
import { medianMs } from './harness';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NGF = path.resolve(root, '../shared/reference/ngf');
const B = 512;

const bench: Benchmark = {
  name: 'ngf-loss-forward',
  async run() {
    const ds = (await loadDataset(path.join(NGF, 'datasets', 'half-sphere_inputs-targets_test.npz'))) as InputsTargetsDataset;
    const figures: Record<string, unknown> = { model: 'toy-problem_model-A', batch: B, steps: 49 };
    for (const backend of ['cpu', 'wasm'] as const) {
      await initBackend(backend);
      const model = await loadReferenceModel(path.join(NGF, 'models', 'master_thesis', 'toy-problem_model-A.eqx'));
      const inputs = tf.tensor2d(ds.inputs.subarray(0, B * ds.dim), [B, ds.dim]);
      const targets = tf.tensor2d(ds.targets.subarray(0, B * ds.dim), [B, ds.dim]);
      const times = tf.tensor1d(ds.times.subarray(0, B));
      const opByOp = new TangentBundleModel({ psi: model.bundle.psi, phi: model.bundle.phi, metric: model.bundle.metric });
      for (const [label, bundle, repeats] of [['fused', model.bundle, 5], ['op_by_op', opByOp, 3]] as const) {
        const pass = () => tf.tidy(() => inputTargetLoss(bundle, inputs, targets, times, 49).total.dataSync()[0]);
        const profile = await tf.profile(pass);
        figures[`${backend}_${label}_ms`] = await medianMs(pass, repeats, 1);
        figures[`${backend}_${label}_kernels`] = profile.kernels.length;
      }
      tf.dispose([inputs, targets, times]);
      model.dispose();
    }
    return figures;
  },
};

export default bench;
