import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeDataset } from '../../../../src-main/data/datasetFile';
import { trainingThreads } from '../../../../src-main/engine/fast/fastGeodesic';
import { runTrainingJob, type TrainingJobSpec } from '../../../../src-main/engine/training/job';
import { oscillatorPairs } from './fixtures';

const TINY_NGF = { dimM: 1, encoderHidden: [8], decoderHidden: [8], metricHidden: [8], geodesicSteps: 4 };

describe('training job: kernel threads', () => {
  it('gives the NGF the threads asked for (else trainingThreads()), reports them, and the loss does not depend on them beyond rounding', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ngf-job-'));
    try {
      const trainPath = path.join(dir, 'pairs.npz');
      await writeDataset(oscillatorPairs(24), trainPath);
      const spec: TrainingJobSpec = { model: 'ngf', config: TINY_NGF, trainPath, testPath: trainPath, seed: 3, epochs: 2, batchSize: 12, lr: 1e-2, backend: 'wasm' };
      const [one, two, auto] = [await runTrainingJob({ ...spec, threads: 1 }), await runTrainingJob({ ...spec, threads: 2 }), await runTrainingJob(spec)];
      expect([one.threads, two.threads, auto.threads]).toEqual([1, 2, trainingThreads()]);
      expect(Math.abs(two.test!.loss - one.test!.loss) / one.test!.loss).toBeLessThan(1e-5);
      await expect(runTrainingJob({ ...spec, threads: 0 })).rejects.toThrow('training job: threads must be a whole number from 1 to 64, got 0');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
