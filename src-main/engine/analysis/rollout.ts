/**
 * One rollout of a flow through a grid of output times, read back once and shared by the measures
 * that need it (energy, extrapolation, geodesic curves): the flow-space states, their decoding to
 * data space and the conserved quantity along them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RolloutGrid } from './evaluationSet';
import type { ModelFlow } from './flow';
import { describeIntegrator, propagate, type Integrator } from './propagate';

export interface FlowRollout {
  /** The grid's output times. */
  times: number[];
  /** B, K (= times.length), data dimension D and flow-space dimension. */
  count: number;
  points: number;
  dataDim: number;
  flowDim: number;
  /** The true initial states (data space) [B, D]. */
  initial: Float32Array;
  /** Flow-space states [B, K, flowDim]. */
  flowStates: Float32Array;
  /** Decoded states [B, K, D]. */
  decoded: Float32Array;
  /** The flow's conserved quantity [B, K], or null. */
  conserved: Float32Array | null;
  conservedName: string | null;
  integrator: string;
  fevals: number;
}

/** Encodes `initial` [B, D] (row-major), integrates through `grid` and reads everything back. */
export function rolloutFlow(flow: ModelFlow, initial: Float32Array, grid: RolloutGrid, integrator: Integrator): FlowRollout {
  const D = flow.dataDim;
  if (initial.length === 0 || initial.length % D !== 0) throw new Error(`rollout: initial states must be [B, ${D}], got ${initial.length} values`);
  const B = initial.length / D;
  const K = grid.times.length;
  const read: { flowStates: Float32Array; decoded: Float32Array; conserved: Float32Array | null; fevals: number } = { flowStates: new Float32Array(), decoded: new Float32Array(), conserved: null, fevals: 0 };
  tf.tidy(() => {
    const { z, fevals } = propagate(flow.field, flow.encode(tf.tensor2d(initial, [B, D])), grid.times, integrator);
    const flat = tf.reshape(z, [B * K, flow.flowDim]) as tf.Tensor2D;
    read.flowStates = flat.dataSync() as Float32Array;
    read.decoded = flow.decode(flat).dataSync() as Float32Array;
    read.conserved = (flow.conserved(flat)?.dataSync() as Float32Array | undefined) ?? null;
    read.fevals = fevals;
  });
  return {
    times: [...grid.times],
    count: B,
    points: K,
    dataDim: D,
    flowDim: flow.flowDim,
    initial,
    ...read,
    conservedName: read.conserved ? flow.conservedName : null,
    integrator: describeIntegrator(integrator),
  };
}
