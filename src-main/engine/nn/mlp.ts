/**
 * Multi-layer perceptrons with forward-mode tangents.
 *
 * Layer l computes h = W_l a + b_l with W_l of shape [out, in] (the layout of equinox's `Linear`,
 * which the reference checkpoints store), then a = tanh(h) on every hidden layer and, if
 * `finalTanh`, on the last one too. Inputs are batched as rows: x [B, in] -> y [B, out].
 *
 * Tangents are pushed forward by hand (TF.js has no jvp): for K directions dx [K, B, in] per sample,
 * dh = W dx and da = (1 - a^2) dh, so dy = J(x) dx exactly. Everything is ordinary TF.js ops and
 * differentiable with respect to the parameters, so a loss built from tangents (Christoffel symbols,
 * Jacobian-split maps) can be trained with `tf.variableGrads`. Rank-3 tangents go through 2-D
 * matMuls (TF.js 4.22 gets the gradient of matMul(rank 3, rank 2) wrong).
 */
import * as tf from '@tensorflow/tfjs-core';
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

/** y = MLP(x) for x [B, in]. */
export function mlpForward(mlp: Mlp, x: tf.Tensor2D): tf.Tensor2D {
  checkInput(mlp, x, 'input');
  return tf.tidy(() => {
    let a: tf.Tensor2D = x;
    mlp.layers.forEach((layer, l) => {
      const h = tf.add(tf.matMul(a, layer.W, false, true), layer.b) as tf.Tensor2D;
      a = isActivated(mlp, l) ? tf.tanh(h) : h;
    });
    return a;
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
 * Tangents are direction-major ([K, B, width], flattened to [K*B, width] rows for the matMuls) so
 * that the per-sample factor 1 - a^2 [B, width] multiplies them by plain trailing-axis broadcasting,
 * the fast path of the TF.js cpu backend.
 */
export function mlpTangents(mlp: Mlp, x: tf.Tensor2D, dx: tf.Tensor3D): MlpTangents {
  checkInput(mlp, x, 'input');
  const [K, B, n] = dx.shape;
  if (B !== x.shape[0] || n !== mlp.sizes[0]) {
    throw new Error(`MLP tangents: expected [K, ${x.shape[0]}, ${mlp.sizes[0]}], got [${dx.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    let a: tf.Tensor2D = x;
    let da = tf.reshape(dx, [K * B, n]) as tf.Tensor2D;
    mlp.layers.forEach((layer, l) => {
      const h = tf.add(tf.matMul(a, layer.W, false, true), layer.b) as tf.Tensor2D;
      const dh = tf.matMul(da, layer.W, false, true) as tf.Tensor2D;
      if (isActivated(mlp, l)) {
        a = tf.tanh(h);
        // d tanh(h) = (1 - tanh(h)^2) dh, the same factor for all K directions of a sample.
        const slope = tf.sub(1, tf.square(a));
        da = tf.reshape(tf.mul(tf.reshape(dh, [K, B, mlp.sizes[l + 1]!]), slope), [K * B, mlp.sizes[l + 1]!]);
      } else {
        a = h;
        da = dh;
      }
    });
    return { y: a, dy: tf.reshape(da, [K, B, mlp.sizes[mlp.sizes.length - 1]!]) as tf.Tensor3D };
  }) as MlpTangents;
}

/** The m unit directions for a batch of B points, direction-major: e[a, b] = e_a, [m, B, m]. */
export function unitDirections(m: number, B: number): tf.Tensor3D {
  const values = new Float32Array(m * B * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < B; b++) values[(a * B + b) * m + a] = 1;
  return tf.tensor3d(values, [m, B, m]);
}

/** y = MLP(x) and the full Jacobian as dy [in, B, out], dy[a, b] = dy/dx_a at x_b. */
export function mlpJacobian(mlp: Mlp, x: tf.Tensor2D): MlpTangents {
  checkInput(mlp, x, 'input');
  return tf.tidy(() => mlpTangents(mlp, x, unitDirections(mlp.sizes[0]!, x.shape[0]))) as MlpTangents;
}
