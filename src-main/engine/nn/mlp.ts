/**
 * Multi-layer perceptrons with forward-mode tangents.
 *
 * Layer l computes h = W_l a + b_l with W_l of shape [out, in] (the layout of equinox's `Linear`,
 * which the reference checkpoints store), then a = tanh(h) on every hidden layer and, if
 * `finalTanh`, on the last one too. Inputs are batched as rows: x [B, in] -> y [B, out]. The
 * evaluation uses the equivalent sigmoid form (see sigmoidFormLayers) and products whose gradients
 * are plain matMuls (./matMul.ts), both much cheaper on the TF.js wasm backend.
 *
 * Tangents are pushed forward by hand (TF.js has no jvp): for K directions dx [K, B, in] per sample,
 * dh = W dx and da = (1 - a^2) dh, so dy = J(x) dx exactly. Everything is differentiable with
 * respect to the parameters (to second order), so a loss built from tangents (Christoffel symbols,
 * Jacobian-split maps) can be trained with `tf.variableGrads`. Rank-3 tangents go through 2-D
 * matMuls (TF.js 4.22 gets the gradient of matMul(rank 3, rank 2) wrong).
 */
import * as tf from '@tensorflow/tfjs-core';
import { matMulPlain } from './matMul';
import { createParameter, type Parameter } from './parameters';
import { seededRandom, uniformSymmetric } from './random';

export interface LinearLayer {
  /** [out, in] */
  W: tf.Variable;
  /** [out] */
  b: tf.Variable;
}

export interface Mlp {
  /** Layer widths from input to output, e.g. [3, 32, 32, 2]. */
  sizes: number[];
  finalTanh: boolean;
  layers: LinearLayer[];
  /** The 2 * layers.length variables as `{path: PREFIX.layers.l.W|b}`, in layer order. */
  parameters: Parameter[];
}

/** Plain weights of one layer: W row-major [out, in], b [out]. */
export interface LayerWeights {
  W: Float32Array;
  b: Float32Array;
}

export interface MlpOptions {
  /** TF.js variable scope (see ./parameters.ts). */
  scope: string;
  /** Path prefix of the parameters, e.g. 'psi'. */
  prefix: string;
  finalTanh?: boolean;
}

function checkSizes(sizes: readonly number[], where: string): void {
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new Error(`${where}: layer sizes must be at least two positive integers, got [${sizes.join(', ')}]`);
  }
}

/** An MLP from given weights (checkpoints); `weights[l]` must have W [sizes[l+1], sizes[l]]. */
export function mlpFromWeights(sizes: readonly number[], weights: readonly LayerWeights[], options: MlpOptions): Mlp {
  checkSizes(sizes, options.prefix);
  if (weights.length !== sizes.length - 1) {
    throw new Error(`${options.prefix}: ${weights.length} layers of weights for layer sizes [${sizes.join(', ')}]`);
  }
  const layers: LinearLayer[] = [];
  const parameters: Parameter[] = [];
  weights.forEach((w, l) => {
    const [fanIn, fanOut] = [sizes[l]!, sizes[l + 1]!];
    const W = createParameter(options.scope, `${options.prefix}.layers.${l}.W`, w.W, [fanOut, fanIn]);
    const b = createParameter(options.scope, `${options.prefix}.layers.${l}.b`, w.b, [fanOut]);
    layers.push({ W: W.variable, b: b.variable });
    parameters.push(W, b);
  });
  return { sizes: [...sizes], finalTanh: options.finalTanh ?? false, layers, parameters };
}

/**
 * A freshly initialised MLP: W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (equinox's default), drawn
 * from `seed` so the same seed gives the same network everywhere.
 */
