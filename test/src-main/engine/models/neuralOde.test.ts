import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { NeuralOde, rollout } from '../../../../src-main/engine/models/neuralOde';
import { gradientsByPath } from '../../../../src-main/engine/nn/parameters';
import { datasetSamples } from '../../../../src-main/engine/training/samples';
import { oscillatorPairs, oscillatorTrajectories } from '../training/fixtures';

describe('neural ODE', () => {
  it('rollout hits uneven time grids: dz/dt = -z gives exp(-t)', async () => {
    await initBackend('cpu');
    const times = tf.tensor2d([[0, 0.1, 0.5, 1.2], [1, 1.3, 1.4, 2]]);
    const z = rollout((_t, x) => tf.neg(x), tf.tensor2d([[1], [2]]), times, { solver: 'rk4', stepsPerInterval: 4 });
    const t = times.arraySync();
    const got = z.arraySync();
    for (let b = 0; b < 2; b++) for (let j = 0; j < 4; j++) expect(got[b]![j]![0]).toBeCloseTo((b + 1) * Math.exp(-(t[b]![j]! - t[b]![0]!)), 5);
  });

  it('dopri5: adaptive rollouts at per-row time grids, and gradients through them', async () => {
    await initBackend('cpu');
    const times = tf.tensor2d([[0, 0.5, 1], [1, 2, 3]]);
    const z = rollout((_t, x) => tf.neg(x), tf.tensor2d([[1], [2]]), times, { solver: 'dopri5', stepsPerInterval: 1, rtol: 1e-6, atol: 1e-7 }).arraySync();
    [[1, 0.5, 1], [2, 1, 2]].forEach(([a, s1, s2], b) => {
      expect(z[b]![1]![0]).toBeCloseTo(a! * Math.exp(-s1!), 5);
      expect(z[b]![2]![0]).toBeCloseTo(a! * Math.exp(-s2!), 5);
    });
    const model = new NeuralOde({ hiddenSizes: [8], solver: 'dopri5', rtol: 1e-4 }, { stateDim: 2, seed: 1 });
    expect(model.config.solver).toBe('dopri5');
    const batch = datasetSamples(oscillatorTrajectories(2, 3)).batch([0, 1]);
    const { grads } = tf.variableGrads(() => model.loss(batch).total, model.parameters.map((p) => p.variable));
    expect(gradientsByPath(model.parameters, grads).size).toBe(4);
    expect(() => new NeuralOde({ rtol: 2 }, { stateDim: 2, seed: 1 })).toThrow(/node config: rtol must be a number in \(0, 1\)/);
    model.dispose();
  });

  it('validates its config and the batch dimension', async () => {
    await initBackend('cpu');
    expect(() => new NeuralOde({ pairSteps: 0 }, { stateDim: 2, seed: 0 })).toThrow(/node config: pairSteps must be/);
    expect(() => new NeuralOde({ solver: 'rk5' }, { stateDim: 2, seed: 0 })).toThrow(/node config: solver: must be one of/);
    const model = new NeuralOde({ hiddenSizes: [4] }, { stateDim: 3, seed: 0 });
    const batch = datasetSamples(oscillatorPairs(2)).batch([0]);
    expect(() => model.loss(batch)).toThrow(/state dimension D = 3 but the batch has D = 2/);
    model.dispose();
  });

  for (const timeDependent of [false, true]) {
    it(`every parameter receives a gradient (timeDependent ${timeDependent}), on both dataset formats`, async () => {
      await initBackend('cpu');
      const model = new NeuralOde({ hiddenSizes: [8], timeDependent, pairSteps: 3 }, { stateDim: 2, seed: 1 });
      for (const ds of [oscillatorTrajectories(3, 4), oscillatorPairs(3)]) {
        const batch = datasetSamples(ds).batch([0, 1]);
        const { value, grads } = tf.variableGrads(() => model.loss(batch).total, model.parameters.map((p) => p.variable));
        expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        for (const g of gradientsByPath(model.parameters, grads).values()) expect(tf.norm(g).dataSync()[0]).toBeGreaterThan(0);
        const predicted = model.predict(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0.5, 1]]));
        expect(predicted.shape).toEqual([1, 3, 2]);
      }
      expect(model.conservedQuantity()).toBeNull();
      model.dispose();
    });
  }
});
