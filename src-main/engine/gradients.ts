/**
 * Gradients that survive a second differentiation.
 *
 * TF.js 4.22 defines the gradients of Tanh, Sigmoid, Exp, Elu and Softmax from the kernel's saved
 * *output* y (e.g. d tanh = 1 - y^2). When such a gradient is itself differentiated (Hamiltonian
 * fields, Christoffel symbols under a parameter gradient), the tape does not connect y back to x and
 * the second derivative comes out wrong or throws (tfjs issue 3252). Here each is re-registered in
 * terms of the saved *input* x, recomputing the activation with differentiable ops. Comparison
 * kernels get explicit zero gradients so that `where`, `relu`-like masks and `step` inside a first
 * gradient can be differentiated again. Multiply's gradient is re-registered without its casts
 * (a speed matter only).
 *
 * Gradients are global in TF.js (not per backend), so registering once covers every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; load the stock ones first so that ours override them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

const ZERO_GRAD_BINARY = ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual', 'LogicalAnd', 'LogicalOr'];
const ZERO_GRAD_UNARY = ['LogicalNot', 'IsNan', 'IsInf', 'IsFinite'];

/** A broadcast product's gradient summed back to the operand's shape. */
function reducedTo(grad: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, grad.shape);
  return axes.length > 0 ? tf.reshape(tf.sum(grad, axes), shape) : grad;
}

let registered = false;

export function registerHigherOrderGradients(): void {
  if (registered) return;
  registered = true;
  // TF.js warns on every override; these overrides are deliberate.
  const warn = console.warn;
  console.warn = () => {};
  try {
    tf.registerGradient({
      kernelName: 'Tanh',
      inputsToSave: ['x'],
      gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh(x!)))) }),
    });
    tf.registerGradient({
      kernelName: 'Sigmoid',
      inputsToSave: ['x'],
      gradFunc: (dy, [x]) => ({
        x: () => {
          const s = tf.sigmoid(x!);
          return tf.mul(dy as tf.Tensor, tf.mul(s, tf.sub(1, s)));
        },
      }),
    });
    tf.registerGradient({
      kernelName: 'Exp',
      inputsToSave: ['x'],
      gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.exp(x!)) }),
    });
    tf.registerGradient({
      kernelName: 'Elu',
      inputsToSave: ['x'],
      gradFunc: (dy, [x]) => ({
        x: () => tf.where(tf.greater(x!, 0), dy as tf.Tensor, tf.mul(dy as tf.Tensor, tf.exp(tf.minimum(x!, 0)))),
      }),
    });
    tf.registerGradient({
      kernelName: 'Softmax',
      inputsToSave: ['logits'],
      gradFunc: (dy, [logits], attrs) => ({
        logits: () => {
          const dim = (attrs as unknown as { dim: number }).dim;
          const y = tf.softmax(logits!, dim);
          const dyTimesY = tf.mul(dy as tf.Tensor, y);
          return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y));
        },
      }),
    });
    // The stock Multiply gradient casts the other operand to float32 first: one more kernel per
    // product in every backward pass (about 5 000 per NGF training step, op by op).
    tf.registerGradient({
      kernelName: 'Multiply',
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, [a, b]) => ({ a: () => reducedTo(tf.mul(dy as tf.Tensor, b!), a!.shape), b: () => reducedTo(tf.mul(dy as tf.Tensor, a!), b!.shape) }),
    });
    for (const kernelName of ZERO_GRAD_BINARY) {
      tf.registerGradient({
        kernelName,
        inputsToSave: ['a', 'b'],
        gradFunc: (_dy, [a, b]) => ({ a: () => tf.zerosLike(a!), b: () => tf.zerosLike(b!) }),
      });
    }
    for (const kernelName of ZERO_GRAD_UNARY) {
      tf.registerGradient({
        kernelName,
        inputsToSave: ['x'],
        gradFunc: (_dy, [x]) => ({ x: () => tf.zerosLike(x!) }),
      });
    }
  } finally {
    console.warn = warn;
  }
}
