/** Shared checks of generated datasets. */
import type { DatasetArrays } from '../../../../src-main/data/dataset';

/** The states of a generated trajectories dataset as rows [sample][time] -> Float64Array state. */
export function trajectoryStates(arrays: DatasetArrays): Float64Array[][] {
  if (!('trajectories' in arrays)) throw new Error('expected the trajectories format');
  const [n, steps, dim] = arrays.trajectories.shape as [number, number, number];
  const data = arrays.trajectories.data as Float64Array;
  return Array.from({ length: n }, (_, i) => Array.from({ length: steps }, (_, j) => data.subarray((i * steps + j) * dim, (i * steps + j + 1) * dim)));
}

/** Largest |E(z(t)) - E(z(0))| / |E(z(0))| over all samples and times. */
export function maxRelativeEnergyDrift(arrays: DatasetArrays, energy: (z: ArrayLike<number>) => number): number {
  let drift = 0;
  for (const path of trajectoryStates(arrays)) {
    const e0 = energy(path[0]!);
    for (const z of path) drift = Math.max(drift, Math.abs(energy(z) - e0) / Math.abs(e0));
  }
  return drift;
}
