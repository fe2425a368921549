/**
 * A trained model seen as a flow, which is what every analysis measure integrates:
 *
 *   data y --encode--> z (flow space) --Phi_t: dz/dt = f(t, z)--> z(t) --decode--> data
 *
 * - NGF: z = psi(y) = (x, v) in the latent tangent bundle, f the geodesic field of the learned metric,
 *   conserved quantity g_x(v, v);
 * - Hamiltonian NN: z = y = (q, p), f = X_H, conserved quantity the learned H;
 * - neural ODE: z = y, f the MLP, nothing conserved.
 * The flow-space state splits into a position half and a velocity (momentum) half, so the time
 * reversal R(q, v) = (q, -v) is defined on it. Measures run in the flow space, so that solver and
 * model structure are seen without the autoencoder's error on top.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MetricField } from '../geometry/metricField';
import { HamiltonianNN } from '../models/hnn';
import { NeuralOde } from '../models/neuralOde';
import { NeuralGeodesicFlow } from '../models/ngf';
import type { TangentBundleModel } from '../models/ngfTangentBundle';
import type { Model } from '../models/types';
import type { SolverName, VectorField } from '../ode/types';

export interface ModelFlow {
  /** 'ngf', 'hnn', 'node', or 'geodesic' for a closed-form tangent-bundle model. */
  readonly kind: string;
  /** D, the data dimension. */
  readonly dataDim: number;
  /** The flow-space dimension (2m for an NGF, D otherwise); always even. */
  readonly flowDim: number;
  readonly field: VectorField;
  /** Whether f depends on t (a time-dependent neural ODE). */
  readonly timeDependent: boolean;
  /** Data [B, D] -> flow space [B, flowDim] (a new tensor). */
  encode(y: tf.Tensor2D): tf.Tensor2D;
  /** Flow space [B, flowDim] -> data [B, D] (a new tensor). */
  decode(z: tf.Tensor2D): tf.Tensor2D;
  /** The quantity the flow conserves, per flow-space state [B], or null when there is none. */
  conserved(z: tf.Tensor2D): tf.Tensor1D | null;
  /** What `conserved` is, for reports: 'g(v, v)', 'H', or null. */
  readonly conservedName: string | null;
  /** The latent metric of a geodesic flow, else null. */
  readonly metric: MetricField | null;
  /**
   * How the model itself integrates: its solver, steps per interval of trajectory data and per
   * input/target pair (fixed-step solvers), tolerances (dopri5, where the model has them).
   */
  readonly defaults: { solver: SolverName; stepsPerInterval: number; pairSteps: number; rtol?: number; atol?: number };
}

/** The flow of a tangent-bundle model (learned or closed-form): RK4 as in the reference. */
export function bundleFlow(bundle: TangentBundleModel, options: { kind?: string; pairSteps?: number } = {}): ModelFlow {
  return {
    kind: options.kind ?? 'geodesic',
    dataDim: bundle.dataDim,
    flowDim: 2 * bundle.latentDim,
    field: bundle.field,
    timeDependent: false,
    encode: (y) => bundle.encode(y),
    decode: (z) => bundle.decode(z),
    conserved: (z) => bundle.energy(z),
    conservedName: 'g(v, v)',
    metric: bundle.metric,
    defaults: { solver: 'rk4', stepsPerInterval: 1, pairSteps: options.pairSteps ?? 49 },
  };
}

/** The flow of a workbench model; an error names a model without a known flow. */
export function modelFlow(model: Model): ModelFlow {
  if (model instanceof NeuralGeodesicFlow) return bundleFlow(model.bundle, { kind: 'ngf', pairSteps: model.config.geodesicSteps });
  if (model instanceof HamiltonianNN || model instanceof NeuralOde) {
    const { solver, stepsPerInterval, pairSteps } = model.config;
    const { rtol, atol } = model.config as { rtol?: number; atol?: number };
    const hnn = model instanceof HamiltonianNN ? model : null;
    return {
      kind: model.kind,
      dataDim: model.stateDim,
      flowDim: model.stateDim,
      field: model.field,
      timeDependent: model instanceof NeuralOde && model.config.timeDependent,
      encode: (y) => tf.clone(y),
      decode: (z) => tf.clone(z),
      conserved: (z) => (hnn ? hnn.hamiltonian(z) : null),
      conservedName: hnn ? 'H' : null,
      metric: null,
      defaults: { solver, stepsPerInterval, pairSteps, rtol, atol },
    };
  }
  throw new Error(`analysis: no flow is known for a model of kind '${model.kind}'`);
}

/** R(q, v) = (q, -v) on flow-space states [B, 2n]: the second half negated. */
export function timeReversal(z: tf.Tensor2D): tf.Tensor2D {
  const n = z.shape[1];
  if (n % 2 !== 0) throw new Error(`timeReversal: the state must have an even length (q then v), got ${n}`);
  return tf.tidy(() => tf.concat(tf.split(z, 2, 1).map((half, i) => (i === 0 ? half : tf.neg(half))), 1) as tf.Tensor2D);
}