export function createMlp(sizes: readonly number[], options: MlpOptions & { seed: number }): Mlp {
  checkSizes(sizes, options.prefix);
  const random = seededRandom(options.seed);
  const weights = sizes.slice(1).map((fanOut, l) => {
    const bound = 1 / Math.sqrt(sizes[l]!);
    return { W: uniformSymmetric(random, fanOut * sizes[l]!, bound), b: uniformSymmetric(random, fanOut, bound) };
  });
  return mlpFromWeights(sizes, weights, options);
}

function isActivated(mlp: Mlp, l: number): boolean {
  return l < mlp.layers.length - 1 || mlp.finalTanh;
}

function checkInput(mlp: Mlp, x: tf.Tensor, what: string): void {
  if (x.rank !== 2 || x.shape[1] !== mlp.sizes[0]) {
    throw new Error(`MLP ${what}: expected [B, ${mlp.sizes[0]}], got [${x.shape.join(', ')}]`);
  }
}

/**
 * The layers in sigmoid form: tanh(h) = 2 sigmoid(2h) - 1, with the constants folded into the
 * weights (on wasm a Tanh kernel costs about 5 Sigmoid ones). Hidden layer l keeps
 * s_l = sigmoid(u_l) with u_l = 2 h_l, so a_l = 2 s_l - 1 and the next layer's
 *   h = a W^T + b = s (2 W^T) + (b - rowsum(W)).
 * Each layer is u = s_prev weight + bias with weight [in, out] (already transposed, so the product
 * is a plain matMul) and `activated` telling whether sigmoid follows.
 */
export interface SigmoidFormLayer {
  /** [in, out] */
  weight: tf.Tensor2D;
  /** [out] */
  bias: tf.Tensor1D;
  activated: boolean;
}

/**
 * The sigmoid-form layers of `mlp`, built from its variables now. A caller that evaluates the MLP
 * many times with the same parameters (every stage of an ODE integration) builds them once and
 * passes them to mlpForward / mlpTangents / mlpJacobian; they stay differentiable with respect to
 * the variables and live in the caller's tidy scope.
 */
export function sigmoidFormLayers(mlp: Mlp): SigmoidFormLayer[] {
  return mlp.layers.map((layer, l) => {
    const activated = isActivated(mlp, l);
    const outScale = activated ? 2 : 1; // u = 2h before a sigmoid, h itself otherwise
    const fromSigmoid = l > 0;
    const weight = tf.mul(tf.transpose(layer.W), outScale * (fromSigmoid ? 2 : 1)) as tf.Tensor2D;
    const shifted = fromSigmoid ? tf.sub(layer.b, tf.sum(layer.W, 1)) : layer.b;
    const bias = (outScale === 1 ? shifted : tf.mul(shifted, outScale)) as tf.Tensor1D;
    return { weight, bias, activated };
  });
}

/** The output y from the last layer's value: 2 s - 1 after a final tanh, h itself otherwise. */
function outputOf(mlp: Mlp, last: tf.Tensor2D): tf.Tensor2D {
  return mlp.finalTanh ? (tf.sub(tf.mul(last, 2), 1) as tf.Tensor2D) : last;
}

/** y = MLP(x) for x [B, in]; `layers`: sigmoidFormLayers(mlp) if already built. */
export function mlpForward(mlp: Mlp, x: tf.Tensor2D, layers?: readonly SigmoidFormLayer[]): tf.Tensor2D {
  checkInput(mlp, x, 'input');
  return tf.tidy(() => {
    let s: tf.Tensor2D = x;
    for (const { weight, bias, activated } of layers ?? sigmoidFormLayers(mlp)) {
      const u = matMulPlain(s, weight, bias);
      s = activated ? tf.sigmoid(u) : u;
    }
    return outputOf(mlp, s);
  });
}

export type MlpTangents = {
  /** [B, out] */
  y: tf.Tensor2D;
  /** [K, B, out]: dy[k, b] = J(x_b) dx[k, b]. */
  dy: tf.Tensor3D;
};

