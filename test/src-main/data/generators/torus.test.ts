import { describe, expect, it } from 'vitest';
import { TORUS_R, TORUS_TUBE, torusGeodesics } from '../../../../src-main/data/generators/torus';
import { maxRelativeEnergyDrift, trajectoryStates } from './helpers';

describe('torus-geodesics', () => {
  const arrays = torusGeodesics.generate({ n: 40, seed: 2, format: 'trajectories', points: 11, tEnd: 2 });

  it('keeps points on the torus, velocities tangent, speed conserved', () => {
    for (const path of trajectoryStates(arrays)) {
      for (const z of path) {
        const ring = Math.hypot(z[0]!, z[1]!);
        expect(Math.abs((ring - TORUS_R) ** 2 + z[2]! ** 2 - TORUS_TUBE ** 2)).toBeLessThan(1e-12);
        // Tangent: orthogonal to the surface normal ((ring - R) x / ring, (ring - R) y / ring, z).
        const normal = [((ring - TORUS_R) * z[0]!) / ring, ((ring - TORUS_R) * z[1]!) / ring, z[2]!];
        expect(Math.abs(normal[0]! * z[3]! + normal[1]! * z[4]! + normal[2]! * z[5]!)).toBeLessThan(1e-12);
      }
    }
    expect(maxRelativeEnergyDrift(arrays, torusGeodesics.energy)).toBeLessThan(1e-9);
  });

  it('is converged: the chart RK4 agrees with itself at a quarter of the output spacing', () => {
    // 4x the points -> the same states at the shared times, integrated with different step sizes.
    const fine = trajectoryStates(torusGeodesics.generate({ n: 40, seed: 2, format: 'trajectories', points: 41, tEnd: 2 }));
    const coarse = trajectoryStates(arrays);
    let worst = 0;
    coarse.forEach((path, i) => path.forEach((z, j) => z.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - fine[i]![4 * j]![k]!))))));
    expect(worst).toBeLessThan(1e-7);
  });
});
