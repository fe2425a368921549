import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { gradientsByPath } from '../../../../src-main/engine/nn/parameters';
import { NeuralGeodesicFlow } from '../../../../src-main/engine/models/ngf';
import { inputTargetTerms64, ngf64FromModel } from './float64Ngf';

/** A small deterministic batch of 6-dimensional states. */
function states(B: number, seed: number): number[][] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  return Array.from({ length: B }, () => Array.from({ length: 6 }, () => 0.8 * rand()));
}

const smallConfig = (encoder: string, metric: string) => ({
  dimM: 2,
  encoder,
  encoderHidden: [8],
  decoder: 'mlp',
  decoderHidden: [8],
  metric,
  metricHidden: [8],
  geodesicSteps: 3,
});

describe('NeuralGeodesicFlow', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('fills config defaults, refuses bad keys and names them', () => {
    const model = new NeuralGeodesicFlow({}, { stateDim: 6, seed: 1 });
    expect(model.config).toMatchObject({ dimM: 2, encoder: 'mlp', metric: 'cholesky', geodesicSteps: 49 });
    expect(model.parameters.map((p) => p.path)).toContain('g.layers.2.W');
    expect(model.parameters.find((p) => p.path === 'psi.layers.0.W')!.variable.shape).toEqual([32, 6]);
    model.dispose();
    expect(() => new NeuralGeodesicFlow({ encoder: 'resnet' }, { stateDim: 6, seed: 1 })).toThrow(/ngf config: encoder/);
  });

  for (const [encoder, metric] of [['jacobian-split-chart', 'regularized'], ['mlp-chart', 'cholesky']] as const) {
    it(`losses reach every parameter on both data formats (${encoder}, ${metric})`, () => {
      const model = new NeuralGeodesicFlow(smallConfig(encoder, metric), { stateDim: 6, seed: 3 });
      const pairs = {
        format: 'inputs-targets' as const,
        inputs: tf.tensor2d(states(5, 1)),
        targets: tf.tensor2d(states(5, 2)),
        times: tf.tensor1d([0.5, 1, 1, 0.8, 0.3]),
      };
      const trajectories = {
        format: 'trajectories' as const,
        trajectories: tf.tensor3d([states(4, 5), states(4, 6)]),
        times: tf.tensor2d([[0, 0.1, 0.2, 0.3], [0, 0.2, 0.4, 0.6]]),
      };
      for (const batch of [pairs, trajectories]) {
        const vars = model.parameters.map((p) => p.variable);
        const { value, grads } = tf.variableGrads(() => model.loss(batch).total, vars);
        expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        const byPath = gradientsByPath(model.parameters, grads);
        for (const [path, g] of byPath) expect(tf.norm(g).dataSync()[0], path).toBeGreaterThan(0);
        const terms = model.evaluate(batch);
        expect(terms.loss.dataSync()[0]).toBeCloseTo(
          terms.prediction.dataSync()[0]! + terms.reconstruction!.dataSync()[0]! + terms.latentPrediction!.dataSync()[0]!,
          6,
        );
      }
      model.dispose();
    });
  }

  it('parameter gradients of the input/target loss match float64 central differences', () => {
    const model = new NeuralGeodesicFlow(smallConfig('jacobian-split', 'regularized'), { stateDim: 6, seed: 8 });
    const inputs = states(4, 11), targets = states(4, 12), times = [1, 0.5, 0.7, 1.2];
    const batch = { format: 'inputs-targets' as const, inputs: tf.tensor2d(inputs), targets: tf.tensor2d(targets), times: tf.tensor1d(times) };
    const { grads } = tf.variableGrads(() => model.loss(batch).total, model.parameters.map((p) => p.variable));
    const byPath = gradientsByPath(model.parameters, grads);
    const total64 = (m: ReturnType<typeof ngf64FromModel>) => {
      const t = inputTargetTerms64(m, inputs, targets, times, 3);
      return t.reconstruction + t.prediction + t.latent;
    };
    const reference = ngf64FromModel(model);
    const role = (path: string) => reference[path.split('.')[0] as 'psi' | 'phi' | 'g'].mlp.layers[Number(path.split('.')[2])]!;
    const h = 1e-6;
    let checked = 0;
    // A few entries of every parameter array, psi, phi and g alike.
    for (const { path } of model.parameters) {
      const layer = role(path);
      const values = path.endsWith('.W') ? layer.W : layer.b;
      const grad = byPath.get(path)!.dataSync();
      for (const k of [0, Math.floor(values.length / 2), values.length - 1]) {
        const orig = values[k]!;
        values[k] = orig + h;
        const up = total64(reference);
        values[k] = orig - h;
        const down = total64(reference);
        values[k] = orig;
        const fd = (up - down) / (2 * h);
        expect(Math.abs(grad[k]! - fd), `${path}[${k}]: ${grad[k]} vs ${fd}`).toBeLessThan(2e-3 * Math.abs(fd) + 2e-6);
        checked++;
      }
    }
    expect(checked).toBe(3 * model.parameters.length);
    model.dispose();
  });

  it('predicts decoded geodesics at the data times and conserves its energy along them', () => {
    const model = new NeuralGeodesicFlow(smallConfig('mlp', 'regularized'), { stateDim: 6, seed: 4 });
    const initial = tf.tensor2d(states(3, 9));
    const times = tf.tensor2d([[0, 0.1, 0.2, 0.3, 0.4], [0, 0.2, 0.4, 0.6, 0.8], [0, 0.05, 0.1, 0.15, 0.2]]);
    const predicted = model.predict(initial, times);
    expect(predicted.shape).toEqual([3, 5, 6]);
    // The first point is the reconstruction of the initial state.
    const first = tf.squeeze(tf.slice(predicted, [0, 0, 0], [3, 1, 6]), [1]);
    const reconstructed = model.bundle.decode(model.bundle.encode(initial));
    expect(tf.max(tf.abs(tf.sub(first, reconstructed))).dataSync()[0]).toBeLessThan(1e-6);
    const energy = model.conservedQuantity(initial);
    expect(energy.shape).toEqual([3]);
    const geo = model.bundle.geodesic(model.bundle.encode(initial), { t: 1, steps: 20 });
    const energies = model.bundle.energy(tf.reshape(geo, [3 * 21, 4]) as tf.Tensor2D).arraySync();
    const e0 = energy.arraySync();
    energies.forEach((e, i) => expect(Math.abs(e - e0[Math.floor(i / 21)]!) / e0[Math.floor(i / 21)]!).toBeLessThan(1e-4));
    expect(() => model.predict(initial, tf.tensor2d([[0, 1]]))).toThrow(/NGF predict/);
    expect(() => model.loss({ format: 'inputs-targets', inputs: tf.zeros([2, 5]) as tf.Tensor2D, targets: tf.zeros([2, 5]) as tf.Tensor2D, times: tf.ones([2]) as tf.Tensor1D })).toThrow(/D = 6 but the batch has D = 5/);
    model.dispose();
  });
});
