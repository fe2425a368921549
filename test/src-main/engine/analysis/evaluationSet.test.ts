import { describe, expect, it } from 'vitest';
import { datasetFromArrays, type Dataset } from '../../../../src-main/data/dataset';
import { GENERATORS } from '../../../../src-main/data/generators/index';
import { evaluationSet, rolloutGrid, truthOnGrid } from '../../../../src-main/engine/analysis/evaluationSet';
import { knownSystem } from '../../../../src-main/engine/analysis/systems';

const f32 = (shape: number[], data: number[]) => ({ dtype: 'float32' as const, shape, data: Float32Array.from(data) });

function trajectories(n: number, times: number[][]): Dataset {
  const T = times[0]!.length;
  return datasetFromArrays({ trajectories: f32([n, T, 2], Array.from({ length: n * T * 2 }, (_, i) => i)), times: f32([n, T], times.flat()) }, 'traj.npz');
}

describe('evaluation sets and rollout grids', () => {
  it('picks rows evenly, keeps the shared grid and the true states', () => {
    const ds = trajectories(4, Array.from({ length: 4 }, () => [0, 0.5, 1]));
    const set = evaluationSet(ds, 2);
    expect(set).toMatchObject({ rows: [0, 2], count: 2, dim: 2, times: [0, 0.5, 1], span: 1, format: 'trajectories' });
    expect(Array.from(set.initial)).toEqual([0, 1, 12, 13]);
    expect(Array.from(set.states.subarray(6, 12))).toEqual([12, 13, 14, 15, 16, 17]);
    expect(evaluationSet(ds, 0).count).toBe(4);
  });

  it('rejects data without one shared time grid, naming the file and key', () => {
    const uneven = trajectories(2, [[0, 0.5, 1], [0, 0.6, 1]]);
    expect(() => evaluationSet(uneven)).toThrow(/traj\.npz: key 'times': .*row 1 differs from row 0 at point 1/);
    const pairs = datasetFromArrays({ inputs: f32([2, 1], [0, 1]), targets: f32([2, 1], [1, 2]), times: f32([2], [1, 2]) }, 'pairs.npz');
    expect(() => evaluationSet(pairs)).toThrow(/pairs\.npz: key 'times': the analysis needs one flow time/);
    expect(() => evaluationSet(pairs, -1)).toThrow(/maxSamples must be a whole number >= 0/);
  });

  it('continues a trajectory grid past the data and gives pairs 7 points per flow time', () => {
    const set = evaluationSet(trajectories(1, [[0, 0.5, 1]]));
    const grid = rolloutGrid(set, 2.2);
    expect(grid.times).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(grid.dataIndex).toEqual([0, 1, 2, -1, -1]);
    expect(rolloutGrid(set, 0.5).times).toEqual([0, 0.5]);
    const pairs = evaluationSet(datasetFromArrays({ inputs: f32([1, 1], [0]), targets: f32([1, 1], [1]), times: f32([1], [0.7]) }, 'p'));
    const pairGrid = rolloutGrid(pairs, 1.4);
    expect(pairGrid.times).toHaveLength(15);
    expect(pairGrid.times[7]).toBeCloseTo(0.7, 6);
    expect(pairGrid.dataIndex.filter((j) => j >= 0)).toEqual([0, 1]);
    expect(() => rolloutGrid(set, 0)).toThrow(/rollout duration must be a positive number/);
  });

  it('past the data the truth comes from the system field (a spring: rotation in (q, p))', () => {
    const arrays = GENERATORS['spring']!.generate({ n: 2, format: 'trajectories', points: 5, tEnd: 1, seed: 4 }) as { trajectories: { data: Float64Array } };
    const set = evaluationSet(datasetFromArrays(arrays as never, 'spring'));
    const grid = rolloutGrid(set, 3);
    const withField = truthOnGrid(set, grid, knownSystem('spring'));
    expect(withField.known.every(Boolean)).toBe(true);
    const without = truthOnGrid(set, grid, null);
    expect(without.known.filter(Boolean)).toHaveLength(5);
    expect(Number.isNaN(without.states[grid.times.length * 2 - 1])).toBe(true);
    // The spring conserves q^2 + p^2 (up to the generator's scale): the extended truth keeps it.
    const energy = knownSystem('spring')!.energy;
    const K = grid.times.length;
    const e0 = energy(withField.states.subarray(0, 2));
    expect(energy(withField.states.subarray((K - 1) * 2, K * 2))).toBeCloseTo(e0, 8);
  });
});
