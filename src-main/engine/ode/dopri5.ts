/**
 * Adaptive Dormand-Prince 5(4) integration with dense output.
 *
 * Step-size control (Hairer, Norsett & Wanner, Solving ODEs I, II.4 and the DOPRI5 code): the local
 * error estimate e = h sum_i bError_i k_i is measured as
 *   err = max_b sqrt(mean_d (e_bd / (atol + rtol max(|z_bd|, |z_new,bd|)))^2),
 * i.e. RMS over the state and worst row of the batch, so the whole batch shares one step size
 * (decided in JS after a dataSync). A step is accepted when err <= 1; the next step is h times the
 * PI factor safety err^-alpha errPrev^beta (clamped to [0.2, 10], no growth right after a rejection).
 * The first step comes from Hairer's starting-step heuristic. Output times are not stepped to:
 * values between steps come from the 4th-order continuous extension (tableau.dense), so the step
 * sequence depends on the tolerances only.
 *
 * Gradients: the accepted step sizes are plain numbers, i.e. constants for the tape, so autodiff
 * differentiates the discrete solution with respect to z0 and to variables inside f.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkInitialState } from './inputs';
import { rkStep, weightedSum } from './rungeKutta';
import { dopri5 } from './tableaux';
import { resolveTimeGrid } from './timeGrid';
import type { VectorField } from './types';

export interface AdaptiveOptions {
  /**
   * Output times, strictly increasing; the first is t0. Shared by all rows as number[] or [T], or per
   * row as [B, T] when each row is t0_b + s (t1_b - t0_b) on one common grid s (see ./timeGrid.ts).
   */
  times: number[] | tf.Tensor1D | tf.Tensor2D;
  /** Relative tolerance, default 1e-5 (float32 round-off dominates below about 1e-6). */
  rtol?: number;
  /** Absolute tolerance, default 1e-6. */
  atol?: number;
  /** Most step attempts (accepted + rejected) before giving up with an error, default 10000. */
  maxSteps?: number;
  /** 'trajectory' (default): [B, T, D] at every output time; 'final': [B, D] at the last one. */
  output?: 'trajectory' | 'final';
}

export interface SolverStats {
  /** Accepted steps. */
  steps: number;
  /** Rejected step attempts. */
  rejected: number;
  /** Evaluations of the vector field (batched calls). */
  fevals: number;
}

export interface AdaptiveSolution<Z extends tf.Tensor2D | tf.Tensor3D> {
  z: Z;
  stats: SolverStats;
}

const SAFETY = 0.9;
const MIN_FACTOR = 0.2;
const MAX_FACTOR = 10;
/** PI exponents of DOPRI5: beta = 0.04, alpha = 1/5 - 0.75 beta. */
const BETA = 0.04;
const ALPHA = 0.2 - 0.75 * BETA;
/** Smallest step relative to max(|t|, span) before giving up; float32 states gain nothing below it. */
const MIN_RELATIVE_STEP = 1e-12;
/** Stages with a non-zero dense-output polynomial (dopri5's second stage has none). */
const DENSE_STAGES = dopri5.dense!.map((row, i) => (row.some((c) => c !== 0) ? i : -1)).filter((i) => i >= 0);

/** max over rows of the RMS over the state of x / (atol + rtol max(|a|, |b|)), as a number. */
function scaledNorm(x: tf.Tensor2D, a: tf.Tensor2D, b: tf.Tensor2D, rtol: number, atol: number): number {
  const norm = tf.tidy(() => {
    const scale = tf.add(atol, tf.mul(rtol, tf.maximum(tf.abs(a), tf.abs(b))));
    return tf.max(tf.sqrt(tf.mean(tf.square(tf.div(x, scale)), 1)));
  });
  const value = norm.dataSync()[0]!;
  norm.dispose();
  return value;
}

/** Hairer's starting step: h0 from |z0| / |f0|, refined by a second-derivative estimate. */
function initialStep(field: VectorField, t0: number, z0: tf.Tensor2D, f0: tf.Tensor2D, span: number, rtol: number, atol: number): number {
  const batch = z0.shape[0];
  const d0 = scaledNorm(z0, z0, z0, rtol, atol);
  const d1 = scaledNorm(f0, z0, z0, rtol, atol);
  const h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  const d2 = tf.tidy(() => {
    const f1 = field(tf.fill([batch], t0 + h0), tf.add(z0, tf.mul(f0, h0)));
    return scaledNorm(tf.sub(f1, f0), z0, z0, rtol, atol) / h0;
  });
  const dMax = Math.max(d1, d2);
  if (!Number.isFinite(d0 + dMax)) throw new Error(`dopri5: the initial state or the field at t0 = ${t0} is not finite`);
  const h1 = dMax <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / dMax) ** (1 / dopri5.order);
  return Math.min(100 * h0, h1, span);
}

/** z(t + theta_j h) for each theta_j in (0, 1), as [n, B, D]: z + h sum_i b_i(theta_j) k_i in one matMul. */
function denseOutput(z: tf.Tensor2D, k: tf.Tensor2D[], h: number, thetas: number[]): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, dim] = z.shape;
    const weights = thetas.map((theta) =>
      DENSE_STAGES.map((i) => h * dopri5.dense![i]!.reduce((sum, c, p) => sum + c * theta ** (p + 1), 0)),
    );
    const slopes = tf.reshape(tf.stack(DENSE_STAGES.map((i) => k[i]!)), [DENSE_STAGES.length, batch * dim]) as tf.Tensor2D;
    const increments = tf.reshape(tf.matMul(tf.tensor2d(weights), slopes), [thetas.length, batch, dim]);
    return tf.add(z, increments) as tf.Tensor3D;
  });
}

