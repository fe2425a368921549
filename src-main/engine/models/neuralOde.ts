/**
 * Neural ODE baseline: dz/dt = f(z) (autonomous) or f(z, t), f a tanh MLP R^D (+1) -> R^D, trained
 * by matching trajectories through the solver (fixed-step, or adaptive dopri5 with `solver: 'dopri5'`).
 *
 * Also the shared machinery of every model that is "a learned vector field" (the Hamiltonian NN
 * reuses it with its symplectic-gradient field):
 * - `rollout(f, z0, times, ...)`: states at times[b, j], integrating each interval
 *   [times[b, j], times[b, j+1]] with `stepsPerInterval` steps, so uneven time grids are exact
 *   (dopri5: adaptive steps with dense output at the times, which must then be one grid per row,
 *   t0_b + s (t1_b - t0_b), see ../ode/timeGrid.ts);
 * - `fieldTrajectoryLoss`: mean((rollout(data[:, 0]) - data)^2) over every element, inputs/targets
 *   data being a 2-point trajectory (input at 0, target at times[b]) integrated with `pairSteps` steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import { validateModelConfig, type ModelConfigs, type NodeConfig } from '../../../src-shared/hyperparams';
import { formatIssues } from '../../../src-shared/validation';
import { createMlp, mlpForward, type Mlp } from '../nn/mlp';
import { integrateAdaptive } from '../ode/dopri5';
import { integrateFixed } from '../ode/integrate';
import type { SolverName, VectorField } from '../ode/types';
import type { Batch, DataBatch, EvaluationTerms, LossResult, Model, ModelInit } from './types';

export interface RolloutOptions {
  solver: SolverName;
  /** Fixed-step solvers: steps per interval between two output times. */
  stepsPerInterval: number;
  /** dopri5 tolerances (defaults of ../ode/dopri5.ts when absent). */
  rtol?: number;
  atol?: number;
}

/** States at times[b, j] from z0[b] at times[b, 0]: z0 [B, D], times [B, T] -> [B, T, D]. */
export function rollout(f: VectorField, z0: tf.Tensor2D, times: tf.Tensor2D, options: RolloutOptions): tf.Tensor3D {
  if (times.rank !== 2 || times.shape[0] !== z0.shape[0] || times.shape[1] < 1) {
    throw new Error(`rollout: times must be [${z0.shape[0]}, T] with T >= 1, got [${times.shape.join(', ')}]`);
  }
  if (options.solver === 'dopri5') {
    return integrateAdaptive(f, z0, { times, rtol: options.rtol, atol: options.atol, output: 'trajectory' }).z;
  }
  const solver = options.solver;
  return tf.tidy(() => {
    const columns = tf.unstack(times, 1) as tf.Tensor1D[];
    const states: tf.Tensor2D[] = [z0];
    for (let j = 0; j + 1 < columns.length; j++) {
      states.push(
        integrateFixed(f, states[j]!, {
          t0: columns[j]!,
          t1: columns[j + 1]!,
          steps: options.stepsPerInterval,
          solver,
          output: 'final',
        }),
      );
    }
    return tf.stack(states, 1) as tf.Tensor3D;
  });
}

/** A data batch as trajectories: inputs/targets become [input, target] at times [0, t]. */
export function asTrajectories(batch: DataBatch): { trajectories: tf.Tensor3D; times: tf.Tensor2D } {
  if (batch.format === 'trajectories') return { trajectories: batch.trajectories, times: batch.times };
  return tf.tidy(() => ({
    trajectories: tf.stack([batch.inputs, batch.targets], 1) as tf.Tensor3D,
    times: tf.stack([tf.zerosLike(batch.times), batch.times], 1) as tf.Tensor2D,
  }));
}

/** Prediction of a data batch by a learned field: [B, T, D] for trajectories, [B, 2, D] for pairs. */
export function predictBatch(f: VectorField, batch: DataBatch, options: RolloutOptions & { pairSteps: number }): tf.Tensor3D {
  return tf.tidy(() => {
    const { trajectories, times } = asTrajectories(batch);
    const z0 = tf.squeeze(tf.slice(trajectories, [0, 0, 0], [-1, 1, -1]), [1]) as tf.Tensor2D;
    const steps = batch.format === 'inputs-targets' ? options.pairSteps : options.stepsPerInterval;
    return rollout(f, z0, times, { solver: options.solver, stepsPerInterval: steps });
  });
}

/**
 * Trajectory matching: mean over every element of (prediction - data)^2. For trajectories the
 * initial point is included (it matches exactly, as in the reference NGF loss); for inputs/targets
 * only the target is compared.
 */
export function fieldTrajectoryLoss(f: VectorField, batch: DataBatch, options: RolloutOptions & { pairSteps: number }): tf.Scalar {
  return tf.tidy(() => {
    const predicted = predictBatch(f, batch, options);
    if (batch.format === 'inputs-targets') {
      const last = tf.squeeze(tf.slice(predicted, [0, 1, 0], [-1, 1, -1]), [1]);
      return tf.mean(tf.squaredDifference(last, batch.targets)) as tf.Scalar;
    }
    return tf.mean(tf.squaredDifference(predicted, batch.trajectories)) as tf.Scalar;
  });
}

/**
 * The training loss of a model given by its vector field f: derivative matching,
 * mean (f(0, z) - dz/dt)^2, on a derivatives batch; otherwise the trajectory loss through the field
 * ({@link fieldTrajectoryLoss}). The term is named derivative_mse or trajectory_mse accordingly.
 */
