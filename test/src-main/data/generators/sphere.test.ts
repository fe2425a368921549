import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseDataset, type InputsTargetsDataset } from '../../../../src-main/data/dataset';
import { greatCircle, sphereField, sphereGeodesics } from '../../../../src-main/data/generators/sphere';
import { maxRelativeEnergyDrift, trajectoryStates } from './helpers';

describe('sphere-geodesics', () => {
  it('keeps points on the unit sphere with tangent velocity and constant speed', () => {
    const arrays = sphereGeodesics.generate({ n: 200, seed: 5, format: 'trajectories', points: 20, tEnd: 3 });
    for (const path of trajectoryStates(arrays)) {
      expect(path[0]![2]).toBeGreaterThan(0); // half sphere by default
      for (const z of path) {
        expect(Math.abs(Math.hypot(z[0]!, z[1]!, z[2]!) - 1)).toBeLessThan(1e-12);
        expect(Math.abs(z[0]! * z[3]! + z[1]! * z[4]! + z[2]! * z[5]!)).toBeLessThan(1e-12);
      }
    }
    expect(maxRelativeEnergyDrift(arrays, sphereGeodesics.energy)).toBeLessThan(1e-12);
    const full = trajectoryStates(sphereGeodesics.generate({ n: 200, seed: 5, format: 'trajectories', points: 2, fullSphere: true }));
    expect(full.some((path) => path[0]![2]! < 0)).toBe(true);
  });

  it('the closed form solves the geodesic equation: d/dt greatCircle = field', () => {
    const y = Float64Array.from([0.6, 0, 0.8, 0.1, 0.9, -0.075]);
    const h = 1e-5;
    const t = 0.7;
    const numeric = greatCircle(y, t + h).map((v, i) => (v - greatCircle(y, t - h)[i]!) / (2 * h));
    const field = sphereField(greatCircle(y, t));
    numeric.forEach((v, i) => expect(v).toBeCloseTo(field[i]!, 8));
    expect(Array.from(greatCircle(Float64Array.from([0, 0, 1, 0, 0, 0]), 5))).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it('resembles the reference half-sphere data: speeds up to about sqrt 2, targets = great circle at t = 1', () => {
    const bytes = new Uint8Array(readFileSync('../shared/reference/ngf/datasets/half-sphere_inputs-targets_test.npz'));
    const reference = parseDataset(bytes, 'ref') as InputsTargetsDataset;
    const speeds = (data: ArrayLike<number>, n: number) => Array.from({ length: n }, (_, i) => Math.hypot(data[6 * i + 3]!, data[6 * i + 4]!, data[6 * i + 5]!));
    const ours = sphereGeodesics.generate({ n: 4096, seed: 1 });
    if (!('inputs' in ours)) throw new Error('expected inputs-targets');
    const [refMax, ourMax] = [Math.max(...speeds(reference.inputs, reference.n)), Math.max(...speeds(ours.inputs.data as Float64Array, 4096))];
    expect(ourMax).toBeLessThanOrEqual(Math.SQRT2);
    expect(Math.abs(ourMax - refMax)).toBeLessThan(0.1);
    // The reference targets are RK4 in a chart; away from the pole they agree with the exact great circle.
    let close = 0;
    for (let i = 0; i < reference.n; i++) {
      const exact = greatCircle(reference.inputs.subarray(6 * i, 6 * i + 6), 1);
      const err = Math.max(...exact.map((v, k) => Math.abs(v - reference.targets[6 * i + k]!)));
      if (err < 1e-3) close++;
    }
    expect(close / reference.n).toBeGreaterThan(0.98);
  });
});
