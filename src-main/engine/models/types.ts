/**
 * The one interface every trainable model implements (neural geodesic flow, Hamiltonian NN, neural
 * ODE), so that training, checkpoints, evaluation and the UI treat them alike.
 *
 * A model maps states z in R^D (a row of the dataset) forward in time. It is built from a JSON
 * config, the state dimension D and a seed; its trainable parameters are named tf.Variables with
 * stable paths (see ../nn/parameters.ts), which is all a checkpoint needs besides the config.
 *
 * Data reaches a model as mini-batches of tensors in one of three formats:
 * - 'inputs-targets': z(0) = inputs[b], z(times[b]) = targets[b];
 * - 'trajectories': trajectories[b, j] = z(times[b, j]), j = 0..T-1;
 * - 'derivatives': states[b] with their time derivatives dz/dt (Hamiltonian NN derivative matching).
 * A model trains on its dataset's own format unless `trainsOn` says 'derivatives'.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Parameter } from '../nn/parameters';

export type { ModelKind } from '../../../src-shared/hyperparams';
import type { ModelKind } from '../../../src-shared/hyperparams';

export interface InputsTargetsBatch {
  format: 'inputs-targets';
  /** [B, D] */
  inputs: tf.Tensor2D;
  /** [B, D] */
  targets: tf.Tensor2D;
  /** [B]: the time from input to target. */
  times: tf.Tensor1D;
}

export interface TrajectoriesBatch {
  format: 'trajectories';
  /** [B, T, D] */
  trajectories: tf.Tensor3D;
  /** [B, T] */
  times: tf.Tensor2D;
}

export interface DerivativesBatch {
  format: 'derivatives';
  /** [B, D] */
  states: tf.Tensor2D;
  /** [B, D]: dz/dt at each state. */
  derivatives: tf.Tensor2D;
}

/** A batch in one of the two dataset formats. */
export type DataBatch = InputsTargetsBatch | TrajectoriesBatch;
export type Batch = DataBatch | DerivativesBatch;
export type BatchFormat = Batch['format'];

/** A training objective: the scalar that is minimised and the named terms it is the sum of. */
export interface LossResult {
  total: tf.Scalar;
  terms: Record<string, tf.Scalar>;
}

/**
 * Per-batch evaluation figures, each a plain mean over the batch's elements (so batch means weighted
 * by batch size give the dataset mean). Null where a figure does not apply to the model.
 * - prediction: MSE of the predicted states against the data (targets, or every trajectory point);
 * - reconstruction: MSE of decode(encode(data)) against the data (NGF only);
 * - latentPrediction: MSE of the latent prediction against the encoded data (NGF only);
 * - loss: the model's loss on the batch in its dataset format.
 */
export interface EvaluationTerms {
  prediction: tf.Scalar;
  reconstruction: tf.Scalar | null;
  latentPrediction: tf.Scalar | null;
  loss: tf.Scalar;
}

export interface Model {
  readonly kind: ModelKind;
  /** The resolved config (defaults filled in), JSON-serialisable; createModel(kind, config, ...) rebuilds the model. */
  readonly config: object;
  /** D, the length of a state row. */
  readonly stateDim: number;
  /** Trainable parameters in a fixed order. */
  readonly parameters: readonly Parameter[];
  /** The batch format `loss` is trained on for a dataset of the given format. */
  trainsOn(datasetFormat: DataBatch['format']): BatchFormat;
  /** The training objective on one batch (of the format `trainsOn` names). */
  loss(batch: Batch): LossResult;
  /**
   * Predicted states at times[b, j] from initial[b], which is the state at times[b, 0]:
   * initial [B, D], times [B, T] -> [B, T, D] (the first row is initial itself, or its reconstruction).
   */
  predict(initial: tf.Tensor2D, times: tf.Tensor2D): tf.Tensor3D;
  /**
   * The quantity the model's dynamics conserve, per state: [B, D] -> [B]. NGF: the geodesic energy
   * g(v, v) of psi(state); HNN: its learned H; null for a neural ODE, which conserves nothing.
   */
  conservedQuantity(states: tf.Tensor2D): tf.Tensor1D | null;
  /** Evaluation figures on one batch of data. */
  evaluate(batch: DataBatch): EvaluationTerms;
  /** Frees the parameters. */
  dispose(): void;
}

/** What creates a model: kind-specific config (validated, defaults filled), state dimension D, seed. */
export interface ModelInit {
  stateDim: number;
  seed: number;
  /**
   * CPU threads the model's fused kernels may use (the NGF's geodesic kernel, ../fast); default
   * NGF_FAST_THREADS, else 1. Results depend on it only through the order of a sum (~1e-7).
   */
  threads?: number;
}
