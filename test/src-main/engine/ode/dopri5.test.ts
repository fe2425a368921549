import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { integrateAdaptive } from '../../../../src-main/engine/ode/dopri5';
import type { VectorField } from '../../../../src-main/engine/ode/types';

/** (x, v, w): harmonic oscillator in (x, v) and w' = cos t, so w checks the time passed to f. */
const oscillatorWithClock: VectorField = (t, z) => tf.tidy(() => {
  const [x, v] = tf.split(z, [1, 1, 1], 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  return tf.concat([v, tf.neg(x), tf.reshape(tf.cos(t), [-1, 1])], 1);
});

/** Exact (x, v, w) at time t for a start (x0, v0, w0) at t0. */
function exact([x0, v0, w0]: number[], t0: number, t: number): number[] {
  const s = t - t0;
  return [x0! * Math.cos(s) + v0! * Math.sin(s), -x0! * Math.sin(s) + v0! * Math.cos(s), w0! + Math.sin(t) - Math.sin(t0)];
}

function maxError(got: number[][][], starts: number[][], times: number[][]): number {
  let err = 0;
  starts.forEach((z0, b) => times[b]!.forEach((t, j) => {
    exact(z0, times[b]![0]!, t).forEach((want, d) => (err = Math.max(err, Math.abs(got[b]![j]![d]! - want))));
  }));
  return err;
}

const starts = [[1, 0, 0], [0.3, -0.8, 1], [-0.5, 0.5, 2]];
const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

beforeAll(async () => {
  await initBackend('cpu');
});

describe('integrateAdaptive (dopri5)', () => {
  it('stays within tolerance on the oscillator, dense output at off-step times included', () => {
    const times = linspace(0, 2 * Math.PI, 50);
    for (const rtol of [1e-4, 1e-5]) {
      const z0 = tf.tensor2d(starts);
      const { z, stats } = integrateAdaptive(oscillatorWithClock, z0, { times, rtol, atol: rtol / 10 });
      expect(z.shape).toEqual([3, 50, 3]);
      // Far fewer steps than output times: most outputs come from the continuous extension.
      expect(stats.steps).toBeLessThan(30);
      expect(stats.fevals).toBe(2 + 6 * (stats.steps + stats.rejected));
      const err = maxError(z.arraySync(), starts, starts.map(() => times));
      expect(err).toBeLessThan(rtol);
      // ...and the tolerance is what limits it (not round-off): a 10x looser run is clearly worse.
      if (rtol === 1e-4) expect(err).toBeGreaterThan(1e-6);
      tf.dispose([z0, z]);
    }
  });

  it('reproduces a quartic exactly between steps (the continuous extension has order 4)', () => {
    const f: VectorField = (t) => tf.reshape(tf.pow(t, 3), [-1, 1]);
    const times = [0, 0.13, 0.5, 0.77, 1.31, 2];
    // Steps end at tolerance-chosen times, so every output before the last is interpolated.
    const { z } = integrateAdaptive(f, tf.zeros([1, 1]) as tf.Tensor2D, { times, rtol: 1e-3 });
    const got = z.dataSync();
    times.forEach((t, j) => expect(Math.abs(got[j]! - t ** 4 / 4)).toBeLessThan(1e-5));
  });

  it('rejects steps at a sharp feature and still meets the tolerance', () => {
    // z' = 1 / (1 + a (t - 1)^2): z(t) = (atan(sqrt(a)(t - 1)) + atan(sqrt(a))) / sqrt(a).
    const a = 1e4;
    const f: VectorField = (t) => tf.reshape(tf.reciprocal(tf.add(1, tf.mul(a, tf.square(tf.sub(t, 1))))), [-1, 1]);
    const times = linspace(0, 2, 9);
    const { z, stats } = integrateAdaptive(f, tf.zeros([1, 1]) as tf.Tensor2D, { times, rtol: 1e-5, atol: 1e-7 });
    expect(stats.rejected).toBeGreaterThan(0);
    const got = z.dataSync();
    const r = Math.sqrt(a);
    times.forEach((t, j) => expect(Math.abs(got[j]! - (Math.atan(r * (t - 1)) + Math.atan(r)) / r)).toBeLessThan(2e-5));
  });

  it('integrates per-row affine time grids [B, T] in normalised time', () => {
    const s = [0, 0.1, 0.35, 0.5, 1];
    const spans: [number, number][] = [[0, 3], [1, 1.5], [-2, 4]];
    const times = spans.map(([t0, t1]) => s.map((si) => t0 + si * (t1 - t0)));
    const z0 = tf.tensor2d(starts);
    const { z } = integrateAdaptive(oscillatorWithClock, z0, { times: tf.tensor2d(times), rtol: 1e-6, atol: 1e-7 });
    expect(z.shape).toEqual([3, 5, 3]);
    expect(maxError(z.arraySync(), starts, times)).toBeLessThan(2e-5);
    const { z: last } = integrateAdaptive(oscillatorWithClock, z0, { times: tf.tensor2d(times), output: 'final' });
    expect(last.shape).toEqual([3, 3]);
    last.arraySync().forEach((row, b) => {
      exact(starts[b]!, spans[b]![0], spans[b]![1]).forEach((want, d) => expect(Math.abs(row[d]! - want)).toBeLessThan(1e-4));
    });
  });

  it('keeps a row whose time span is zero at z0', () => {
    const times = tf.tensor2d([[0, 0.5, 1], [2, 2, 2]]);
    const { z } = integrateAdaptive(oscillatorWithClock, tf.tensor2d([[1, 0, 0], [0.3, -0.8, 1]]), { times, output: 'final' });
    const got = z.arraySync();
    got[1]!.forEach((v, d) => expect(v).toBeCloseTo([0.3, -0.8, 1][d]!, 6));
    expect(got[0]![0]!).toBeCloseTo(Math.cos(1), 4);
  });

  it('differentiates with respect to z0 and a field variable', () => {
    // z' = theta z: z(T) = z0 exp(theta T), so dL/dz0 = w exp(theta T) and dL/dtheta = sum w z0 T exp(theta T).
    const thetaValue = -0.6;
    const T = 1.7;
    const theta = tf.variable(tf.scalar(thetaValue), true, 'dopri5-test-theta');
    const f: VectorField = (_t, z) => tf.mul(z, theta);
    const z0Rows = [[0.5, -1], [2, 0.25]];
    const weights = [[1, 2], [-0.5, 1]];
    const w = tf.tensor2d(weights);
    const loss = (z0: tf.Tensor) =>
      tf.sum(tf.mul(w, integrateAdaptive(f, z0 as tf.Tensor2D, { times: [0, T], rtol: 1e-6, atol: 1e-8, output: 'final' }).z)) as tf.Scalar;
    const z0 = tf.tensor2d(z0Rows);
    const dz0 = tf.grad(loss)(z0).arraySync() as number[][];
    const { grads } = tf.variableGrads(() => loss(z0), [theta]);
    expect(Object.keys(grads)).toEqual([theta.name]);
    const growth = Math.exp(thetaValue * T);
    let wantTheta = 0;
    z0Rows.forEach((row, b) => row.forEach((z, d) => {
      expect(dz0[b]![d]!).toBeCloseTo(weights[b]![d]! * growth, 4);
      wantTheta += weights[b]![d]! * z * T * growth;
    }));
    expect(grads[theta.name]!.dataSync()[0]!).toBeCloseTo(wantTheta, 3);
    tf.dispose([theta, w, z0, grads[theta.name]!]);
  });

  it('leaks no tensors', () => {
    const z0 = tf.tensor2d(starts);
    const times = tf.tensor2d(starts.map((_, b) => [b, b + 1, b + 2]));
    const before = tf.memory().numTensors;
    const { z } = integrateAdaptive(oscillatorWithClock, z0, { times });
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([z0, z, times]);
  });
});

describe('integrateAdaptive errors', () => {
  const z0 = () => tf.tensor2d(starts);
  it('reports maxSteps with the time reached and the step counts', () => {
    expect(() => integrateAdaptive(oscillatorWithClock, z0(), { times: [0, 100], maxSteps: 5 })).toThrow(
      /dopri5: maxSteps = 5 exceeded at t = [0-9.e-]+ before reaching 100 \(5 accepted, 0 rejected steps/,
    );
  });

  it('rejects bad times, tolerances and states with clear messages', () => {
    const run = (opts: Parameters<typeof integrateAdaptive>[2], z = z0()) => () => integrateAdaptive(oscillatorWithClock, z, opts);
    expect(run({ times: [0, 1, 1] })).toThrow(/times must be strictly increasing, but entry 2 \(1\) <= entry 1 \(1\)/);
    expect(run({ times: [0] })).toThrow(/times needs at least 2 entries/);
    expect(run({ times: tf.tensor1d([1, 0]) })).toThrow(/strictly increasing/);
    expect(run({ times: tf.tensor2d([[0, 1], [0, 2]]) })).toThrow(/times has 2 rows but z0 has 3/);
    expect(run({ times: tf.tensor2d([[0, 0.5, 1], [0, 0.5, 2], [0, 1, 2]]) })).toThrow(/times row 1 is not an affine image of row 0's grid \(entry 1 is 0.5, expected 1\)/);
    expect(run({ times: tf.tensor2d([[0, 0.5, 1], [2, 1.5, 1], [0, 1, 2]]) })).toThrow(/times row 1 must be increasing/);
    expect(run({ times: tf.tensor2d([[1, 1], [1, 1], [1, 1]]) })).toThrow(/every row of times is constant/);
    expect(run({ times: [0, 1], rtol: -1 })).toThrow(/rtol must be a finite number >= 0, got -1/);
    expect(run({ times: [0, 1], rtol: 0, atol: 0 })).toThrow(/rtol and atol cannot both be 0/);
    expect(run({ times: [0, 1], maxSteps: 0 })).toThrow(/maxSteps must be an integer >= 1/);
    expect(run({ times: [0, 1] }, tf.ones([3, 3, 1]) as unknown as tf.Tensor2D)).toThrow(/z0 must have shape \[B, D\]/);
    expect(run({ times: [0, 1] }, tf.tensor2d([[NaN, 0, 0]]))).toThrow(/initial state or the field at t0 = 0 is not finite/);
  });

  it('stops with a clear error when the field blows up', () => {
    const blowUp: VectorField = (_t, z) => tf.square(z);
    // z' = z^2, z(0) = 1 is 1 / (1 - t): the solver must stop short of t = 1.
    expect(() => integrateAdaptive(blowUp, tf.ones([1, 1]) as tf.Tensor2D, { times: [0, 2], maxSteps: 300 })).toThrow(/dopri5: step size underflow \(h = \S+\) at t = (0\.99|1\.00)\d* after \d+ steps/);
  });
});
