/**
 * Hamiltonian neural network (Greydanus, Dzamba & Yosinski 2019).
 *
 * A tanh MLP R^D -> R gives a scalar H(q, p) on states z = (q, p) (q the first D/2 entries, p the
 * rest, so D must be even). Its dynamics are Hamilton's equations, the symplectic gradient
 *     dq/dt = dH/dp,   dp/dt = -dH/dq,
 * with grad H taken by tf.grad of sum_b H(z_b) with respect to the input (rows are independent, so
 * that is each row's own gradient). Training differentiates this field with respect to the weights:
 * a second derivative through tanh, which ../gradients.ts makes correct in TF.js.
 *
 * Two training modes:
 * - 'derivatives' (the paper's): mean((X_H(z) - dz/dt)^2) over (state, derivative) pairs;
 * - 'trajectory': the neural ODE's trajectory matching through the solver (./neuralOde.ts).
 *
 * Weights are initialised orthogonally (torch.nn.init.orthogonal_, as in the paper's code), biases
 * like equinox's default. The output bias only shifts H by a constant, which no loss can see: it is
 * fixed at 0 and not among the trainable parameters.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HnnConfig } from '../../../src-shared/hyperparams';
import { mlpForward, mlpFromWeights, type Mlp } from '../nn/mlp';
import { seededRandom, uniformSymmetric, type Random } from '../nn/random';
import type { SolverName, VectorField } from '../ode/types';
import { checkBatchDim, fieldLoss, fieldTrajectoryLoss, resolveConfig, readSteps, rollout } from './neuralOde';
import type { Batch, DataBatch, EvaluationTerms, LossResult, Model, ModelInit } from './types';

export interface HamiltonianNNConfig extends Omit<HnnConfig, 'solver'> {
  solver: SolverName;
  rtol: number;
  atol: number;
  /** 'derivatives' (match dz/dt) or 'trajectory' (match rollouts through the solver). */
  training: 'derivatives' | 'trajectory';
  /** Solver steps from input to target for inputs/targets data. */
  pairSteps: number;
}

export function resolveHamiltonianConfig(raw: unknown): HamiltonianNNConfig {
  return resolveConfig('hnn', raw, { training: 'derivatives', pairSteps: 49 }, (key, value) => {
    if (key === 'pairSteps') return readSteps('hnn', key, value);
    if (value !== 'derivatives' && value !== 'trajectory') {
      throw new Error(`hnn config: training must be 'derivatives' or 'trajectory', got ${JSON.stringify(value)}`);
    }
    return value;
  }) as unknown as HamiltonianNNConfig;
}

/** A standard normal draw (Box-Muller). */
function normal(random: Random): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * A random [rows, cols] matrix (row-major) with orthonormal rows or columns, whichever are fewer:
 * Gram-Schmidt QR of a Gaussian matrix, Q with R's diagonal made positive (the Haar measure, as
 * torch.nn.init.orthogonal_).
 */
export function orthogonalMatrix(rows: number, cols: number, random: Random): Float32Array {
  const tall = Math.max(rows, cols);
  const k = Math.min(rows, cols);
  // k column vectors of length `tall`, orthonormalised in turn (modified Gram-Schmidt, twice for accuracy).
  const q: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = Float64Array.from({ length: tall }, () => normal(random));
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < tall; i++) dot += u[i]! * v[i]!;
        for (let i = 0; i < tall; i++) v[i]! -= dot * u[i]!;
      }
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < tall; i++) v[i]! /= norm;
    q.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = rows >= cols ? q[c]![r]! : q[r]![c]!;
  }
  return out;
}

export class HamiltonianNN implements Model {
  readonly kind = 'hnn' as const;
  readonly config: HamiltonianNNConfig;
  readonly stateDim: number;
  readonly mlp: Mlp;
  readonly parameters;

  constructor(rawConfig: unknown, init: ModelInit) {
    this.config = resolveHamiltonianConfig(rawConfig);
    const D = init.stateDim;
    if (!Number.isInteger(D) || D < 2 || D % 2 !== 0) {
      throw new Error(`hnn: the state dimension D = ${D} must be even, z = (q, p) with q and p of length D/2`);
    }
    this.stateDim = D;
    const sizes = [D, ...this.config.hiddenSizes, 1];
    const random = seededRandom(init.seed);
    const weights = sizes.slice(1).map((fanOut, l) => ({
      W: orthogonalMatrix(fanOut, sizes[l]!, random),
      b: l === sizes.length - 2 ? new Float32Array(1) : uniformSymmetric(random, fanOut, 1 / Math.sqrt(sizes[l]!)),
    }));
    this.mlp = mlpFromWeights(sizes, weights, { scope: 'hnn', prefix: 'H' });
    this.parameters = this.mlp.parameters.slice(0, -1);
  }

  /** H(z) for z [B, D] -> [B]. */
  hamiltonian(z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => tf.squeeze(mlpForward(this.mlp, z), [1]) as tf.Tensor1D);
  }

  /** X_H(z) = (dH/dp, -dH/dq), autonomous (t is ignored). */
  readonly field: VectorField = (_t, z) =>
    tf.tidy(() => {
      const gradH = tf.grad((x: tf.Tensor) => tf.sum(this.hamiltonian(x as tf.Tensor2D)) as tf.Scalar)(z);
      const [dHdq, dHdp] = tf.split(gradH, 2, 1);
      return tf.concat([dHdp!, tf.neg(dHdq!)], 1) as tf.Tensor2D;
    });

  trainsOn(format: DataBatch['format']): Batch['format'] {
    return this.config.training === 'derivatives' ? 'derivatives' : format;
  }

  loss(batch: Batch): LossResult {
    checkBatchDim(batch, this.stateDim, 'hnn');
    return fieldLoss(this.field, batch, this.config);
  }

  predict(initial: tf.Tensor2D, times: tf.Tensor2D): tf.Tensor3D {
    return rollout(this.field, initial, times, this.config);
  }

  conservedQuantity(states: tf.Tensor2D): tf.Tensor1D {
    return this.hamiltonian(states);
  }

  /** Prediction MSE by rollout; `loss` is the same figure (the derivative loss needs derivative data). */
  evaluate(batch: DataBatch): EvaluationTerms {
    checkBatchDim(batch, this.stateDim, 'hnn');
    const prediction = fieldTrajectoryLoss(this.field, batch, this.config);
    return { prediction, reconstruction: null, latentPrediction: null, loss: prediction.clone() };
  }

  dispose(): void {
    tf.dispose(this.mlp.parameters.map((p) => p.variable));
  }
}
