/**
 * The neural geodesic flow model (the `Model` of kind 'ngf'): learned psi, phi and metric g inside a
 * `TangentBundleModel`, trained with the reference losses (./ngfLosses.ts).
 *
 * Config keys (src-shared/hyperparams.ts, NgfConfig) map to the reference's network classes:
 * encoder/decoder 'mlp' = NN_diffeomorphism, 'mlp-chart' = NN_diffeomorphism_for_chart,
 * 'jacobian-split' = NN_Jacobian_split_diffeomorphism, 'jacobian-split-chart' =
 * NN_Jacobian_split_diffeomorphism_for_chart; metric 'cholesky' = NN_metric, 'regularized' =
 * NN_metric_regularized. Parameters have the paths psi.layers.l.{W,b}, phi.layers.l.{W,b},
 * g.layers.l.{W,b} with W [out, in] as in the reference checkpoints.
 */
import * as tf from '@tensorflow/tfjs-core';
import { validateModelConfig, type NgfConfig } from '../../../src-shared/hyperparams';
import { formatIssues } from '../../../src-shared/validation';
import { createFastGeodesicFlow, fastThreadsFromEnvironment, type FastGeodesicFlow } from '../fast/fastGeodesic';
import { createDiffeomorphism, type DiffeomorphismKind } from '../nn/diffeomorphism';
import { createMetricNetwork, type MetricKind, type MetricNetwork } from '../nn/metricNetwork';
import type { Parameter } from '../nn/parameters';
import { checkBatchDim } from './neuralOde';
import { inputTargetLoss, trajectoryLoss, type NgfLossTerms } from './ngfLosses';
import { TangentBundleModel } from './ngfTangentBundle';
import type { Batch, DataBatch, EvaluationTerms, LossResult, Model, ModelInit } from './types';

export const DIFFEOMORPHISM_KIND_OF: Record<NgfConfig['encoder'], DiffeomorphismKind> = {
  mlp: 'NN_diffeomorphism',
  'mlp-chart': 'NN_diffeomorphism_for_chart',
  'jacobian-split': 'NN_Jacobian_split_diffeomorphism',
  'jacobian-split-chart': 'NN_Jacobian_split_diffeomorphism_for_chart',
};

export const METRIC_KIND_OF: Record<NgfConfig['metric'], MetricKind> = {
  cholesky: 'NN_metric',
  regularized: 'NN_metric_regularized',
};

/** The NgfConfig with defaults filled in, or an error naming the bad key. */
export function resolveNgfConfig(raw: unknown): NgfConfig {
  const result = validateModelConfig('ngf', raw ?? {});
  if (!result.success) throw new Error(`ngf config: ${formatIssues(result.issues)}`);
  return result.output;
}

export class NeuralGeodesicFlow implements Model {
  readonly kind = 'ngf' as const;
  readonly config: NgfConfig;
  /** D */
  readonly stateDim: number;
  readonly bundle: TangentBundleModel;
  readonly parameters: readonly Parameter[];
  private readonly metricNetwork: MetricNetwork;
  private readonly fastFlow: FastGeodesicFlow;

  constructor(rawConfig: unknown, init: ModelInit) {
    const config = resolveNgfConfig(rawConfig);
    const D = init.stateDim;
    const m = config.dimM;
    this.config = config;
    this.stateDim = D;
    const psi = createDiffeomorphism(
      { kind: DIFFEOMORPHISM_KIND_OF[config.encoder], inSize: D, outSize: 2 * m, hiddenSizes: config.encoderHidden },
      'ngf',
      'psi',
      init.seed,
    );
    const phi = createDiffeomorphism(
      { kind: DIFFEOMORPHISM_KIND_OF[config.decoder], inSize: 2 * m, outSize: D, hiddenSizes: config.decoderHidden },
      'ngf',
      'phi',
      init.seed + 1,
    );
    const metricConfig = { kind: METRIC_KIND_OF[config.metric], dim: m, hiddenSizes: config.metricHidden };
    this.metricNetwork = createMetricNetwork(metricConfig, 'ngf', 'g', init.seed + 2);
    // The fused WebAssembly geodesic (../fast) where it applies, the op-by-op one otherwise.
    this.fastFlow = createFastGeodesicFlow(metricConfig, this.metricNetwork.parameters, init.threads ?? fastThreadsFromEnvironment());
    this.bundle = new TangentBundleModel({ psi, phi, metric: this.metricNetwork, fastFlow: this.fastFlow });
    this.parameters = [...psi.parameters, ...phi.parameters, ...this.metricNetwork.parameters];
  }

