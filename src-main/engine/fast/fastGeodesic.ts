/**
 * The geodesic exp map and trajectory of a metric network as one TF.js op with a custom gradient,
 * computed by the fused WebAssembly SIMD kernel (./kernel.ts): the same maths as
 * `expMap` / `geodesic` of ../geometry/geodesic.ts with RK4 (the op-by-op reference), but one kernel
 * call instead of tens of thousands, and a hand-written discrete adjoint for the backward pass.
 *
 *   exp:      z0 [B, 2m], weights  ->  z(t) [B, 2m]
 *   geodesic: z0 [B, 2m], weights  ->  z(k t / n), k = 0..n   [B, n + 1, 2m]
 *
 * Gradients flow to z0 and to every weight of the metric network; the flow time t is treated as
 * data (no gradient), as in training. `exp` and `geodesic` return null where the fast path does not
 * apply, and the caller falls back to the op-by-op path:
 * - the backend is not 'cpu' or 'wasm' (tfjs-node and tfjs-node-gpu run the op-by-op graph natively),
 * - a solver other than RK4 is asked for, or z0 is not float32,
 * - the environment sets NGF_FAST=0 (to time or cross-check the op-by-op path),
 * - this JavaScript engine has no WebAssembly SIMD or shared memory.
 * NGF_FAST_THREADS=n splits each call's batch over n threads (default 1).
 */
import * as tf from '@tensorflow/tfjs-core';
import { availableParallelism } from 'node:os';
import type { GeodesicOptions } from '../geometry/geodesic';
import { metricLayerSizes, type MetricNetworkConfig } from '../nn/metricNetwork';
import type { Parameter } from '../nn/parameters';
import { perRowTime } from '../ode/inputs';
import { fastKernelSupported, GeodesicRk4Kernel, type MetricNetworkShape } from './kernel';

export interface FastGeodesicFlow {
  /** Threads each call's batch is split over. */
  readonly threads: number;
  /** exp(z, t) [B, 2m] by the fused kernel, or null where the fast path does not apply. */
  exp(z: tf.Tensor2D, options: GeodesicOptions): tf.Tensor2D | null;
  /** The whole geodesic [B, steps + 1, 2m] by the fused kernel, or null where it does not apply. */
  geodesic(z: tf.Tensor2D, options: GeodesicOptions): tf.Tensor3D | null;
  /** Ends the kernel's helper threads (a later call starts new ones). */
  dispose(): void;
}

const FAST_BACKENDS = new Set(['cpu', 'wasm']);

/** Why the fast path cannot run this call, or null if it can. */
export function fastPathRefusal(z: tf.Tensor, options: GeodesicOptions): string | null {
  if (process.env.NGF_FAST === '0') return 'NGF_FAST=0';
  if (!FAST_BACKENDS.has(tf.getBackend())) return `backend '${tf.getBackend()}'`;
  if ((options.solver ?? 'rk4') !== 'rk4') return `solver '${options.solver}'`;
  if (z.dtype !== 'float32') return `dtype ${z.dtype}`;
  if (!Number.isInteger(options.steps) || options.steps < 1) return `steps ${options.steps}`;
  if (!fastKernelSupported()) return 'no WebAssembly SIMD or shared memory';
  return null;
}

/**
 * The metric network's weights as [W_0, b_0, W_1, b_1, ...] checked against its config: parameter
 * paths must end in `layers.l.W` / `layers.l.b` with W [n_{l+1}, n_l] and b [n_{l+1}].
 */
function orderedWeights(config: MetricNetworkConfig, parameters: readonly Parameter[]): tf.Variable[] {
  const sizes = metricLayerSizes(config);
  const byPath = new Map(parameters.map((p) => [p.path.replace(/^.*?(layers\.\d+\.[Wb])$/, '$1'), p]));
  const ordered: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    for (const [name, shape] of [['W', [sizes[l + 1]!, sizes[l]!]], ['b', [sizes[l + 1]!]]] as const) {
      const p = byPath.get(`layers.${l}.${name}`);
      if (!p) throw new Error(`fast geodesic: metric network has no parameter layers.${l}.${name} (have ${parameters.map((q) => q.path).join(', ')})`);
      if (p.variable.shape.join() !== shape.join()) {
        throw new Error(`fast geodesic: parameter ${p.path} has shape [${p.variable.shape}], the config needs [${shape}]`);
      }
      ordered.push(p.variable);
    }
  }
  if (ordered.length !== parameters.length) {
    throw new Error(`fast geodesic: ${parameters.length} parameters for a metric network with ${ordered.length}`);
  }
  return ordered;
}

