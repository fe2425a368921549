import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { HamiltonianNN, orthogonalMatrix } from '../../../../src-main/engine/models/hnn';
import { seededRandom } from '../../../../src-main/engine/nn/random';
import { gradientsByPath } from '../../../../src-main/engine/nn/parameters';
import { datasetSamples, derivativeSamples } from '../../../../src-main/engine/training/samples';
import { oscillatorTrajectories } from '../training/fixtures';

describe('Hamiltonian NN', () => {
  it('refuses an odd state dimension, naming D', () => {
    expect(() => new HamiltonianNN({}, { stateDim: 3, seed: 0 })).toThrow(/D = 3 must be even/);
    expect(() => new HamiltonianNN({ training: 'both' }, { stateDim: 2, seed: 0 })).toThrow(/hnn config: training must be/);
    expect(() => new HamiltonianNN({ hiddenSize: [3] }, { stateDim: 2, seed: 0 })).toThrow(/hnn config: hiddenSize: unknown field/);
  });

  it('initialises orthogonal weights (Q^T Q = I for the thinner side)', () => {
    for (const [rows, cols] of [[5, 3], [3, 5]] as const) {
      const W = orthogonalMatrix(rows, cols, seededRandom(4));
      const k = Math.min(rows, cols);
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let dot = 0;
          for (let i = 0; i < Math.max(rows, cols); i++) dot += rows >= cols ? W[i * cols + a]! * W[i * cols + b]! : W[a * cols + i]! * W[b * cols + i]!;
          expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
        }
      }
    }
  });

  it('its field is the symplectic gradient (dH/dp, -dH/dq) of its H', async () => {
    await initBackend('cpu');
    const model = new HamiltonianNN({ hiddenSizes: [16, 16] }, { stateDim: 4, seed: 2 });
    const z = [0.3, -0.2, 0.5, 0.1];
    const f = model.field(tf.zeros([1]), tf.tensor2d([z])).dataSync();
    const h = 1e-2;
    const H = (w: number[]) => model.hamiltonian(tf.tensor2d([w])).dataSync()[0]!;
    const grad = z.map((_, i) => (H(z.map((x, j) => (j === i ? x + h : x))) - H(z.map((x, j) => (j === i ? x - h : x)))) / (2 * h));
    const expected = [grad[2]!, grad[3]!, -grad[0]!, -grad[1]!];
    expected.forEach((e, i) => expect(f[i]).toBeCloseTo(e, 3));
    expect(model.conservedQuantity(tf.tensor2d([z])).shape).toEqual([1]);
    model.dispose();
  });

  for (const training of ['derivatives', 'trajectory'] as const) {
    it(`every parameter receives a gradient (${training} mode)`, async () => {
      await initBackend('cpu');
      const model = new HamiltonianNN({ hiddenSizes: [8, 8], training }, { stateDim: 2, seed: 1 });
      const ds = oscillatorTrajectories(4, 4);
      const set = training === 'derivatives' ? derivativeSamples(ds) : datasetSamples(ds);
      expect(model.trainsOn('trajectories')).toBe(training === 'derivatives' ? 'derivatives' : 'trajectories');
      const batch = set.batch([0, 1, 2]);
      const { grads } = tf.variableGrads(() => model.loss(batch).total, model.parameters.map((p) => p.variable));
      const byPath = gradientsByPath(model.parameters, grads);
      expect([...byPath.keys()]).toEqual(['H.layers.0.W', 'H.layers.0.b', 'H.layers.1.W', 'H.layers.1.b', 'H.layers.2.W']);
      for (const g of byPath.values()) expect(tf.norm(g).dataSync()[0]).toBeGreaterThan(0);
      model.dispose();
    });
  }
});