export function fieldLoss(f: VectorField, batch: Batch, options: RolloutOptions & { pairSteps: number }): LossResult {
  if (batch.format === 'derivatives') {
    return tf.tidy(() => {
      const t = tf.zeros([batch.states.shape[0]]) as tf.Tensor1D;
      const total = tf.mean(tf.squaredDifference(f(t, batch.states), batch.derivatives)) as tf.Scalar;
      return { total, terms: { derivative_mse: total } };
    });
  }
  const total = fieldTrajectoryLoss(f, batch, options);
  return { total, terms: { trajectory_mse: total } };
}

/** Throws naming D unless the batch's states have D columns. */
export function checkBatchDim(batch: Batch, stateDim: number, model: string): void {
  const tensor = batch.format === 'inputs-targets' ? batch.inputs : batch.format === 'trajectories' ? batch.trajectories : batch.states;
  const D = tensor.shape[tensor.rank - 1];
  if (D !== stateDim) throw new Error(`${model}: the model has state dimension D = ${stateDim} but the batch has D = ${D}`);
}

export interface NeuralOdeConfig extends Omit<NodeConfig, 'solver'> {
  solver: SolverName;
  rtol: number;
  atol: number;
  /** f(z, t) instead of f(z). */
  timeDependent: boolean;
  /** Solver steps from input to target for inputs/targets data (the reference NGF uses 49). */
  pairSteps: number;
}

/**
 * Splits a raw config into the keys the shared hyperparameter schema knows (validated there) and
 * this module's extra keys, which `readExtra` validates; `solver: 'dopri5'` with `rtol`/`atol` is
 * accepted on top of the shared fixed-step choices. Errors name the model kind and the key.
 */
export function resolveConfig<K extends 'hnn' | 'node'>(
  kind: K,
  raw: unknown,
  extraDefaults: Record<string, unknown>,
  readExtra: (key: string, value: unknown) => unknown,
): ModelConfigs[K] & Record<string, unknown> {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new Error(`${kind} config: must be a JSON object, got ${Array.isArray(raw) ? 'an array' : typeof raw}`);
  }
  const shared: Record<string, unknown> = {};
  const extra: Record<string, unknown> = { rtol: 1e-5, atol: 1e-6, ...extraDefaults };
  for (const [key, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    if (key === 'rtol' || key === 'atol') {
      if (typeof value !== 'number' || !(value > 0 && value < 1)) throw new Error(`${kind} config: ${key} must be a number in (0, 1), got ${JSON.stringify(value)}`);
      extra[key] = value;
    } else if (key === 'solver' && value === 'dopri5') extra.solver = value; // adaptive: beyond the shared schema's fixed-step choices
    else if (key in extraDefaults) extra[key] = readExtra(key, value);
    else shared[key] = value;
  }
  const result = validateModelConfig(kind, shared);
  if (!result.success) throw new Error(`${kind} config: ${formatIssues(result.issues)}`);
  if ((result.output as { activation: string }).activation !== 'tanh') {
    throw new Error(`${kind} config: activation '${(result.output as { activation: string }).activation}' is not implemented yet (only 'tanh')`);
  }
  return { ...result.output, ...extra } as ModelConfigs[K] & Record<string, unknown>;
}

/** A whole number from 1 to 1000, or an error naming the key. */
export function readSteps(model: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 1000) {
    throw new Error(`${model} config: ${key} must be a whole number from 1 to 1000, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function resolveNeuralOdeConfig(raw: unknown): NeuralOdeConfig {
  return resolveConfig('node', raw, { timeDependent: false, pairSteps: 49 }, (key, value) => {
    if (key === 'pairSteps') return readSteps('node', key, value);
    if (typeof value !== 'boolean') throw new Error(`node config: timeDependent must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }) as unknown as NeuralOdeConfig;
}

export class NeuralOde implements Model {
  readonly kind = 'node' as const;
  readonly config: NeuralOdeConfig;
  readonly stateDim: number;
  readonly mlp: Mlp;

  constructor(rawConfig: unknown, init: ModelInit) {
    this.config = resolveNeuralOdeConfig(rawConfig);
    this.stateDim = init.stateDim;
    const inSize = init.stateDim + (this.config.timeDependent ? 1 : 0);
    this.mlp = createMlp([inSize, ...this.config.hiddenSizes, init.stateDim], { scope: 'node', prefix: 'f', seed: init.seed });
  }

  get parameters() {
    return this.mlp.parameters;
  }

  /** f(t, z) = MLP(z) or MLP([z, t]). */
  readonly field: VectorField = (t, z) =>
    tf.tidy(() => mlpForward(this.mlp, this.config.timeDependent ? (tf.concat([z, tf.expandDims(t, 1)], 1) as tf.Tensor2D) : z));

  trainsOn(format: DataBatch['format']): DataBatch['format'] {
    return format;
  }

  loss(batch: Batch): LossResult {
    checkBatchDim(batch, this.stateDim, 'neural ODE');
    return fieldLoss(this.field, batch, this.config);
  }

  predict(initial: tf.Tensor2D, times: tf.Tensor2D): tf.Tensor3D {
    return rollout(this.field, initial, times, this.config);
  }

  conservedQuantity(): null {
    return null;
  }

  evaluate(batch: DataBatch): EvaluationTerms {
    const prediction = this.loss(batch).total;
    return { prediction, reconstruction: null, latentPrediction: null, loss: prediction.clone() };
  }

  dispose(): void {
    tf.dispose(this.parameters.map((p) => p.variable));
  }
}
