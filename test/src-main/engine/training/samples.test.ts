import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-main/engine/backend';
import { centralDifferences, derivativeSamples, seededPermutation, splitRows, trueFieldPairs } from '../../../../src-main/engine/training/samples';
import { oscillatorPairs, oscillatorTrajectories } from './fixtures';

describe('training samples', () => {
  it('central differences approximate dz/dt = (p, -q) to second order, uneven grids included', () => {
    const ds = oscillatorTrajectories(3, 6, 0.01);
    // Make the grid uneven: move the times of trajectory 0 and recompute its states.
    for (let j = 0; j < 6; j++) {
      const t = 0.01 * j + 0.003 * (j % 2);
      ds.times[j] = t;
      ds.trajectories[2 * j] = 0.5 * Math.cos(t);
      ds.trajectories[2 * j + 1] = -0.5 * Math.sin(t);
    }
    const pairs = centralDifferences(ds);
    expect(pairs.size).toBe(3 * 4);
    for (let r = 0; r < pairs.size; r++) {
      const [q, p] = [pairs.states[2 * r]!, pairs.states[2 * r + 1]!];
      expect(pairs.derivatives[2 * r]).toBeCloseTo(p, 3);
      expect(pairs.derivatives[2 * r + 1]).toBeCloseTo(-q, 3);
    }
  });

  it('uses a true field when given and refuses pairs without one', async () => {
    await initBackend('cpu');
    const pairs = oscillatorPairs(4);
    expect(() => centralDifferences(pairs)).toThrow(/oscillator-pairs: derivative matching needs trajectories/);
    const field = (s: Float32Array) => s.map((_, i) => (i % 2 === 0 ? s[i + 1]! : -s[i - 1]!));
    expect(trueFieldPairs(pairs, field).derivatives[0]).toBeCloseTo(pairs.inputs[1]!, 6);
    const set = derivativeSamples(pairs, field);
    const batch = set.batch([2, 0]);
    expect(batch.format).toBe('derivatives');
    if (batch.format === 'derivatives') expect(Array.from(batch.states.dataSync().slice(0, 2))).toEqual(Array.from(pairs.inputs.slice(4, 6)));
  });

  it('seeded permutations and splits are reproducible and disjoint', () => {
    expect(Array.from(seededPermutation(10, 5))).toEqual(Array.from(seededPermutation(10, 5)));
    expect(Array.from(seededPermutation(10, 5))).not.toEqual(Array.from(seededPermutation(10, 6)));
    const { train, test } = splitRows(10, 0.2, 1);
    expect(test.length).toBe(2);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => splitRows(10, 1, 1)).toThrow(/test fraction/);
  });
});
