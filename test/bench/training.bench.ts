/**
 * Training throughput per backend (cpu, wasm):
 * - NGF with toy model A's architecture (Jacobian-split psi/phi 3-32-32-2, metric 2-32-32-3, 49 RK4
 *   steps) on half-sphere input/target data at batch 512: optimizer steps and samples per second;
 * - Hamiltonian NN 8-200-200-1 with derivative matching at batch 200 on two-body states: steps/s.
 * Each figure is the median of 3 (NGF) or 5 (HNN) timed steps after one warm-up step.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { presetsFor } from '../../src-shared/presets';
import { loadDataset } from '../../src-main/data/datasetFile';
import { initBackend } from '../../src-main/engine/backend';
import { createModel } from '../../src-main/engine/models/registry';
import { Adam } from '../../src-main/engine/optim/adam';
import { samplesFor } from '../../src-main/engine/training/samples';
import { trainStep } from '../../src-main/engine/training/trainer';
import type { Model } from '../../src-main/engine/models/types';
import type { SampleSet } from '../../src-main/engine/training/samples';
import { medianMs, type Benchmark } from './harness';
import * as tf from '@tensorflow/tfjs-core';

const datasets = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/reference/ngf/datasets');

async function stepMs(model: Model, set: SampleSet, batchSize: number, repeats: number): Promise<number> {
  const optimizer = new Adam(model.parameters, { lr: 1e-3 });
  const rows = Int32Array.from({ length: batchSize }, (_, i) => i % set.size);
  const batch = set.batch(rows);
  try {
    return await medianMs(() => trainStep(model, optimizer, batch), repeats, 1);
  } finally {
    tf.dispose(Object.values(batch) as tf.Tensor[]);
    optimizer.dispose();
    model.dispose();
  }
}

const bench: Benchmark = {
  name: 'training',
  async run() {
    const sphere = await loadDataset(path.join(datasets, 'half-sphere_inputs-targets_train.npz'));
    const twoBody = await loadDataset(path.join(datasets, 'two-body-problem_fixed-energy-trajectories_train.npz'));
    const toyA = presetsFor('ngf').find((p) => p.id === 'toy-problem-A')!.config;
    const figures: Record<string, unknown> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      await initBackend(backend);
      const ngf = createModel('ngf', toyA, { stateDim: 6, seed: 0 });
      const ngfMs = await stepMs(ngf, samplesFor('inputs-targets', sphere), 512, 3);
      const hnn = createModel('hnn', { hiddenSizes: [200, 200] }, { stateDim: 8, seed: 0 });
      const hnnMs = await stepMs(hnn, samplesFor('derivatives', twoBody), 200, 5);
      figures[backend] = {
        ngf_toyA_batch512_step_ms: ngfMs,
        ngf_toyA_samples_per_s: (512 / ngfMs) * 1000,
        hnn_batch200_step_ms: hnnMs,
        hnn_steps_per_s: 1000 / hnnMs,
      };
    }
    return figures;
  },
};
export default bench;
