import { describe, expect, it } from 'vitest';
import { pendulumEnergy, pendulumField, pendulumGenerator } from '../../../../src-main/data/generators/pendulum';
import { maxRelativeEnergyDrift, trajectoryStates } from './helpers';

describe('pendulum', () => {
  it('conserves H = 3(1 - cos q) + p^2 (relative drift < 1e-7), also beyond the separatrix', () => {
    const arrays = pendulumGenerator.generate({ seed: 8 });
    expect(trajectoryStates(arrays)[0]).toHaveLength(45);
    expect(maxRelativeEnergyDrift(arrays, pendulumEnergy)).toBeLessThan(1e-7);
    const rotating = pendulumGenerator.generate({ n: 10, seed: 8, radiusMin: 3, radiusMax: 4, tEnd: 10 });
    expect(maxRelativeEnergyDrift(rotating, pendulumEnergy)).toBeLessThan(1e-7);
  });

  it('its field is the derivative of the integrated flow', () => {
    const path = trajectoryStates(pendulumGenerator.generate({ n: 1, seed: 2, points: 3, tEnd: 2e-5 }))[0]!;
    const numeric = path[2]!.map((v, k) => (v - path[0]![k]!) / 2e-5);
    pendulumField(path[1]!).forEach((v, k) => expect(numeric[k]!).toBeCloseTo(v, 7));
    expect(pendulumEnergy([Math.PI, 0])).toBe(6);
  });
});
