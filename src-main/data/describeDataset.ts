/**
 * A plain JSON summary of a dataset for the UI's inspect view and the CLI.
 */
import type { Dataset, DatasetFormat, DatasetKey } from './dataset';
import type { NpyDtype } from './npy';

export interface CoordinateSummary {
  min: number;
  max: number;
  mean: number;
}

export interface DatasetSummary {
  source: string;
  format: DatasetFormat;
  keys: DatasetKey[];
  dtype: NpyDtype;
  n: number;
  /** T, time points per trajectory (trajectories format only). */
  steps?: number;
  dim: number;
  times: {
    min: number;
    max: number;
    /** Every sample has the same times (the same flow time, or the same grid). */
    sameForAllSamples: boolean;
    /** Trajectories on an evenly spaced grid (all rows, relative tolerance 1e-4): the spacing; else null. */
    uniformStep: number | null;
  };
  /**
   * Statistics of each state coordinate over every state in the file: inputs and targets, or every
   * point of every trajectory.
   */
  coordinates: CoordinateSummary[];
}

/** Summarises a dataset: format, keys, sizes, time grid and per-coordinate min/max/mean. */
export function describeDataset(ds: Dataset): DatasetSummary {
  const states = ds.format === 'trajectories' ? [ds.trajectories] : [ds.inputs, ds.targets];
  const width = ds.format === 'trajectories' ? ds.steps : 1;
  const [tMin, tMax] = minMax(ds.times);
  return {
    source: ds.source,
    format: ds.format,
    keys: ds.keys,
    dtype: ds.dtype,
    n: ds.n,
    ...(ds.format === 'trajectories' ? { steps: ds.steps } : {}),
    dim: ds.dim,
    times: {
      min: tMin,
      max: tMax,
      sameForAllSamples: ds.times.every((t, i) => t === ds.times[i % width]),
      uniformStep: ds.format === 'trajectories' ? uniformStep(ds.times, ds.steps) : null,
    },
    coordinates: coordinateStats(states, ds.dim),
  };
}

function minMax(values: Float32Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

function uniformStep(times: Float32Array, steps: number): number | null {
  const step = times[1]! - times[0]!;
  const tolerance = 1e-4 * Math.max(Math.abs(step), 1e-30);
  for (let row = 0; row < times.length; row += steps) {
    for (let j = 1; j < steps; j++) {
      if (Math.abs(times[row + j]! - times[row + j - 1]! - step) > tolerance) return null;
    }
  }
  return step;
}

function coordinateStats(blocks: Float32Array[], dim: number): CoordinateSummary[] {
  const stats = Array.from({ length: dim }, () => ({ min: Infinity, max: -Infinity, sum: 0, count: 0 }));
  for (const block of blocks) {
    for (let i = 0; i < block.length; i++) {
      const s = stats[i % dim]!;
      const v = block[i]!;
      if (v < s.min) s.min = v;
      if (v > s.max) s.max = v;
      s.sum += v;
      s.count++;
    }
  }
  return stats.map(({ min, max, sum, count }) => ({ min, max, mean: sum / count }));
}