function concatenated(tensors: readonly tf.Tensor[]): Float32Array {
  const parts = tensors.map((t) => t.dataSync() as Float32Array);
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/** Per-sample step sizes h_b = t_b / steps in float32, as integrateFixed computes them. */
function stepSizes(t: tf.Tensor1D | number, batch: number, steps: number): Float32Array {
  if (typeof t === 'number') return new Float32Array(batch).fill(Math.fround(t) / steps);
  const rows = perRowTime(t, batch, 'fast geodesic', 't');
  return Float32Array.from(rows.dataSync(), (ti) => ti / steps);
}

/** Whether n is a thread count the kernel accepts (1 to 64). */
export function isKernelThreadCount(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 64;
}

/** Kernel threads from NGF_FAST_THREADS (`fallback` when unset), or an error naming the bad value. */
export function fastThreadsFromEnvironment(value = process.env.NGF_FAST_THREADS, fallback = 1): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!isKernelThreadCount(n)) throw new Error(`NGF_FAST_THREADS must be a whole number from 1 to 64, got '${value}'`);
  return n;
}

/**
 * Kernel threads for a training run: NGF_FAST_THREADS when set, else one per core up to 2. Two is
 * what was measured (README, Fast path: a toy-A training step 1.5-1.7x faster than on one thread on
 * an idle 2-core machine); TF.js's part of the step stays on one thread, so more pay less and less.
 */
export function trainingThreads(): number {
  return fastThreadsFromEnvironment(process.env.NGF_FAST_THREADS, Math.min(2, availableParallelism()));
}

/**
 * A fast geodesic flow for the metric network described by `config` with these `parameters`
 * (its `.parameters`, read afresh at every call, so training updates are seen). With `threads` > 1
 * the batch is split over that many kernel instances, all but one on helper threads.
 */
export function createFastGeodesicFlow(
  config: MetricNetworkConfig,
  parameters: readonly Parameter[],
  threads = fastThreadsFromEnvironment(),
): FastGeodesicFlow {
  const weights = orderedWeights(config, parameters);
  const shape: MetricNetworkShape = { sizes: metricLayerSizes(config), regularized: config.kind === 'NN_metric_regularized' };
  const m = config.dim;
  let kernel: GeodesicRk4Kernel | null = null;

  const run = (z: tf.Tensor2D, options: GeodesicOptions, trajectory: boolean): tf.Tensor | null => {
    if (fastPathRefusal(z, options) !== null) return null;
    if (z.rank !== 2 || z.shape[1] !== 2 * m) {
      throw new Error(`fast geodesic: tangent-bundle points must be [B, ${2 * m}] (x then v), got [${z.shape.join(', ')}]`);
    }
    kernel ??= new GeodesicRk4Kernel(threads);
    const k = kernel;
    const B = z.shape[0];
    const { steps } = options;
    const h = stepSizes(options.t, B, steps);
    const op = tf.customGrad((...args: unknown[]) => {
      const [z0, ...ws] = args.slice(0, -1) as tf.Tensor[];
      const w = concatenated(ws);
      const result = k.forward(shape, w, z0!.dataSync() as Float32Array, h, steps, trajectory);
      const value = trajectory ? tf.tensor3d(result.trajectory!, [B, steps + 1, 2 * m]) : tf.tensor2d(result.out, [B, 2 * m]);
      const gradFunc = (dy: tf.Tensor) => {
        const bar = dy.dataSync() as Float32Array;
        const grads = k.backward(shape, w, h, steps, result, trajectory ? null : bar, trajectory ? bar : null);
        let at = 0;
        const weightGrads = ws.map((wt) => {
          const g = tf.tensor(grads.weights.subarray(at, at + wt.size), wt.shape, 'float32');
          at += wt.size;
          return g;
        });
        return [tf.tensor2d(grads.z0, [B, 2 * m]), ...weightGrads];
      };
      return { value, gradFunc };
    });
    return (op as unknown as (...xs: tf.Tensor[]) => tf.Tensor)(z, ...weights);
  };

  return {
    threads,
    exp: (z, options) => run(z, options, false) as tf.Tensor2D | null,
    geodesic: (z, options) => run(z, options, true) as tf.Tensor3D | null,
    dispose: () => {
      kernel?.dispose();
      kernel = null;
    },
  };
}
