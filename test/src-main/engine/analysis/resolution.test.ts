import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { propagate, propagateFinal } from '../../../../src-main/engine/analysis/propagate';
import { refineGrid, resolutionInvariance, type PredictFn } from '../../../../src-main/engine/analysis/resolution';
import { NeuralOde } from '../../../../src-main/engine/models/neuralOde';

describe('resolution invariance', () => {
  it('refines a grid by inserting equal points into every interval', () => {
    expect(refineGrid([0, 1, 3], 2)).toEqual([0, 0.5, 1, 2, 3]);
    expect(refineGrid([0, 1], 1)).toEqual([0, 1]);
    expect(() => refineGrid([0, 1], 0)).toThrow(/refine must be a whole number >= 1/);
  });

  it('a time-dependent neural ODE: dopri5 is invariant, its fixed-step predict differs by solver error only', async () => {
    await initBackend('cpu');
    const node = new NeuralOde({ hiddenSizes: [16], timeDependent: true, stepsPerInterval: 4 }, { stateDim: 2, seed: 5 });
    const initial = tf.tensor2d([[0.5, -0.3], [1, 0.2]]);
    const times = [0.5, 0.8, 1.4, 2];
    const dopri: PredictFn = (y, t) => propagate(node.field, y, Array.from(t.dataSync().subarray(0, t.shape[1])), { solver: 'dopri5', rtol: 1e-6, atol: 1e-8 }).z;
    const adaptive = resolutionInvariance('dopri5', dopri, initial, times);
    expect(adaptive.relative.max).toBeLessThan(1e-5);
    const predict = resolutionInvariance('model.predict', (y, t) => node.predict(y, t), initial, times);
    expect(predict).toMatchObject({ coarsePoints: 4, finePoints: 13 });
    expect(predict.relative.count).toBe(2 * 3);
    expect(predict.relative.max).toBeLessThan(1e-4);
    // A predict that restarts the clock at 0 in every interval is caught: the finer grid gives other states.
    const restarting: PredictFn = (y, t) => {
      const T = t.shape[1];
      const shifted = tf.tidy(() => tf.sub(t, tf.slice(t, [0, 0], [-1, 1])));
      const ts = Array.from(shifted.dataSync().subarray(0, T));
      return tf.tidy(() => {
        const states = [y];
        for (let j = 1; j < T; j++) states.push(propagateFinal(node.field, states[j - 1]!, [0, ts[j]! - ts[j - 1]!], { solver: 'rk4', stepsPerInterval: 4 }).z);
        return tf.stack(states, 1) as tf.Tensor3D;
      });
    };
    expect(resolutionInvariance('restarting', restarting, initial, times).relative.max).toBeGreaterThan(100 * predict.relative.max);
    node.dispose();
  });
});
