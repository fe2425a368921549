import { describe, expect, it } from 'vitest';
import { guessSystem, knownSystem } from '../../../../src-main/engine/analysis/systems';

describe('known systems', () => {
  it('maps short names to the generators’ energies and fields', () => {
    const twoBody = knownSystem('two-body')!;
    expect(twoBody.dim).toBe(8);
    // Two unit masses at distance 2 at rest: E = -1/2.
    expect(twoBody.energy([1, 0, -1, 0, 0, 0, 0, 0])).toBeCloseTo(-0.5, 12);
    expect(twoBody.field).not.toBeNull();
    expect(knownSystem('sphere')!.energy([0, 0, 1, 0.6, 0.8, 0])).toBeCloseTo(1, 12);
    expect(knownSystem('torus')!.field).toBeNull();
    expect(knownSystem('none')).toBeNull();
    expect(() => knownSystem('kepler')).toThrow(/unknown system 'kepler': expected one of two-body, spring, pendulum, sphere, torus, none/);
  });

  it('guesses a system from a dataset file name, or nothing', () => {
    expect(guessSystem('/x/two-body-problem_trajectories_test.npz')).toBe('two-body');
    expect(guessSystem('half-sphere_long-trajectories_test.npz')).toBe('sphere');
    expect(guessSystem('mystery.npz')).toBeNull();
  });
});