function checkOptions(opts: AdaptiveOptions): { rtol: number; atol: number; maxSteps: number; output: 'trajectory' | 'final' } {
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-6;
  const maxSteps = opts.maxSteps ?? 10_000;
  const output = opts.output ?? 'trajectory';
  if (!(Number.isFinite(rtol) && rtol >= 0)) throw new Error(`dopri5: rtol must be a finite number >= 0, got ${rtol}`);
  if (!(Number.isFinite(atol) && atol >= 0)) throw new Error(`dopri5: atol must be a finite number >= 0, got ${atol}`);
  if (rtol === 0 && atol === 0) throw new Error('dopri5: rtol and atol cannot both be 0');
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new Error(`dopri5: maxSteps must be an integer >= 1, got ${maxSteps}`);
  if (output !== 'trajectory' && output !== 'final') throw new Error(`dopri5: output must be 'trajectory' or 'final', got '${String(output)}'`);
  return { rtol, atol, maxSteps, output };
}

export function integrateAdaptive(f: VectorField, z0: tf.Tensor2D, opts: AdaptiveOptions & { output: 'final' }): AdaptiveSolution<tf.Tensor2D>;
export function integrateAdaptive(f: VectorField, z0: tf.Tensor2D, opts: AdaptiveOptions & { output?: 'trajectory' }): AdaptiveSolution<tf.Tensor3D>;
export function integrateAdaptive(f: VectorField, z0: tf.Tensor2D, opts: AdaptiveOptions): AdaptiveSolution<tf.Tensor2D | tf.Tensor3D>;
export function integrateAdaptive(f: VectorField, z0: tf.Tensor2D, opts: AdaptiveOptions): AdaptiveSolution<tf.Tensor2D | tf.Tensor3D> {
  const { rtol, atol, maxSteps, output } = checkOptions(opts);
  checkInitialState(z0, 'dopri5');
  const batch = z0.shape[0];
  const stats: SolverStats = { steps: 0, rejected: 0, fevals: 0 };
  const z = tf.tidy(() => {
    const { grid, field } = resolveTimeGrid(opts.times, f, batch, 'dopri5');
    const tEnd = grid[grid.length - 1]!;
    const chunks: tf.Tensor3D[] = output === 'trajectory' ? [tf.expandDims(z0, 0) as tf.Tensor3D] : [];
    let nextOutput = 1;
    let t = grid[0]!;
    let zt = z0;
    let k1 = field(tf.fill([batch], t), z0);
    let h = initialStep(field, t, z0, k1, tEnd - t, rtol, atol);
    stats.fevals += 2;
    let errPrev = 1e-4;
    let justRejected = false;
    while (t < tEnd) {
      if (stats.steps + stats.rejected >= maxSteps) {
        throw new Error(
          `dopri5: maxSteps = ${maxSteps} exceeded at t = ${t} before reaching ${tEnd} ` +
            `(${stats.steps} accepted, ${stats.rejected} rejected steps, last step size ${h}); ` +
            'raise maxSteps or loosen rtol/atol',
        );
      }
      // Stretch a step that would end just short of tEnd rather than leave a sliver for the next one.
      const tNew = t + 1.01 * h >= tEnd ? tEnd : t + h;
      const dt = tNew - t;
      const trial = tf.tidy(() => {
        const step = rkStep(dopri5, field, tf.fill([batch], t), zt, tf.fill([batch], dt), k1);
        const error = weightedSum(dopri5.bError!.map((w) => w * dt), step.k)!;
        return { ...step, error };
      });
      stats.fevals += dopri5.b.length - 1;
      const err = scaledNorm(trial.error, zt, trial.z, rtol, atol);
      trial.error.dispose();
      if (err <= 1) {
        if (output === 'trajectory') {
          const inside: number[] = [];
          while (nextOutput < grid.length && grid[nextOutput]! < tNew) inside.push((grid[nextOutput++]! - t) / dt);
          if (inside.length > 0) chunks.push(denseOutput(zt, trial.k, dt, inside));
          if (nextOutput < grid.length && grid[nextOutput] === tNew) {
            chunks.push(tf.expandDims(trial.z, 0) as tf.Tensor3D);
            nextOutput++;
          }
        }
        if (zt !== z0) zt.dispose();
        trial.k.slice(0, -1).forEach((k) => k.dispose());
        zt = trial.z;
        k1 = trial.k[trial.k.length - 1]!;
        t = tNew;
        stats.steps++;
        const factor = err === 0 ? MAX_FACTOR : SAFETY * err ** -ALPHA * errPrev ** BETA;
        h = dt * Math.min(justRejected ? 1 : MAX_FACTOR, Math.max(MIN_FACTOR, factor));
        errPrev = Math.max(err, 1e-4);
        justRejected = false;
      } else {
        // k1 = f(t, z) is still valid for the retry; everything else of the trial goes.
        trial.z.dispose();
        trial.k.slice(1).forEach((k) => k.dispose());
        stats.rejected++;
        // A non-finite error (overflow, NaN in f) shrinks the step as far as allowed.
        h = dt * (Number.isFinite(err) ? Math.max(MIN_FACTOR, SAFETY * err ** -0.2) : MIN_FACTOR);
        justRejected = true;
      }
      // A step this small relative to the span means the field is singular or non-finite here.
      if (t < tEnd && !(h > MIN_RELATIVE_STEP * Math.max(Math.abs(t), tEnd - grid[0]!))) {
        throw new Error(`dopri5: step size underflow (h = ${h}) at t = ${t} after ${stats.steps} steps; the field may be non-finite or too stiff`);
      }
    }
    if (output === 'final') return zt;
    return tf.transpose(tf.concat(chunks, 0), [1, 0, 2]);
  }) as tf.Tensor2D | tf.Tensor3D;
  return { z, stats };
}
