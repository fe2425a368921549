/**
 * The metric network kinds of the reference implementation.
 *
 * A tanh MLP maps x (m) to P = m(m+1)/2 numbers c, which fill a lower-triangular L row-major
 * ((0,0), (1,0), (1,1), (2,0), ...). The diagonal goes through softplus, so it is positive:
 * - `NN_metric`: g = L L^T (no epsilon);
 * - `NN_metric_regularized`: c = tanh(c) first (a final tanh on the MLP), then g = I + L L^T.
 *
 * Exact derivatives: the m unit directions are pushed through the MLP (mlpJacobian), giving dc/dx^a;
 * then dL_a follows elementwise (softplus' = sigmoid on the diagonal) and
 * d_a g = dL_a L^T + L dL_a^T. The products are formed with constant pick/sum matrices (see
 * `assemblyConstants`) so that the whole assembly is a handful of 2-D kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { constantMatrix } from '../geometry/linalg';
import { checkPoints, type MetricField, type MetricWithDerivatives } from '../geometry/metricField';
import { matMulConstant } from './matMul';
import { createMlp, mlpForward, mlpJacobian, sigmoidFormLayers, type Mlp, type SigmoidFormLayer } from './mlp';
import type { Parameter } from './parameters';

export const METRIC_KINDS = ['NN_metric', 'NN_metric_regularized'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/** JSON-serialisable description of a metric network. */
export interface MetricNetworkConfig {
  kind: MetricKind;
  dim: number;
  hiddenSizes: number[];
}

export interface MetricNetwork extends MetricField {
  readonly parameters: Parameter[];
  /** Frees the parameters and the network's constant tensors. */
  dispose(): void;
}

export function isMetricKind(kind: string): kind is MetricKind {
  return (METRIC_KINDS as readonly string[]).includes(kind);
}

export function metricLayerSizes(config: MetricNetworkConfig): number[] {
  return [config.dim, ...config.hiddenSizes, (config.dim * (config.dim + 1)) / 2];
}

/**
 * Constants of the metric assembly for dimension m, P = m(m+1)/2. With p(i, k) the row-major
 * position of L_ik and t running over the triples (i, j, k), k <= min(i, j):
 * - `left` [P, N], `right` [P, N] pick L_ik and L_jk, so (c left) * (c right) holds L_ik L_jk;
 * - `sum` [N, m*m] adds triple t into g_ij, so g = ((c left) * (c right)) sum = L L^T (flattened);
 * - `symmetricSum` [N, m*m] adds t into both g_ij and g_ji, so for a tangent dc,
 *   ((dc left) * (c right)) symmetricSum = dL L^T + L dL^T;
 * - `diagonal` [P], 1 at the diagonal entries of L; `identity` [m*m], the flattened I.
 */
function assemblyConstants(m: number) {
  const position = (i: number, k: number) => (i * (i + 1)) / 2 + k;
  const triples: [number, number, number][] = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let k = 0; k <= Math.min(i, j); k++) triples.push([i, j, k]);
  const P = (m * (m + 1)) / 2;
  const N = triples.length;
  const diagonal = new Float32Array(P);
  const identity = new Float32Array(m * m);
  for (let i = 0; i < m; i++) {
    diagonal[position(i, i)] = 1;
    identity[i * m + i] = 1;
  }
  return {
    left: constantMatrix(P, N, triples.map(([i, , k], t) => [position(i, k), t, 1] as const)),
    right: constantMatrix(P, N, triples.map(([, j, k], t) => [position(j, k), t, 1] as const)),
    sum: constantMatrix(N, m * m, triples.map(([i, j], t) => [t, i * m + j, 1] as const)),
    symmetricSum: constantMatrix(N, m * m, triples.flatMap(([i, j], t) => [[t, i * m + j, 1] as const, [t, j * m + i, 1] as const])),
    diagonal: tf.tensor1d(diagonal),
    identity: tf.tensor1d(identity),
  };
}

