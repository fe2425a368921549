import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeDataset } from '../../../../src-main/data/datasetFile';
import { TrainingWorkerPool } from '../../../../src-main/engine/training/workerPool';
import type { TrainingProgress } from '../../../../src-main/engine/training/trainer';
import { oscillatorTrajectories } from './fixtures';

describe('training worker pool', () => {
  let dir = '';
  let trainPath = '';
  const pool = new TrainingWorkerPool();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ngf-pool-'));
    trainPath = path.join(dir, 'train.npz');
    await writeDataset(oscillatorTrajectories(32, 6), trainPath);
  });
  afterAll(async () => {
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  });

  const spec = (extra: object = {}) => ({
    model: 'node',
    config: { hiddenSizes: [8] },
    trainPath,
    testFraction: 0.25,
    seed: 1,
    epochs: 2,
    batchSize: 4,
    lr: 1e-2,
    backend: 'cpu' as const,
    ...extra,
  });

  it('streams progress and epochs, fails a throwing job alone, cancels, and stays usable', async () => {
    const progress: TrainingProgress[] = [];
    const epochs: number[] = [];
    const ok = pool.submit(spec({ checkpointDir: path.join(dir, 'ckpt') }), { onProgress: (p) => progress.push(p), onEpoch: (m) => epochs.push(m.epoch) });
    const result = await ok.done;
    expect(result.status).toBe('completed');
    expect(result.steps).toBe(12);
    expect(epochs).toEqual([1, 2]);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.step).toBe(12);
    expect(result.evaluation!.n_samples).toBe(8);
    expect(result.checkpointFile).toBe(path.join(dir, 'ckpt', 'checkpoint.zip'));

    // An exception inside the job (an odd D for a Hamiltonian NN is refused) fails that job only.
    const oddD = path.join(dir, 'odd.npz');
    await writeDataset({ trajectories: { dtype: 'float32', shape: [2, 3, 3], data: new Float32Array(18) }, times: { dtype: 'float32', shape: [2, 3], data: Float32Array.of(0, 1, 2, 0, 1, 2) } }, oddD);
    await expect(pool.submit(spec({ model: 'hnn', trainPath: oddD })).done).rejects.toThrow(/D = 3 must be even/);

    // Cancel as soon as the job reports its first step; it resolves as cancelled, early.
    const long = pool.submit(spec({ epochs: 50 }), { onProgress: () => long.cancel() });
    const cancelled = await long.done;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps).toBeLessThan(50 * 6);

    const again = await pool.submit(spec({ epochs: 1 })).done;
    expect(again.status).toBe('completed');
  });
});
