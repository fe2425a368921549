/**
 * Small batched linear algebra with gradients (TF.js has no inverse, solve or Cholesky).
 *
 * Matrices are batched [B, m, m] with m small (the latent dimension). m = 1, 2, 3 use closed forms
 * (adjugate / determinant); larger m use Gauss-Jordan elimination without pivoting, which is stable
 * for the symmetric positive definite matrices (metrics) this is meant for. Everything is built from
 * reshape, concat, slice, matMul and elementwise ops, all of which have gradients in TF.js.
 *
 * Index shuffles and small contractions are written as matMuls with constant 0/±1 matrices
 * (`constantMatrix`): on TF.js that is one fast kernel where split/concat or a broadcast product
 * would be several slow ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import { matMulConstant } from '../nn/matMul';

/** A constant [rows, cols] matrix with the given (row, col, value) entries (repeats add up), zero elsewhere. */
export function constantMatrix(rows: number, cols: number, entries: Iterable<readonly [number, number, number]>): tf.Tensor2D {
  const values = new Float32Array(rows * cols);
  for (const [r, c, v] of entries) values[r * cols + c]! += v;
  return tf.tensor2d(values, [rows, cols]);
}

function checkSquare(a: tf.Tensor, what: string): number {
  if (a.rank !== 3 || a.shape[1] !== a.shape[2]) throw new Error(`${what}: expected [B, m, m], got [${a.shape.join(', ')}]`);
  return a.shape[1]!;
}

/** The m*m entries of each matrix as [B, 1] columns, row-major. */
function entries(a: tf.Tensor3D, m: number): tf.Tensor2D[] {
  return tf.split(tf.reshape(a, [a.shape[0], m * m]), m * m, 1) as tf.Tensor2D[];
}

/** Assembles [B, ...shape] from its entries in row-major order, each a [B, 1] column. */
export function fromEntries<R extends tf.Rank>(cols: tf.Tensor[], shape: readonly number[]): tf.Tensor<R> {
  const full: number[] = [cols[0]!.shape[0]!, ...shape];
  return tf.reshape<tf.Rank>(tf.concat(cols, 1), full) as tf.Tensor<R>;
}

/**
 * For 2 x 2 matrices flattened to rows [p, q, r, s]: the adjugate [s, -q, -r, p] (flattened) and the
 * determinant ps - qr [B, 1], the latter as 1/2 sum(a * aQ) with aQ = [s, -r, -q, p].
 */
function adjugateAndDeterminant2(flat: tf.Tensor2D): { adjugate: tf.Tensor2D; det: tf.Tensor2D } {
  const adjugate = matMulConstant(flat, constantMatrix(4, 4, [[3, 0, 1], [1, 1, -1], [2, 2, -1], [0, 3, 1]]));
  const crossed = matMulConstant(flat, constantMatrix(4, 4, [[3, 0, 0.5], [2, 1, -0.5], [1, 2, -0.5], [0, 3, 0.5]]));
  return { adjugate, det: tf.sum(tf.mul(flat, crossed), 1, true) as tf.Tensor2D };
}

function inverseClosedForm(a: tf.Tensor3D, m: number): tf.Tensor3D {
  const B = a.shape[0];
  if (m === 1) return tf.reciprocal(a);
  if (m === 2) {
    const { adjugate, det } = adjugateAndDeterminant2(tf.reshape(a, [B, 4]));
    return tf.reshape(tf.div(adjugate, det), [B, 2, 2]);
  }
  // m = 3: inverse = adjugate / det, adj[i][j] = cofactor[j][i].
  const e = entries(a, m);
  const at = (i: number, j: number) => e[3 * i + j]!;
  const minor = (r0: number, r1: number, c0: number, c1: number) => tf.sub(tf.mul(at(r0, c0), at(r1, c1)), tf.mul(at(r0, c1), at(r1, c0)));
  const c00 = minor(1, 2, 1, 2), c01 = tf.neg(minor(1, 2, 0, 2)), c02 = minor(1, 2, 0, 1);
  const c10 = tf.neg(minor(0, 2, 1, 2)), c11 = minor(0, 2, 0, 2), c12 = tf.neg(minor(0, 2, 0, 1));
  const c20 = minor(0, 1, 1, 2), c21 = tf.neg(minor(0, 1, 0, 2)), c22 = minor(0, 1, 0, 1);
  const det = tf.addN([tf.mul(at(0, 0), c00), tf.mul(at(0, 1), c01), tf.mul(at(0, 2), c02)]);
  const adj = fromEntries<tf.Rank.R3>([c00, c10, c20, c01, c11, c21, c02, c12, c22], [3, 3]);
  return tf.div(adj, tf.expandDims(det, 2));
}

/**
 * Gauss-Jordan on [A | I]: for each pivot k, rowK = row_k / A_kk and
 * A <- A - (col_k - e_k) rowK^T, which clears column k in every other row and replaces row k by rowK.
 */
function inverseGaussJordan(a: tf.Tensor3D, m: number): tf.Tensor3D {
  const B = a.shape[0];
  const eye = tf.eye(m);
  let aug = tf.concat([a, tf.broadcastTo(tf.expandDims(eye, 0), [B, m, m])], 2) as tf.Tensor3D;
  for (let k = 0; k < m; k++) {
    const row = tf.slice(aug, [0, k, 0], [B, 1, 2 * m]);
    const pivot = tf.slice(aug, [0, k, k], [B, 1, 1]);
    const rowK = tf.div(row, pivot);
    const col = tf.sub(tf.slice(aug, [0, 0, k], [B, m, 1]), tf.reshape(tf.slice(eye, [0, k], [m, 1]), [1, m, 1]));
    aug = tf.sub(aug, tf.mul(col, rowK));
  }
  return tf.slice(aug, [0, 0, m], [B, m, m]);
}

/** A^{-1} for a batch of invertible matrices a [B, m, m] (symmetric positive definite for m > 3). */
export function batchedInverse(a: tf.Tensor3D): tf.Tensor3D {
  const m = checkSquare(a, 'batchedInverse');
  return tf.tidy(() => (m <= 3 ? inverseClosedForm(a, m) : inverseGaussJordan(a, m)));
}

/** Solves A u = r for each sample: a [B, m, m], r [B, m] -> u [B, m]. */
export function batchedSolve(a: tf.Tensor3D, r: tf.Tensor2D): tf.Tensor2D {
  const m = checkSquare(a, 'batchedSolve');
  const B = a.shape[0];
  if (r.rank !== 2 || r.shape[0] !== B || r.shape[1] !== m) {
    throw new Error(`batchedSolve: right-hand side must be [${B}, ${m}], got [${r.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    if (m === 2) {
      // u_i = sum_j adj_ij r_j / det: spread r over the (i, j) entries, multiply, sum over j.
      const { adjugate, det } = adjugateAndDeterminant2(tf.reshape(a, [B, 4]));
      const spread = matMulConstant(r, constantMatrix(2, 4, [[0, 0, 1], [1, 1, 1], [0, 2, 1], [1, 3, 1]]));
      const summed = matMulConstant(tf.mul(adjugate, spread) as tf.Tensor2D, constantMatrix(4, 2, [[0, 0, 1], [1, 0, 1], [2, 1, 1], [3, 1, 1]]));
      return tf.div(summed, det) as tf.Tensor2D;
    }
    return tf.reshape(tf.matMul(batchedInverse(a), tf.reshape(r, [B, m, 1])), [B, m]) as tf.Tensor2D;
  });
}