function wrap(config: MetricNetworkConfig, mlp: Mlp): MetricNetwork {
  const m = config.dim;
  const P = (m * (m + 1)) / 2;
  const regularized = config.kind === 'NN_metric_regularized';
  // Kept for the network's lifetime (freed by dispose); tf.keep protects them from callers' tidy scopes.
  const constants = assemblyConstants(m);
  Object.values(constants).forEach((t) => tf.keep(t));

  /** L's entries: c with softplus on the diagonal ones. */
  const entriesOfL = (c: tf.Tensor2D) => tf.add(c, tf.mul(constants.diagonal, tf.sub(tf.softplus(c), c))) as tf.Tensor2D;
  /** g flattened [B, m*m] from L's entries and (c left), (c right). */
  const gram = (picked: tf.Tensor2D): tf.Tensor2D => {
    const LLt = matMulConstant(picked, constants.sum) as tf.Tensor2D;
    return regularized ? (tf.add(LLt, constants.identity) as tf.Tensor2D) : LLt;
  };

  /** g(x) with the MLP's sigmoid-form layers `layers` (built per call if not given). */
  const metricOf = (layers?: readonly SigmoidFormLayer[]) => (x: tf.Tensor2D): tf.Tensor3D => {
    checkPoints(network, x);
    return tf.tidy(() => {
      const l = entriesOfL(mlpForward(mlp, x, layers));
      return tf.reshape(gram(tf.mul(matMulConstant(l, constants.left), matMulConstant(l, constants.right))), [x.shape[0], m, m]) as tf.Tensor3D;
    });
  };

  const metricWithDerivativesOf = (layers?: readonly SigmoidFormLayer[]) => (x: tf.Tensor2D): MetricWithDerivatives => {
    checkPoints(network, x);
    const B = x.shape[0];
    return tf.tidy(() => {
      const { y: c, dy: dc } = mlpJacobian(mlp, x, layers); // [B, P], [m, B, P]
      const l = entriesOfL(c);
      const lRight = matMulConstant(l, constants.right);
      const g = gram(tf.mul(matMulConstant(l, constants.left), lRight));
      // d softplus(c) = sigmoid(c) dc on the diagonal, dc elsewhere.
      const slope = tf.add(1, tf.mul(constants.diagonal, tf.sub(tf.sigmoid(c), 1)));
      const dl = tf.reshape(tf.mul(dc, slope), [m * B, P]) as tf.Tensor2D;
      const dlLeft = tf.reshape(matMulConstant(dl, constants.left), [m, B, -1]);
      const dgByDirection = matMulConstant(tf.reshape(tf.mul(dlLeft, lRight), [m * B, -1]), constants.symmetricSum); // [m*B, m*m]
      const dg = tf.reshape(tf.transpose(tf.reshape(dgByDirection, [m, B, m * m]), [1, 0, 2]), [B, m, m, m]) as tf.Tensor4D;
      return { g: tf.reshape(g, [B, m, m]) as tf.Tensor3D, dg };
    });
  };

  const dispose = () => tf.dispose([...Object.values(constants), ...mlp.parameters.map((p) => p.variable)]);
  const prepared = (): MetricField => {
    const layers = sigmoidFormLayers(mlp);
    return { dim: m, metric: metricOf(layers), metricWithDerivatives: metricWithDerivativesOf(layers) };
  };
  const network: MetricNetwork = { dim: m, metric: metricOf(), metricWithDerivatives: metricWithDerivativesOf(), prepared, parameters: mlp.parameters, dispose };
  return network;
}

/** A freshly initialised metric network (seeded, see createMlp). */
export function createMetricNetwork(config: MetricNetworkConfig, scope: string, prefix: string, seed: number): MetricNetwork {
  return wrap(config, createMlp(metricLayerSizes(config), { scope, prefix, seed, finalTanh: config.kind === 'NN_metric_regularized' }));
}
