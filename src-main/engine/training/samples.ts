/**
 * Training samples held on the host and turned into tensor mini-batches on demand.
 *
 * A `SampleSet` is what the training loop iterates over: `size` samples, each a pair (inputs/targets
 * data), a trajectory, or a (state, dz/dt) pair for derivative matching, and `batch(rows)` gathers
 * the given samples into a `Batch` of tensors (which the caller disposes).
 *
 * Derivative pairs come from a true vector field when one is given (the dataset generators know
 * theirs), else from central differences of the data along each trajectory: at interior point j,
 * with h- = t_j - t_{j-1} and h+ = t_{j+1} - t_j,
 *     z'(t_j) ~ (h-^2 z_{j+1} - h+^2 z_{j-1} + (h+^2 - h-^2) z_j) / (h- h+ (h- + h+)),
 * second-order accurate on uneven grids and (z_{j+1} - z_{j-1}) / 2h on even ones. The two end
 * points of each trajectory have no central difference and are left out.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../../data/dataset';
import { seededRandom } from '../nn/random';
import type { Batch, BatchFormat } from '../models/types';

export interface SampleSet {
  readonly format: BatchFormat;
  /** Number of samples. */
  readonly size: number;
  /** Numbers per sample (for throughput figures: D, T * D, or 2 D). */
  readonly dim: number;
  /** The samples at `rows`, in that order, as tensors. */
  batch(rows: ArrayLike<number>): Batch;
}

/** dz/dt at each row of `states` ([M * D] row-major, D = dim): a known vector field of the data. */
export type TrueField = (states: Float32Array, dim: number) => Float32Array;

/** Rows `rows` of a row-major [N, width] array, copied. */
function gatherRows(data: Float32Array, width: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out.set(data.subarray(r * width, (r + 1) * width), i * width);
  }
  return out;
}

/** The dataset's own samples: input/target pairs or whole trajectories. */
export function datasetSamples(ds: Dataset): SampleSet {
  if (ds.format === 'inputs-targets') {
    return {
      format: 'inputs-targets',
      size: ds.n,
      dim: ds.dim,
      batch: (rows) => ({
        format: 'inputs-targets',
        inputs: tf.tensor2d(gatherRows(ds.inputs, ds.dim, rows), [rows.length, ds.dim]),
        targets: tf.tensor2d(gatherRows(ds.targets, ds.dim, rows), [rows.length, ds.dim]),
        times: tf.tensor1d(gatherRows(ds.times, 1, rows)),
      }),
    };
  }
  const width = ds.steps * ds.dim;
  return {
    format: 'trajectories',
    size: ds.n,
    dim: width,
    batch: (rows) => ({
      format: 'trajectories',
      trajectories: tf.tensor3d(gatherRows(ds.trajectories, width, rows), [rows.length, ds.steps, ds.dim]),
      times: tf.tensor2d(gatherRows(ds.times, ds.steps, rows), [rows.length, ds.steps]),
    }),
  };
}

/** (state, dz/dt) pairs as two row-major [M, D] arrays. */
export interface DerivativePairs {
  size: number;
  dim: number;
  states: Float32Array;
  derivatives: Float32Array;
}

/** Central differences at the interior points of every trajectory (see the module comment). */
export function centralDifferences(ds: Dataset): DerivativePairs {
  if (ds.format !== 'trajectories' || ds.steps < 3) {
    const what = ds.format === 'trajectories' ? `trajectories of ${ds.steps} points` : 'inputs/targets data';
    throw new Error(`${ds.source}: derivative matching needs trajectories of at least 3 points (or a true vector field); got ${what}`);
  }
  const { n, steps: T, dim: D } = ds;
  const size = n * (T - 2);
  const states = new Float32Array(size * D);
  const derivatives = new Float32Array(size * D);
  let row = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 1; j + 1 < T; j++, row++) {
      const t = (k: number) => ds.times[i * T + k]!;
      const hm = t(j) - t(j - 1);
      const hp = t(j + 1) - t(j);
      const denom = hm * hp * (hm + hp);
      const base = (i * T + j) * D;
      for (let d = 0; d < D; d++) {
        const zm = ds.trajectories[base - D + d]!;
        const z = ds.trajectories[base + d]!;
        const zp = ds.trajectories[base + D + d]!;
        states[row * D + d] = z;
        derivatives[row * D + d] = (hm * hm * zp - hp * hp * zm + (hp * hp - hm * hm) * z) / denom;
      }
    }
  }
  return { size, dim: D, states, derivatives };
}

/** Every state of the dataset (inputs, or every trajectory point) with dz/dt from the true field. */
export function trueFieldPairs(ds: Dataset, field: TrueField): DerivativePairs {
  const states = ds.format === 'inputs-targets' ? ds.inputs.slice() : ds.trajectories.slice();
  const derivatives = field(states, ds.dim);
  if (derivatives.length !== states.length) {
    throw new Error(`${ds.source}: the true vector field returned ${derivatives.length} numbers for ${states.length}`);
  }
  return { size: states.length / ds.dim, dim: ds.dim, states, derivatives };
}

/** Derivative-matching samples: from `field` when given, else central differences. */
export function derivativeSamples(ds: Dataset, field?: TrueField): SampleSet {
  const pairs = field ? trueFieldPairs(ds, field) : centralDifferences(ds);
  return {
    format: 'derivatives',
    size: pairs.size,
    dim: pairs.dim,
    batch: (rows) => ({
      format: 'derivatives',
      states: tf.tensor2d(gatherRows(pairs.states, pairs.dim, rows), [rows.length, pairs.dim]),
      derivatives: tf.tensor2d(gatherRows(pairs.derivatives, pairs.dim, rows), [rows.length, pairs.dim]),
    }),
  };
}

/** The samples a model trains on for this dataset, in the format it asks for. */
export function samplesFor(format: BatchFormat, ds: Dataset, field?: TrueField): SampleSet {
  if (format === 'derivatives') return derivativeSamples(ds, field);
  if (format !== ds.format) throw new Error(`${ds.source}: a model asked for ${format} samples of ${ds.format} data`);
  return datasetSamples(ds);
}

/** A seeded uniform permutation of 0..n-1 (Fisher-Yates). */
export function seededPermutation(n: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const out = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Row indices of a seeded train/test split: a fraction `testFraction` of the n samples (rounded,
 * at least one of each when 0 < testFraction < 1 and n >= 2) goes to test.
 */
export function splitRows(n: number, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  if (!(testFraction >= 0 && testFraction < 1)) throw new Error(`test fraction must be in [0, 1), got ${testFraction}`);
  let nTest = Math.round(n * testFraction);
  if (testFraction > 0 && n >= 2) nTest = Math.min(n - 1, Math.max(1, nTest));
  const order = seededPermutation(n, seed);
  return { train: order.slice(nTest).sort(), test: order.slice(0, nTest).sort() };
}
