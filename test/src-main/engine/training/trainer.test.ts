import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-main/engine/backend';
import { createModel } from '../../../../src-main/engine/models/registry';
import { Adam } from '../../../../src-main/engine/optim/adam';
import { samplesFor } from '../../../../src-main/engine/training/samples';
import { train, type EpochMetrics } from '../../../../src-main/engine/training/trainer';
import { oscillatorPairs, oscillatorTrajectories } from './fixtures';

async function run(kind: string, config: object, lr: number, epochs: number, seed = 3, shouldStop?: () => boolean) {
  await initBackend('cpu');
  const ds = kind.endsWith('-pairs') ? oscillatorPairs(24) : oscillatorTrajectories(24, 6);
  const model = createModel(kind.replace('-pairs', ''), config, { stateDim: 2, seed: 1 });
  const optimizer = new Adam(model.parameters, { lr });
  const set = samplesFor(model.trainsOn(ds.format), ds);
  const progress: number[] = [];
  const initial = model.parameters.map((p) => p.variable.dataSync().slice());
  try {
    const outcome = await train(model, optimizer, { train: set, test: set }, { epochs, batchSize: 8, seed, shouldStop }, { onProgress: (p) => progress.push(p.step) });
    // Paths of the parameters that training left untouched (every one must have had a gradient).
    const frozen = model.parameters.filter((p, i) => p.variable.dataSync().every((x, j) => x === initial[i]![j])).map((p) => p.path);
    return { outcome, progress, frozen };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

const losses = (history: EpochMetrics[]) => history.map((h) => h.train.loss);

describe('training loop', () => {
  for (const [kind, config] of [
    ['hnn', { hiddenSizes: [16, 16] }],
    ['node', { hiddenSizes: [16] }],
    ['node-pairs', { hiddenSizes: [16], pairSteps: 2 }],
    ['ngf', { dimM: 1, encoderHidden: [8], decoderHidden: [8], metricHidden: [4] }],
    ['ngf-pairs', { dimM: 1, encoder: 'jacobian-split', encoderHidden: [8], decoderHidden: [8], metricHidden: [4], geodesicSteps: 3 }],
  ] as const) {
    it(`${kind}: the loss decreases over a few epochs`, async () => {
      const { outcome, progress, frozen } = await run(kind, config, 1e-2, 4);
      expect(frozen).toEqual([]);
      expect(outcome.status).toBe('completed');
      const stepsPerEpoch = kind === 'hnn' ? 12 : 3; // derivative pairs: 24 orbits x 4 interior points
      expect(outcome.steps).toBe(4 * stepsPerEpoch);
      const first = outcome.history[0]!;
      const last = outcome.history.at(-1)!;
      const train = losses(outcome.history);
      train.slice(1).forEach((loss, i) => expect(loss).toBeLessThan(train[i]!));
      expect(last.train.loss).toBeLessThan(0.85 * first.train.loss);
      expect(last.test!.loss).toBeLessThan(first.test!.loss);
      expect(Object.keys(last.train.terms).length).toBe(kind.startsWith('ngf') ? 3 : 1);
      expect(progress.at(-1)).toBe(4 * stepsPerEpoch);
    });
  }

  it('the same seed gives identical losses, another seed different ones', async () => {
    const a = await run('node', { hiddenSizes: [8] }, 1e-2, 2, 7);
    const b = await run('node', { hiddenSizes: [8] }, 1e-2, 2, 7);
    const c = await run('node', { hiddenSizes: [8] }, 1e-2, 2, 8);
    expect(losses(a.outcome.history)).toEqual(losses(b.outcome.history));
    expect(losses(a.outcome.history)).not.toEqual(losses(c.outcome.history));
  });

  it('stops on a non-finite loss, naming the epoch and the term', async () => {
    await expect(run('node', { hiddenSizes: [16] }, 1e20, 5)).rejects.toThrow(/non-finite loss at epoch \d+, step \d+: term 'trajectory_mse'/);
  });

  it('cancels between steps', async () => {
    let calls = 0;
    const { outcome } = await run('node', { hiddenSizes: [8] }, 1e-2, 5, 3, () => ++calls > 4);
    expect(outcome.status).toBe('cancelled');
    expect(outcome.steps).toBe(4);
    expect(outcome.history.length).toBe(1);
  });
});
