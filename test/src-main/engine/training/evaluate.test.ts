import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeDataset } from '../../../../src-main/data/datasetFile';
import { initBackend } from '../../../../src-main/engine/backend';
import { createModel } from '../../../../src-main/engine/models/registry';
import { Adam } from '../../../../src-main/engine/optim/adam';
import { saveCheckpoint } from '../../../../src-main/engine/training/checkpoint';
import { evaluateCheckpointFile, evaluateModel } from '../../../../src-main/engine/training/evaluate';
import { oscillatorPairs, oscillatorTrajectories } from './fixtures';

describe('evaluation', () => {
  it('a saved checkpoint evaluates to the same figures as the live model, for every kind', async () => {
    await initBackend('cpu');
    const dir = await mkdtemp(path.join(tmpdir(), 'ngf-eval-'));
    try {
      const cases = [
        ['hnn', { hiddenSizes: [8] }, oscillatorTrajectories(6, 4)],
        ['node', { hiddenSizes: [8], pairSteps: 4 }, oscillatorPairs(6)],
        ['ngf', { dimM: 1, encoderHidden: [4], decoderHidden: [4], metricHidden: [4], geodesicSteps: 4 }, oscillatorPairs(6)],
      ] as const;
      for (const [kind, config, ds] of cases) {
        const model = createModel(kind, config, { stateDim: 2, seed: 3 });
        const optimizer = new Adam(model.parameters, { lr: 1e-3 });
        const file = path.join(dir, `${kind}.npz`);
        await writeDataset(ds, file);
        await saveCheckpoint(path.join(dir, kind), model, optimizer, { seed: 3, epoch: 0, step: 0 });
        const live = evaluateModel(model, ds, 4);
        const saved = await evaluateCheckpointFile(path.join(dir, kind), file, { backend: 'cpu', batchSize: 4 });
        expect(saved).toMatchObject(live);
        expect(saved.model).toBe(kind);
        expect(live.n_samples).toBe(6);
        expect(live.reconstruction_mse === null).toBe(kind !== 'ngf');
        expect(live.prediction_mse).toBeGreaterThan(0);
        model.dispose();
        optimizer.dispose();
      }
      const wrongD = path.join(dir, 'wrong.npz');
      await writeDataset({ inputs: { dtype: 'float32', shape: [1, 4], data: new Float32Array(4) }, targets: { dtype: 'float32', shape: [1, 4], data: new Float32Array(4) }, times: { dtype: 'float32', shape: [1], data: Float32Array.of(1) } }, wrongD);
      await expect(evaluateCheckpointFile(path.join(dir, 'hnn'), wrongD)).rejects.toThrow(/wrong.npz: the dataset has D = 4 but the hnn model expects D = 2/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
