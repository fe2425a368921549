import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { integrateFixed } from '../../../../src-main/engine/ode/integrate';
import type { FixedStepSolverName, VectorField } from '../../../../src-main/engine/ode/types';

/** Harmonic oscillator x' = v, v' = -x: z(t) = (x0 cos t + v0 sin t, -x0 sin t + v0 cos t). */
const oscillator: VectorField = (_t, z) => tf.tidy(() => {
  const [x, v] = tf.split(z, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  return tf.concat([v, tf.neg(x)], 1);
});

function oscillatorExact(x0: number, v0: number, t: number): [number, number] {
  return [x0 * Math.cos(t) + v0 * Math.sin(t), -x0 * Math.sin(t) + v0 * Math.cos(t)];
}

const starts: [number, number][] = [[1, 0], [0.3, -0.8], [-0.5, 0.5]];

/** Max abs error at t1 of the oscillator integrated with `steps` steps. */
function finalError(solver: FixedStepSolverName, t1: number, steps: number): number {
  const z0 = tf.tensor2d(starts);
  const z = integrateFixed(oscillator, z0, { t1, steps, solver, output: 'final' });
  const got = z.arraySync();
  tf.dispose([z0, z]);
  let err = 0;
  starts.forEach(([x0, v0], b) => {
    const want = oscillatorExact(x0, v0, t1);
    err = Math.max(err, Math.abs(got[b]![0]! - want[0]), Math.abs(got[b]![1]! - want[1]));
  });
  return err;
}

/** Least-squares slope of log(err) against log(dt). */
function logLogSlope(dts: number[], errs: number[]): number {
  const xs = dts.map(Math.log);
  const ys = errs.map(Math.log);
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('integrateFixed convergence order (harmonic oscillator, float32)', () => {
  // Long spans keep every error far above float32 round-off (about 1e-6 here), so the slopes are clean.
  const cases: { solver: FixedStepSolverName; order: number; t1: number; steps: number[] }[] = [
    { solver: 'euler', order: 1, t1: 1, steps: [50, 100, 200, 400] },
    { solver: 'midpoint', order: 2, t1: 10, steps: [50, 100, 200, 400] },
    { solver: 'rk4', order: 4, t1: 40, steps: [40, 80, 160, 320] },
  ];
  for (const { solver, order, t1, steps } of cases) {
    it(`${solver} has order ${order}`, () => {
      const errs = steps.map((n) => finalError(solver, t1, n));
      expect(Math.min(...errs)).toBeGreaterThan(2e-5);
      const slope = logLogSlope(steps.map((n) => t1 / n), errs);
      expect(Math.abs(slope - order)).toBeLessThan(0.2);
    });
  }
});

/** (x, v, w) with the oscillator in (x, v) and w' = cos t, so w(t) = w0 + sin t - sin t0 checks the time passed to f. */
const oscillatorWithClock: VectorField = (t, z) => tf.tidy(() => {
  const [x, v] = tf.split(z, [1, 1, 1], 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  return tf.concat([v, tf.neg(x), tf.reshape(tf.cos(t), [-1, 1])], 1);
});

describe('integrateFixed per-row time spans', () => {
  it('gives every row its own closed-form trajectory', () => {
    const t0 = [0, 0.5, -1];
    const t1 = [0.5, 2, 3];
    const rows: [number, number, number][] = [[1, 0, 0], [0.3, -0.8, 1], [-0.5, 0.5, 2]];
    const steps = 40;
    const z0 = tf.tensor2d(rows);
    const traj = integrateFixed(oscillatorWithClock, z0, { t0: tf.tensor1d(t0), t1: tf.tensor1d(t1), steps });
    expect(traj.shape).toEqual([3, steps + 1, 3]);
    const got = traj.arraySync();
    rows.forEach(([x0, v0, w0], b) => {
      for (const n of [0, 7, steps]) {
        const t = t0[b]! + (n * (t1[b]! - t0[b]!)) / steps;
        const [x, v] = oscillatorExact(x0, v0, t - t0[b]!);
        const w = w0 + Math.sin(t) - Math.sin(t0[b]!);
        expect(got[b]![n]![0]!).toBeCloseTo(x, 5);
        expect(got[b]![n]![1]!).toBeCloseTo(v, 5);
        expect(got[b]![n]![2]!).toBeCloseTo(w, 5);
      }
    });
    tf.dispose([z0, traj]);
  });

  it('leaks no tensors and accepts t1 as one number', () => {
    const z0 = tf.tensor2d([[1, 0, 0]]);
    const before = tf.memory().numTensors;
    const z = integrateFixed(oscillatorWithClock, z0, { t1: Math.PI, steps: 30, output: 'final' });
    expect(tf.memory().numTensors).toBe(before + 1);
    const [x, v, w] = z.arraySync()[0]!;
    expect(x!).toBeCloseTo(-1, 5);
    expect(v!).toBeCloseTo(0, 5);
    expect(w!).toBeCloseTo(0, 5);
    tf.dispose([z0, z]);
  });
});

describe('integrateFixed gradients', () => {
  /** rk4 on z' = theta z is z_N = R(theta h)^N z0 with R(x) = 1 + x + x^2/2 + x^3/6 + x^4/24. */
  const R = (x: number) => 1 + x + x ** 2 / 2 + x ** 3 / 6 + x ** 4 / 24;
  const dR = (x: number) => 1 + x + x ** 2 / 2 + x ** 3 / 6;

  it('match the closed form of rk4 on a linear field, with respect to z0 and a field variable', () => {
    const thetaValue = -0.7;
    const t1 = 1.3;
    const steps = 6;
    const h = t1 / steps;
    const z0Rows = [[0.4, -1.2], [2.0, 0.5]];
    const weights = [[1.5, -0.5], [0.25, 2.0]];
    const theta = tf.variable(tf.scalar(thetaValue), true, 'ode-test-theta');
    const f: VectorField = (_t, z) => tf.mul(z, theta);
    const z0 = tf.tensor2d(z0Rows);
    const w = tf.tensor2d(weights);
    const loss = (z: tf.Tensor) => tf.sum(tf.mul(w, integrateFixed(f, z as tf.Tensor2D, { t1, steps, output: 'final' })));

    const dz0 = tf.grad(loss)(z0).arraySync() as number[][];
    const { grads } = tf.variableGrads(() => loss(z0) as tf.Scalar, [theta]);
    expect(Object.keys(grads)).toEqual([theta.name]);
    const dTheta = grads[theta.name]!.dataSync()[0]!;

    const x = thetaValue * h;
    let wantTheta = 0;
    z0Rows.forEach((row, b) => row.forEach((z, d) => {
      expect(dz0[b]![d]!).toBeCloseTo(weights[b]![d]! * R(x) ** steps, 5);
      wantTheta += weights[b]![d]! * z * steps * R(x) ** (steps - 1) * dR(x) * h;
    }));
    expect(dTheta).toBeCloseTo(wantTheta, 4);
    tf.dispose([theta, z0, w, grads[theta.name]!]);
  });

  it('match central finite differences on a nonlinear field, with respect to t1', () => {
    const f: VectorField = (t, z) => tf.tanh(tf.add(tf.mul(z, tf.reshape(t, [-1, 1])), 0.3)) as tf.Tensor2D;
    const z0 = tf.tensor2d([[0.2, -0.4]]);
    const final = (t1: tf.Tensor) => tf.sum(integrateFixed(f, z0, { t1: t1 as tf.Tensor1D, steps: 8, output: 'final' })) as tf.Scalar;
    const t1 = 1.1;
    const grad = tf.grad(final)(tf.tensor1d([t1])).dataSync()[0]!;
    const eps = 1e-2;
    const fd = (final(tf.tensor1d([t1 + eps])).dataSync()[0]! - final(tf.tensor1d([t1 - eps])).dataSync()[0]!) / (2 * eps);
    expect(Math.abs(grad - fd)).toBeLessThan(1e-3 * Math.max(1, Math.abs(fd)));
  });
});

describe('integrateFixed input errors', () => {
  const z0 = (): tf.Tensor2D => tf.zeros([2, 2]) as tf.Tensor2D;
  it('rejects bad steps, solvers, shapes and outputs with clear messages', () => {
    expect(() => integrateFixed(oscillator, z0(), { t1: 1, steps: 0 })).toThrow(/steps must be an integer >= 1, got 0/);
    expect(() => integrateFixed(oscillator, z0(), { t1: 1, steps: 2.5 })).toThrow(/steps must be an integer >= 1/);
    expect(() => integrateFixed(oscillator, z0(), { t1: 1, steps: 2, solver: 'rk5' as FixedStepSolverName })).toThrow(/unknown fixed-step solver 'rk5'/);
    expect(() => integrateFixed(oscillator, tf.zeros([2]) as unknown as tf.Tensor2D, { t1: 1, steps: 2 })).toThrow(/z0 must have shape \[B, D\].*got \[2\]/);
    expect(() => integrateFixed(oscillator, z0(), { t1: tf.tensor1d([1, 2, 3]), steps: 2 })).toThrow(/t1 must be a number or a \[2\] tensor.*got \[3\]/);
    expect(() => integrateFixed(oscillator, z0(), { t1: NaN, steps: 2 })).toThrow(/t1 must be a finite number/);
    expect(() => integrateFixed(oscillator, z0(), { t1: 1, steps: 2, output: 'all' as 'final' })).toThrow(/output must be 'trajectory' or 'final'/);
  });
});
