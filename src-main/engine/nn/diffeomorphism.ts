/**
 * The encoder/decoder network kinds of the reference implementation, mapping between data space
 * and the tangent bundle TM (points z = (x, v), 2m numbers).
 *
 * - `NN_diffeomorphism`: a tanh MLP with a linear last layer on the whole input.
 * - `NN_diffeomorphism_for_chart`: tanh after every layer, the last included (outputs in (-1, 1)).
 * - `NN_Jacobian_split_diffeomorphism`: y = (x, v) -> (N(x), J_N(x) v), N a tanh MLP (linear last
 *   layer) on the first half of the input; velocities are pushed forward exactly as tangent vectors.
 * - `NN_Jacobian_split_diffeomorphism_for_chart`: the same with a final tanh on N (J includes it).
 */
import * as tf from '@tensorflow/tfjs-core';
import { createMlp, mlpForward, mlpTangents, type Mlp } from './mlp';
import type { Parameter } from './parameters';

export const DIFFEOMORPHISM_KINDS = [
  'NN_diffeomorphism',
  'NN_diffeomorphism_for_chart',
  'NN_Jacobian_split_diffeomorphism',
  'NN_Jacobian_split_diffeomorphism_for_chart',
] as const;
export type DiffeomorphismKind = (typeof DIFFEOMORPHISM_KINDS)[number];

/** JSON-serialisable description of one encoder or decoder. */
export interface DiffeomorphismConfig {
  kind: DiffeomorphismKind;
  inSize: number;
  outSize: number;
  hiddenSizes: number[];
}

/** A batched map between flat spaces, y [B, inSize] -> [B, outSize], with its parameters. */
export interface BundleMap {
  readonly inSize: number;
  readonly outSize: number;
  apply(y: tf.Tensor2D): tf.Tensor2D;
  readonly parameters: Parameter[];
}

export function isDiffeomorphismKind(kind: string): kind is DiffeomorphismKind {
  return (DIFFEOMORPHISM_KINDS as readonly string[]).includes(kind);
}

export function isJacobianSplit(kind: DiffeomorphismKind): boolean {
  return kind.startsWith('NN_Jacobian_split');
}

/** Layer sizes of the MLP inside a network of this config (half width for the Jacobian-split kinds). */
export function diffeomorphismLayerSizes(config: DiffeomorphismConfig): number[] {
  if (isJacobianSplit(config.kind)) {
    if (config.inSize % 2 !== 0 || config.outSize % 2 !== 0) {
      throw new Error(`${config.kind}: in and out sizes must be even (x and v halves), got ${config.inSize} -> ${config.outSize}`);
    }
    return [config.inSize / 2, ...config.hiddenSizes, config.outSize / 2];
  }
  return [config.inSize, ...config.hiddenSizes, config.outSize];
}

function wrap(config: DiffeomorphismConfig, mlp: Mlp): BundleMap {
  const split = isJacobianSplit(config.kind);
  const half = config.inSize / 2;
  const apply = (y: tf.Tensor2D): tf.Tensor2D => {
    if (y.rank !== 2 || y.shape[1] !== config.inSize) {
      throw new Error(`${config.kind}: expected input [B, ${config.inSize}], got [${y.shape.join(', ')}]`);
    }
    if (!split) return mlpForward(mlp, y);
    return tf.tidy(() => {
      const [x, v] = tf.split(y, [half, half], 1) as [tf.Tensor2D, tf.Tensor2D];
      const { y: Nx, dy } = mlpTangents(mlp, x, tf.reshape(v, [1, ...v.shape]) as tf.Tensor3D);
      return tf.concat([Nx, tf.reshape(dy, Nx.shape)], 1) as tf.Tensor2D;
    });
  };
  return { inSize: config.inSize, outSize: config.outSize, apply, parameters: mlp.parameters };
}

/** A freshly initialised network (seeded, see createMlp); checkpoints assign their values afterwards. */
export function createDiffeomorphism(config: DiffeomorphismConfig, scope: string, prefix: string, seed: number): BundleMap {
  return wrap(config, createMlp(diffeomorphismLayerSizes(config), { scope, prefix, seed, finalTanh: config.kind.endsWith('_for_chart') }));
}