/**
 * y = MLP(x) for x [B, in] and dy = J(x) dx for K tangent directions per sample, dx [K, B, in].
 *
 * In the sigmoid form (see sigmoidFormLayers) the tangents go through the same weights,
 * du = ds_prev weight, and ds = s (1 - s) du. Tangents are direction-major ([K, B, width],
 * flattened to [K*B, width] rows for the matMuls) so that the per-sample factor s (1 - s) [B, width]
 * multiplies them by plain trailing-axis broadcasting.
 */
export function mlpTangents(mlp: Mlp, x: tf.Tensor2D, dx: tf.Tensor3D, layers?: readonly SigmoidFormLayer[]): MlpTangents {
  checkInput(mlp, x, 'input');
  const [K, B, n] = dx.shape;
  if (B !== x.shape[0] || n !== mlp.sizes[0]) {
    throw new Error(`MLP tangents: expected [K, ${x.shape[0]}, ${mlp.sizes[0]}], got [${dx.shape.join(', ')}]`);
  }
  return tf.tidy(() => pushTangents(mlp, x, K, layers ?? sigmoidFormLayers(mlp), { ds0: tf.reshape(dx, [K * B, n]) as tf.Tensor2D }));
}

/**
 * The forward pass of mlpTangents, starting from the tangents ds0 [K*B, in] of the input or, for
 * the Jacobian, from the first layer's tangent du0 [K, 1, width_1] (the same for every sample).
 */
function pushTangents(mlp: Mlp, x: tf.Tensor2D, K: number, layers: readonly SigmoidFormLayer[], start: { ds0: tf.Tensor2D } | { du0: tf.Tensor3D }): MlpTangents {
  const B = x.shape[0];
  let s: tf.Tensor2D = x;
  let ds = 'ds0' in start ? start.ds0 : null;
  for (const { weight, bias, activated } of layers) {
    const width = weight.shape[1];
    const u = matMulPlain(s, weight, bias);
    // [K*B, width], or [K, 1, width] for the Jacobian's first layer.
    const du = ds ? matMulPlain(ds, weight) : (start as { du0: tf.Tensor3D }).du0;
    if (activated) {
      s = tf.sigmoid(u);
      const slope = tf.mul(s, tf.sub(1, s)); // d sigmoid(u) / du, the same for all K directions
      ds = K === 1 && ds ? (tf.mul(du, slope) as tf.Tensor2D) : (tf.reshape(tf.mul(tf.reshape(du, [K, -1, width]), slope), [K * B, width]) as tf.Tensor2D);
    } else {
      s = u;
      ds = (ds ? du : tf.reshape(tf.broadcastTo(du, [K, B, width]), [K * B, width])) as tf.Tensor2D;
    }
  }
  const out = mlp.sizes[mlp.sizes.length - 1]!;
  // A final tanh = 2 sigmoid - 1 doubles the tangent.
  return { y: outputOf(mlp, s), dy: tf.reshape(mlp.finalTanh ? tf.mul(ds!, 2) : ds!, [K, B, out]) as tf.Tensor3D };
}

/**
 * y = MLP(x) and the full Jacobian as dy [in, B, out], dy[a, b] = dy/dx_a at x_b; `layers`:
 * sigmoidFormLayers(mlp) if already built. The first layer's tangent for unit direction e_a is row
 * a of its weight at every sample, so it is a broadcast rather than a product with the directions.
 */
export function mlpJacobian(mlp: Mlp, x: tf.Tensor2D, layers?: readonly SigmoidFormLayer[]): MlpTangents {
  checkInput(mlp, x, 'input');
  const n = x.shape[1];
  return tf.tidy(() => {
    const sigmoidForm = layers ?? sigmoidFormLayers(mlp);
    const first = sigmoidForm[0]!.weight; // [in, width]
    return pushTangents(mlp, x, n, sigmoidForm, { du0: tf.reshape(first, [n, 1, first.shape[1]]) as tf.Tensor3D });
  }) as MlpTangents;
}
