import { describe, expect, it } from 'vitest';
import { springEnergy, springField, springGenerator } from '../../../../src-main/data/generators/spring';
import { maxRelativeEnergyDrift, trajectoryStates } from './helpers';

describe('spring', () => {
  it('conserves H = (q^2 + p^2)/2 with initial radii in [0.1, 1] (HNN protocol: 30 points over [0, 3])', () => {
    const arrays = springGenerator.generate({ seed: 6 });
    const paths = trajectoryStates(arrays);
    expect([paths.length, paths[0]!.length]).toEqual([50, 30]);
    expect(maxRelativeEnergyDrift(arrays, springEnergy)).toBeLessThan(1e-12);
    for (const path of paths) {
      const radius = Math.sqrt(2 * springEnergy(path[0]!));
      expect(radius).toBeGreaterThanOrEqual(0.1);
      expect(radius).toBeLessThanOrEqual(1);
    }
  });

  it('its field is the derivative of the closed-form flow', () => {
    const path = trajectoryStates(springGenerator.generate({ n: 1, seed: 2, points: 3, tEnd: 2e-5 }))[0]!;
    const numeric = path[2]!.map((v, k) => (v - path[0]![k]!) / 2e-5);
    springField(path[1]!).forEach((v, k) => expect(numeric[k]!).toBeCloseTo(v, 8));
  });
});
