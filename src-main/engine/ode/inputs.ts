/**
 * Checks and conversions of the arguments every solver shares: the initial state z0 [B, D] and
 * per-row times given either as one number for all rows or as a [B] tensor.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Throws unless z0 is a [B, D] tensor with B, D >= 1. */
export function checkInitialState(z0: tf.Tensor, solver: string): asserts z0 is tf.Tensor2D {
  if (!(z0 instanceof tf.Tensor)) throw new Error(`${solver}: z0 must be a [B, D] tensor`);
  if (z0.rank !== 2 || z0.shape[0] === 0 || z0.shape[1] === 0) {
    throw new Error(`${solver}: z0 must have shape [B, D] with B, D >= 1, got [${z0.shape.join(', ')}]`);
  }
}

/** A time argument as a [batch] tensor: a number is repeated for every row, a tensor must be [batch]. */
export function perRowTime(value: tf.Tensor1D | number, batch: number, solver: string, key: string): tf.Tensor1D {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${solver}: ${key} must be a finite number, got ${value}`);
    return tf.fill([batch], value);
  }
  if (!(value instanceof tf.Tensor) || value.rank !== 1 || value.shape[0] !== batch) {
    const shape = value instanceof tf.Tensor ? `[${value.shape.join(', ')}]` : typeof value;
    throw new Error(`${solver}: ${key} must be a number or a [${batch}] tensor (one time per row of z0), got ${shape}`);
  }
  return value;
}
