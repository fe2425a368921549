import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeDataset } from '../../../../src-main/data/datasetFile';
import { initBackend } from '../../../../src-main/engine/backend';
import { loadCheckpoint } from '../../../../src-main/engine/training/checkpoint';
import { WorkerTrainingRunner } from '../../../../src-main/engine/training/workerRunner';
import { TrainingWorkerPool } from '../../../../src-main/engine/training/workerPool';
import type { EpochMetrics, TrainingProgress } from '../../../../src-main/services/engines';
import { oscillatorPairs } from './fixtures';

describe('worker training runner (the service engine)', () => {
  const pool = new TrainingWorkerPool();
  afterAll(() => pool.close());

  it('maps a run spec to a job: hooks, summary and the checkpoint bundle; cancel rejects', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ngf-runner-'));
    try {
      const trainPath = path.join(dir, 'pairs.npz');
      await writeDataset(oscillatorPairs(16), trainPath);
      const runner = new WorkerTrainingRunner(pool, 'cpu');
      const epochs: EpochMetrics[] = [];
      const progress: TrainingProgress[] = [];
      const spec = {
        runId: 'r1',
        model: 'node' as const,
        config: { hiddenSizes: [8], activation: 'tanh' as const, solver: 'rk4' as const, stepsPerInterval: 1 },
        trainPath,
        testPath: trainPath,
        seed: 2,
        budget: { epochs: 2, batchSize: 8, lr: 1e-2 },
        checkpointDir: path.join(dir, 'ckpt'),
      };
      const handle = runner.start(spec, { onEpoch: (m) => epochs.push(m), onProgress: (p) => progress.push(p) });
      const result = await handle.done;
      expect(epochs.map((m) => m.epoch)).toEqual([1, 2]);
      expect(epochs[1]!.testLoss).toBe(epochs[1]!['test_trajectory_mse']);
      expect(progress.at(-1)!.losses.loss).toBeGreaterThan(0);
      expect(result.summary.status).toBe('completed');
      expect(result.summary.bestTestLoss).toBe(Math.min(epochs[0]!.testLoss!, epochs[1]!.testLoss!));
      expect(existsSync(result.checkpointPath!)).toBe(true);
      await initBackend('cpu');
      const loaded = await loadCheckpoint(result.checkpointPath!);
      expect(loaded.meta.epoch).toBe(2);
      loaded.model.dispose();

      const long = runner.start({ ...spec, budget: { ...spec.budget, epochs: 1000 } }, { onEpoch: () => long.cancel(), onProgress: () => {} });
      await expect(long.done).rejects.toThrow(/cancelled/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
