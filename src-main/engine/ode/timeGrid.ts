/**
 * Output times of the adaptive solver, reduced to one increasing grid of numbers shared by the batch.
 *
 * The adaptive solver takes one step size for the whole batch, so all rows must be integrated on a
 * common time axis. Shared times (number[] or [T]) are that axis directly. Per-row times [B, T] are
 * accepted when every row is an affine image of one common grid s_0 = 0 < s_1 < ... < s_{T-1} = 1:
 *   t_b(s) = t0_b + s (t1_b - t0_b).
 * Then z_b(t_b(s)) solves dz/ds = (t1_b - t0_b) f(t_b(s), z), which is integrated in s instead. Rows
 * with t1_b = t0_b are allowed (their field is scaled by zero, so they stay at z0).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { VectorField } from './types';

export interface TimeGrid {
  /** Increasing integration times (real time, or the normalised time s for per-row times). */
  grid: number[];
  /** The field in the grid's time: f itself, or (t1_b - t0_b) f(t_b(s), z). */
  field: VectorField;
}

/** Relative tolerance of the affine check: times are usually float32 data. */
const AFFINE_TOLERANCE = 1e-5;

function checkIncreasing(values: number[], solver: string, what: string): void {
  if (values.length < 2) throw new Error(`${solver}: ${what} needs at least 2 entries (t0 and an output time), got ${values.length}`);
  values.forEach((v, j) => {
    if (!Number.isFinite(v)) throw new Error(`${solver}: ${what}[${j}] is not finite (${v})`);
    if (j > 0 && !(v > values[j - 1]!)) {
      throw new Error(`${solver}: ${what} must be strictly increasing, but entry ${j} (${v}) <= entry ${j - 1} (${values[j - 1]})`);
    }
  });
}

/** Call inside tf.tidy: the per-row field holds small tensors that the enclosing scope frees. */
export function resolveTimeGrid(
  times: number[] | tf.Tensor1D | tf.Tensor2D,
  f: VectorField,
  batch: number,
  solver: string,
): TimeGrid {
  if (Array.isArray(times)) {
    checkIncreasing(times, solver, 'times');
    return { grid: [...times], field: f };
  }
  if (!(times instanceof tf.Tensor) || (times.rank !== 1 && times.rank !== 2)) {
    throw new Error(`${solver}: times must be a number[], a [T] tensor or a [B, T] tensor`);
  }
  if (times.rank === 1) {
    const grid = Array.from(times.dataSync());
    checkIncreasing(grid, solver, 'times');
    return { grid, field: f };
  }
  const [rows, count] = times.shape as [number, number];
  if (rows !== batch) throw new Error(`${solver}: times has ${rows} rows but z0 has ${batch} (shape [B, T] needed)`);
  const table = (times as tf.Tensor2D).arraySync();
  const reference = table.findIndex((row) => row[count - 1] !== row[0]);
  if (reference < 0) throw new Error(`${solver}: every row of times is constant, so there is nothing to integrate`);
  const ref = table[reference]!;
  const refSpan = ref[count - 1]! - ref[0]!;
  const grid = ref.map((t) => (t - ref[0]!) / refSpan);
  checkIncreasing(grid, solver, `times row ${reference} (normalised)`);
  grid[count - 1] = 1;
  const starts: number[] = [];
  const spans: number[] = [];
  table.forEach((row, b) => {
    const t0 = row[0]!;
    const span = row[count - 1]! - t0;
    if (!(span >= 0)) throw new Error(`${solver}: times row ${b} must be increasing, but it ends at ${row[count - 1]} before it starts at ${t0}`);
    const scale = Math.max(1, Math.abs(t0), Math.abs(row[count - 1]!));
    row.forEach((t, j) => {
      const expected = t0 + grid[j]! * span;
      if (!(Math.abs(t - expected) <= AFFINE_TOLERANCE * scale)) {
        throw new Error(
          `${solver}: times row ${b} is not an affine image of row ${reference}'s grid ` +
            `(entry ${j} is ${t}, expected ${expected}); per-row times must be t0_b + s (t1_b - t0_b) on one common s grid`,
        );
      }
    });
    starts.push(t0);
    spans.push(span);
  });
  const t0 = tf.tensor1d(starts);
  const span = tf.tensor1d(spans);
  const spanColumn = tf.reshape(span, [-1, 1]) as tf.Tensor2D;
  const field: VectorField = (s, z) => tf.tidy(() => tf.mul(spanColumn, f(tf.add(t0, tf.mul(s, span)), z)));
  return { grid, field };
}