  /**
   * Overwrites every parameter from `values` (path -> row-major float32 values). Every path must be
   * present with the right number of values; `source` names the checkpoint in errors.
   */
  assignParameters(values: ReadonlyMap<string, Float32Array>, source: string): void {
    for (const { path, variable } of this.parameters) {
      const value = values.get(path);
      if (!value) throw new Error(`${source}: no values for parameter ${path}`);
      if (value.length !== variable.size) {
        throw new Error(`${source}: parameter ${path} needs shape [${variable.shape.join(', ')}] (${variable.size} values), got ${value.length}`);
      }
      tf.tidy(() => variable.assign(tf.tensor(value, variable.shape, 'float32')));
    }
  }

  trainsOn(format: DataBatch['format']): DataBatch['format'] {
    return format;
  }

  /** The reference loss's three terms and their sum for a batch of either data format. */
  lossTerms(batch: DataBatch): NgfLossTerms {
    checkBatchDim(batch, this.stateDim, 'NGF');
    if (batch.format === 'inputs-targets') {
      return inputTargetLoss(this.bundle, batch.inputs, batch.targets, batch.times, this.config.geodesicSteps);
    }
    return trajectoryLoss(this.bundle, batch.trajectories, batch.times);
  }

  loss(batch: Batch): LossResult {
    if (batch.format === 'derivatives') throw new Error(`NGF: trains on inputs/targets or trajectories, not on derivative data`);
    const { reconstruction, prediction, latent, total } = this.lossTerms(batch);
    return { total, terms: { reconstruction, prediction, latent_prediction: latent } };
  }

  /**
   * Decoded geodesic from psi(initial) through times[b, :]: [B, T, D]. As in the reference the grid
   * is taken as uniform from times[:, 0] to times[:, -1], with geodesicSteps RK4 steps for T = 2 (an
   * input/target pair) and T - 1 steps (one per interval) otherwise.
   */
  predict(initial: tf.Tensor2D, times: tf.Tensor2D): tf.Tensor3D {
    const [B, T] = times.shape;
    if (initial.rank !== 2 || initial.shape[1] !== this.stateDim || B !== initial.shape[0] || T < 2) {
      throw new Error(`NGF predict: initial must be [B, ${this.stateDim}] and times [B, T >= 2] for the same B, got [${initial.shape}] and [${times.shape}]`);
    }
    return tf.tidy(() => {
      const span = tf.reshape(tf.sub(tf.slice(times, [0, T - 1], [B, 1]), tf.slice(times, [0, 0], [B, 1])), [B]) as tf.Tensor1D;
      const steps = T === 2 ? this.config.geodesicSteps : T - 1;
      const geo = this.bundle.geodesic(this.bundle.encode(initial), { t: span, steps });
      // With several steps per interval (T = 2) only the two ends are data times.
      const atTimes = T === 2 ? tf.gather(geo, [0, steps], 1) : geo;
      const decoded = this.bundle.decode(tf.reshape(atTimes, [B * T, 2 * this.bundle.latentDim]) as tf.Tensor2D);
      return tf.reshape(decoded, [B, T, this.stateDim]) as tf.Tensor3D;
    });
  }

  /** The geodesic energy g(v, v) of psi(state), [B]. */
  conservedQuantity(states: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => this.bundle.energy(this.bundle.encode(states)));
  }

  evaluate(batch: DataBatch): EvaluationTerms {
    const { reconstruction, prediction, latent, total } = this.lossTerms(batch);
    return { prediction, reconstruction, latentPrediction: latent, loss: total };
  }

  dispose(): void {
    tf.dispose([...this.bundle.psi.parameters, ...this.bundle.phi.parameters].map((p) => p.variable));
    this.metricNetwork.dispose();
    this.fastFlow.dispose();
  }
}
