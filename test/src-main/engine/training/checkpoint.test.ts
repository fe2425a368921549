import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initBackend } from '../../../../src-main/engine/backend';
import { createModel } from '../../../../src-main/engine/models/registry';
import { Adam } from '../../../../src-main/engine/optim/adam';
import { bundleCheckpoint, loadCheckpoint, saveCheckpoint } from '../../../../src-main/engine/training/checkpoint';
import { datasetSamples, samplesFor } from '../../../../src-main/engine/training/samples';
import { evaluateLoss, train } from '../../../../src-main/engine/training/trainer';
import { oscillatorTrajectories } from './fixtures';

describe('checkpoints', () => {
  it('save -> load gives identical evaluation, and a resumed run continues exactly', async () => {
    await initBackend('cpu');
    const dir = await mkdtemp(path.join(tmpdir(), 'ngf-ckpt-'));
    try {
      const ds = oscillatorTrajectories(16, 5);
      const model = createModel('hnn', { hiddenSizes: [8, 8] }, { stateDim: 2, seed: 5 });
      const optimizer = new Adam(model.parameters, { lr: 1e-2 });
      const set = samplesFor(model.trainsOn(ds.format), ds);
      const options = { batchSize: 8, seed: 9 };
      const first = await train(model, optimizer, { train: set, test: null }, { ...options, epochs: 1 });
      await saveCheckpoint(dir, model, optimizer, { seed: 5, epoch: 1, step: first.steps, training: options });
      const full = await train(model, optimizer, { train: set, test: null }, { ...options, epochs: 3, startEpoch: 1, startStep: first.steps });

      const loaded = await loadCheckpoint(dir);
      expect(loaded.meta.kind).toBe('hnn');
      expect(loaded.meta.epoch).toBe(1);
      expect(loaded.optimizer.step).toBe(first.steps);
      const resumed = await train(loaded.model, loaded.optimizer, { train: set, test: null }, { ...options, epochs: 3, startEpoch: 1, startStep: first.steps });
      expect(resumed.history.map((h) => h.train.loss)).toEqual(full.history.map((h) => h.train.loss));

      // Evaluation of the saved and reloaded model matches to the last bit.
      await saveCheckpoint(dir, model, optimizer, { seed: 5, epoch: 3, step: full.steps });
      const again = await loadCheckpoint(dir);
      const data = datasetSamples(ds);
      expect(evaluateLoss(again.model, data, 8)).toEqual(evaluateLoss(model, data, 8));
      // The one-file bundle loads the same model.
      const bundled = await loadCheckpoint(await bundleCheckpoint(dir));
      expect(evaluateLoss(bundled.model, data, 8)).toEqual(evaluateLoss(model, data, 8));
      for (const m of [model, loaded.model, again.model, bundled.model]) m.dispose();

      await writeFile(path.join(dir, 'config.json'), JSON.stringify({ format: 'ngf-workbench-checkpoint', version: 1, kind: 'hnn' }));
      await expect(loadCheckpoint(dir)).rejects.toThrow(/config.json: field 'config' must be an object/);
      await expect(loadCheckpoint(path.join(dir, 'nope'))).rejects.toThrow(/nope.config.json: cannot read/);
      await expect(loadCheckpoint(path.join(dir, 'config.json'))).rejects.toThrow(/config.json: not a checkpoint folder or bundle/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
