import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { sphereDecoder, sphereMetric } from '../../../../src-main/engine/geometry/analytic/sphere';
import { torusMetric } from '../../../../src-main/engine/geometry/analytic/torus';
import { expMap, geodesic, geodesicEnergy, geodesicField, solveGeodesic } from '../../../../src-main/engine/geometry/geodesic';

/** Start points (theta, phi, dtheta, dphi) whose great circles stay well away from the poles. */
const sphereStarts = [
  [1.4, 0.3, 0.25, 1.0],
  [1.7, -2.0, -0.3, 0.8],
  [1.2, 2.5, 0.1, -1.3],
  [1.57, 1.0, 0.4, 0.9],
];

describe('geodesics', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('of the sphere stay on great circles and conserve |v|_g over t = 10 (rk4, float32)', () => {
    const z0 = tf.tensor2d(sphereStarts);
    const steps = 200;
    const path = geodesic(sphereMetric, z0, { t: 10, steps });
    expect(path.shape).toEqual([4, steps + 1, 4]);
    const flat = tf.reshape(path, [4 * (steps + 1), 4]) as tf.Tensor2D;
    const embedded = sphereDecoder.apply(flat).arraySync() as number[][];
    const start = sphereDecoder.apply(z0).arraySync() as number[][];
    let maxOffPlane = 0;
    let minArc = Infinity;
    start.forEach(([px, py, pz, vx, vy, vz], b) => {
      // Normal of the great circle's plane: p0 x v0, normalised.
      const n = [py! * vz! - pz! * vy!, pz! * vx! - px! * vz!, px! * vy! - py! * vx!];
      const len = Math.hypot(...n);
      let far = 0;
      for (let s = 0; s <= steps; s++) {
        const p = embedded[b * (steps + 1) + s]!;
        maxOffPlane = Math.max(maxOffPlane, Math.abs((p[0]! * n[0]! + p[1]! * n[1]! + p[2]! * n[2]!) / len));
        far = Math.max(far, Math.hypot(p[0]! - px!, p[1]! - py!, p[2]! - pz!));
      }
      minArc = Math.min(minArc, far);
    });
    // The paths really travel (each gets at least a quarter turn away from its start) ...
    expect(minArc).toBeGreaterThan(1);
    // ... and stay in their great circle's plane.
    expect(maxOffPlane).toBeLessThan(1e-4);

    const energy = geodesicEnergy(sphereMetric, flat);
    const speeds = tf.sqrt(tf.reshape(energy, [4, steps + 1]));
    const relDrift = tf.tidy(() => {
      const first = tf.slice(speeds, [0, 0], [4, 1]);
      return tf.max(tf.abs(tf.div(tf.sub(speeds, first), first))).dataSync()[0]!;
    });
    expect(relDrift).toBeLessThan(1e-5);
    tf.dispose([z0, path, flat, energy, speeds]);
  });

  for (const [name, metric, starts] of [
    ['sphere', sphereMetric, sphereStarts],
    ['torus', torusMetric, [[0.1, 0.2, 0.6, -0.9], [2.0, -1.0, -0.4, 1.5], [-1.0, 3.0, 0.9, 0.3]]],
  ] as const) {
    it(`of the ${name} retrace themselves: integrate to T, flip v, integrate again -> start within 1e-4`, () => {
      const z0 = tf.tensor2d(starts.map((s) => [...s]));
      const T = 3;
      const zT = expMap(metric, z0, { t: T, steps: 60 });
      const flipped = tf.mul(zT, tf.tensor1d([1, 1, -1, -1]));
      const back = expMap(metric, flipped as tf.Tensor2D, { t: T, steps: 60 });
      const returned = tf.mul(back, tf.tensor1d([1, 1, -1, -1]));
      const moved = tf.max(tf.abs(tf.sub(zT, z0))).dataSync()[0]!;
      const error = tf.max(tf.abs(tf.sub(returned, z0))).dataSync()[0]!;
      expect(moved).toBeGreaterThan(0.5);
      expect(error).toBeLessThan(1e-4);
    });
  }

  it('with any solver of odeint: adaptive dopri5 agrees with fixed-step RK4', () => {
    const z0 = tf.tensor2d(sphereStarts);
    const { z, stats } = solveGeodesic(sphereMetric, z0, { solver: 'dopri5', times: [0, 1, 2], rtol: 1e-6, atol: 1e-7 });
    expect(z.shape).toEqual([4, 3, 4]);
    expect(stats.steps).toBeGreaterThan(2);
    const end = tf.squeeze(tf.slice(z, [0, 2, 0], [4, 1, 4]), [1]);
    const rk4 = expMap(sphereMetric, z0, { t: 2, steps: 100 });
    expect(tf.max(tf.abs(tf.sub(end, rk4))).dataSync()[0]).toBeLessThan(1e-4);
    const fixed = solveGeodesic(sphereMetric, z0, { solver: 'midpoint', t1: 2, steps: 10, output: 'final' });
    expect(fixed.z.shape).toEqual([4, 4]);
    expect(fixed.stats.fevals).toBe(20);
  });

  it('flow field is (v, -Gamma(v, v)) and rejects points of the wrong width', () => {
    const f = geodesicField(sphereMetric);
    const z = tf.tensor2d([[Math.PI / 2, 0, 0, 1]]);
    // On the equator with a purely azimuthal velocity the acceleration vanishes (cot(pi/2) = 0,
    // sin cos = 0): the equator is a geodesic.
    const dz = f(tf.zeros([1]) as tf.Tensor1D, z).arraySync()[0]!;
    expect(dz[0]).toBeCloseTo(0, 6);
    expect(dz[1]).toBeCloseTo(1, 6);
    expect(Math.abs(dz[2]!) + Math.abs(dz[3]!)).toBeLessThan(1e-6);
    expect(() => f(tf.zeros([1]) as tf.Tensor1D, tf.zeros([1, 3]) as tf.Tensor2D)).toThrow(/\[B, 4\].*got \[1, 3\]/);
  });
});
