import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetFromArrays, parseDataset } from '../../../src-main/data/dataset';
import { describeDataset } from '../../../src-main/data/describeDataset';

const read = (file: string) => new Uint8Array(readFileSync(`../shared/reference/ngf/datasets/${file}`));

describe('describeDataset', () => {
  it('summarises the long half-sphere trajectories: grid linspace(0, 2, 99), points on the unit sphere', () => {
    const summary = describeDataset(parseDataset(read('half-sphere_long-trajectories_test.npz'), 'long.npz'));
    expect(summary).toMatchObject({ source: 'long.npz', format: 'trajectories', n: 16, steps: 99, dim: 6, dtype: 'float32' });
    expect(summary.keys).toEqual([
      { name: 'trajectories', shape: [16, 99, 6], dtype: 'float32', used: true },
      { name: 'times', shape: [16, 99], dtype: 'float32', used: true },
    ]);
    expect(summary.times.min).toBe(0);
    expect(summary.times.max).toBeCloseTo(2, 6);
    expect(summary.times.sameForAllSamples).toBe(true);
    expect(summary.times.uniformStep).toBeCloseTo(2 / 98, 6);
    expect(summary.coordinates).toHaveLength(6);
    for (const { min, max, mean } of summary.coordinates.slice(0, 3)) {
      expect(min).toBeGreaterThanOrEqual(-1.0001);
      expect(max).toBeLessThanOrEqual(1.0001);
      expect(mean).toBeGreaterThan(min);
      expect(mean).toBeLessThan(max);
    }
    expect(summary.coordinates[2]!.min).toBeGreaterThan(-1e-3); // half sphere: z >= 0 at the start, geodesics may dip only slightly
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('reports the flow times of inputs/targets data and stats over inputs and targets together', () => {
    const f64 = (shape: number[], values: number[]) => ({ dtype: 'float64' as const, shape, data: Float64Array.from(values) });
    const ds = datasetFromArrays(
      { inputs: f64([2, 1], [1, 2]), targets: f64([2, 1], [3, 6]), times: f64([2], [0.5, 1]) },
      'it.npz',
    );
    const summary = describeDataset(ds);
    expect(summary.steps).toBeUndefined();
    expect(summary.times).toEqual({ min: 0.5, max: 1, sameForAllSamples: false, uniformStep: null });
    expect(summary.coordinates).toEqual([{ min: 1, max: 6, mean: 3 }]);
  });

  it('says when a grid is not uniform or differs between samples', () => {
    const f64 = (shape: number[], values: number[]) => ({ dtype: 'float64' as const, shape, data: Float64Array.from(values) });
    const uneven = describeDataset(datasetFromArrays({ trajectories: f64([1, 3, 1], [0, 0, 0]), times: f64([1, 3], [0, 1, 3]) }, 'u'));
    expect(uneven.times.uniformStep).toBeNull();
    const shifted = describeDataset(datasetFromArrays({ trajectories: f64([2, 2, 1], [0, 0, 0, 0]), times: f64([2, 2], [0, 1, 5, 6]) }, 's'));
    expect(shifted.times).toEqual({ min: 0, max: 6, sameForAllSamples: false, uniformStep: 1 });
  });
});
