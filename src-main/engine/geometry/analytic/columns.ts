/** Column access for the closed-form geometries: t [B, n] as n columns [B, 1], shape-checked. */
import * as tf from '@tensorflow/tfjs-core';

export function columns(t: tf.Tensor2D, n: number, what: string): tf.Tensor2D[] {
  if (t.rank !== 2 || t.shape[1] !== n) throw new Error(`${what}: expected [B, ${n}], got [${t.shape.join(', ')}]`);
  return tf.split(t, n, 1) as tf.Tensor2D[];
}
