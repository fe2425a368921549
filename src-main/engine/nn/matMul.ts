/**
 * Matrix products whose gradients are plain (untransposed) matMuls.
 *
 * TF.js's own BatchMatMul gradient multiplies with transposeA / transposeB, which the wasm backend
 * runs about 6x slower than a plain product. Here the transposes are explicit kernels followed by
 * plain products. For y = a w + bias:
 *
 *   da = dy w^T,   dw = a^T dy,   dbias = sum over rows of dy.
 *
 * Only the inputs are saved (never the output), so the gradient is itself made of ordinary,
 * differentiable ops on tensors the tape connects back to a, w and bias: second derivatives stay
 * correct (see ../gradients.ts for why saved outputs would break them).
 */
import * as tf from '@tensorflow/tfjs-core';

function checkOperands(a: tf.Tensor, w: tf.Tensor, bias?: tf.Tensor): void {
  if (a.rank !== 2 || w.rank !== 2 || a.shape[1] !== w.shape[0] || (bias && (bias.rank !== 1 || bias.shape[0] !== w.shape[1]))) {
    const b = bias ? ` + [${bias.shape.join(', ')}]` : '';
    throw new Error(`matMul: expected [N, k] x [k, n]${bias ? ' + [n]' : ''}, got [${a.shape.join(', ')}] x [${w.shape.join(', ')}]${b}`);
  }
}

const product = tf.customGrad((a, w, save) => {
  (save as tf.GradSaveFunc)([a as tf.Tensor, w as tf.Tensor]);
  return {
    value: tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy, [a, w]) => [tf.matMul(dy as tf.Tensor2D, tf.transpose(w!)), tf.matMul(tf.transpose(a!), dy as tf.Tensor2D)],
  };
});

/** a w + bias in one _FusedMatMul kernel, which takes rank-3 operands. */
function fusedAffine(a: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  const [N, k] = a.shape;
  const n = w.shape[1];
  const a3 = tf.reshape(a, [1, N, k]);
  const w3 = tf.reshape(w, [1, k, n]);
  const attrs = { transposeA: false, transposeB: false, activation: 'linear' };
  const out = tf.engine().runKernel(tf._FusedMatMul, { a: a3, b: w3, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D;
  return tf.reshape(out, [N, n]);
}

const productWithBias = tf.customGrad((a, w, bias, save) => {
  (save as tf.GradSaveFunc)([a as tf.Tensor, w as tf.Tensor]);
  return {
    // One kernel (TF.js only fuses the bias outside gradient scopes on its own).
    value: fusedAffine(a as tf.Tensor2D, w as tf.Tensor2D, bias as tf.Tensor1D),
    gradFunc: (dy, [a, w]) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(w!)),
      tf.matMul(tf.transpose(a!), dy as tf.Tensor2D),
      tf.sum(dy, 0),
    ],
  };
});

/** a w (+ bias) for a [N, k], w [k, n], bias [n] (a rank-1 tensor in its own right, not a reshape). */
export function matMulPlain(a: tf.Tensor2D, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  checkOperands(a, w, bias);
  return (bias ? productWithBias(a, w, bias) : product(a, w)) as tf.Tensor2D;
}

/**
 * a c for a [N, k] and a constant c [k, n] (a pick/sum matrix): only a gets a gradient,
 * da = dy c^T. c is saved with the product, so it may be freed by the caller's tidy scope before the
 * backward pass runs.
 */
export function matMulConstant(a: tf.Tensor2D, c: tf.Tensor2D): tf.Tensor2D {
  checkOperands(a, c);
  const byConstant = tf.customGrad((a, save) => {
    (save as tf.GradSaveFunc)([c]);
    return {
      value: tf.matMul(a as tf.Tensor2D, c),
      gradFunc: (dy, [cSaved]) => tf.matMul(dy as tf.Tensor2D, tf.transpose(cSaved!)),
    };
  });
  return byConstant(a) as tf.Tensor2D;
}
