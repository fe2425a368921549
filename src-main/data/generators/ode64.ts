/**
 * Float64 ODE integration of one plain-array state, for generating ground-truth data.
 *
 * The training solvers (src-main/engine/ode) are batched float32 TF.js; ground truth needs float64
 * and tight tolerances instead. The methods are the same Butcher tableaux (engine/ode/tableaux.ts,
 * plain data), driven here by a scalar-time stepper on Float64Arrays.
 */
import { dopri5, rk4 } from '../../engine/ode/tableaux';
import type { ButcherTableau } from '../../engine/ode/types';

/** dz/dt = f(t, z) for one state z. */
export type Field64 = (t: number, z: Float64Array) => Float64Array;

/**
 * One explicit Runge-Kutta step of size h: k_i = f(t + c_i h, z + h sum_j a_ij k_j),
 * z_new = z + h sum_i b_i k_i. `firstStage` may pass k_1 = f(t, z) when it is already known
 * (first-same-as-last methods). Returns the new state and the stages.
 */
export function rkStep64(
  tableau: ButcherTableau,
  f: Field64,
  t: number,
  z: Float64Array,
  h: number,
  firstStage?: Float64Array,
): { z: Float64Array; k: Float64Array[] } {
  const k: Float64Array[] = [];
  for (let i = 0; i < tableau.c.length; i++) {
    if (i === 0 && firstStage) {
      k.push(firstStage);
      continue;
    }
    k.push(f(t + tableau.c[i]! * h, combine(z, h, tableau.a[i]!, k)));
  }
  return { z: combine(z, h, tableau.b, k), k };
}

/**
 * Classical RK4 through the output `times` (increasing; times[0] is the start), `substeps` equal
 * steps between consecutive outputs. Returns the state at every output time, z0 (a copy) first.
 */
export function integrateRk4(f: Field64, z0: ArrayLike<number>, times: readonly number[], substeps: number): Float64Array[] {
  if (!Number.isInteger(substeps) || substeps < 1) throw new RangeError(`integrateRk4: substeps must be an integer >= 1, got ${substeps}`);
  checkTimes(times, 'integrateRk4');
  let z: Float64Array = Float64Array.from(z0);
  const out = [z];
  for (let j = 1; j < times.length; j++) {
    const h = (times[j]! - times[j - 1]!) / substeps;
    for (let s = 0; s < substeps; s++) z = rkStep64(rk4, f, times[j - 1]! + s * h, z, h).z;
    out.push(z);
  }
  return out;
}

export interface AdaptiveOptions {
  /** Relative tolerance per component (default 1e-10). */
  rtol?: number;
  /** Absolute tolerance per component (default 1e-12). */
  atol?: number;
  /** Most steps (accepted + rejected) before giving up (default 1e6). */
  maxSteps?: number;
}

/**
 * Adaptive Dormand-Prince 5(4) through the output `times` (increasing; times[0] is the start).
 * Steps are shortened to land exactly on each output time, so no interpolation error enters the
 * outputs. Error control: RMS over components of err_i / (atol + rtol max(|z_i|, |z_new_i|)) <= 1,
 * step factor 0.9 err^(-1/5) clamped to [0.2, 5]. Returns the state at every output time, z0 first.
 */
export function integrateDopri5(
  f: Field64,
  z0: ArrayLike<number>,
  times: readonly number[],
  options: AdaptiveOptions = {},
): Float64Array[] {
  const rtol = options.rtol ?? 1e-10;
  const atol = options.atol ?? 1e-12;
  const maxSteps = options.maxSteps ?? 1_000_000;
  checkTimes(times, 'integrateDopri5');
  const bError = dopri5.bError!;
  let t = times[0]!;
  let z: Float64Array = Float64Array.from(z0);
  let dz = f(t, z);
  let h = initialStep(f, t, z, dz, rtol, atol);
  const out = [z];
  let steps = 0;
  for (let j = 1; j < times.length; j++) {
    const target = times[j]!;
    while (t < target) {
      if (++steps > maxSteps) throw new Error(`integrateDopri5: more than ${maxSteps} steps at t = ${t} (step ${h}): stiff or singular problem?`);
      const landing = t + h >= target;
      const step = landing ? target - t : h;
      const { z: next, k } = rkStep64(dopri5, f, t, z, step, dz);
      const error = combine(new Float64Array(z.length), step, bError, k);
      let sum = 0;
      for (let i = 0; i < z.length; i++) {
        const scale = atol + rtol * Math.max(Math.abs(z[i]!), Math.abs(next[i]!));
        sum += (error[i]! / scale) ** 2;
      }
      const norm = Math.sqrt(sum / z.length);
      if (!Number.isFinite(norm)) throw new Error(`integrateDopri5: the state became non-finite near t = ${t}`);
      if (norm <= 1) {
        t = landing ? target : t + step;
        z = next;
        dz = k[k.length - 1]!; // first same as last: the 7th stage is f(t + h, z_new)
      }
      // A shortened landing step says nothing about the step size the dynamics allow: keep h then.
      if (!(landing && norm <= 1)) h = step * Math.min(5, Math.max(0.2, 0.9 * Math.pow(Math.max(norm, 1e-10), -1 / 5)));
    }
    out.push(z);
  }
  return out;
}

/** z + h sum_i w_i k_i, skipping zero weights. */
function combine(z: Float64Array, h: number, weights: readonly number[], k: readonly Float64Array[]): Float64Array {
  const out = Float64Array.from(z);
  for (let i = 0; i < k.length; i++) {
    const w = weights[i] ?? 0;
    if (w === 0) continue;
    const ki = k[i]!;
    for (let d = 0; d < out.length; d++) out[d]! += h * w * ki[d]!;
  }
  return out;
}

/** Starting step size (Hairer, Norsett & Wanner, Solving ODEs I, II.4). */
function initialStep(f: Field64, t: number, z: Float64Array, dz: Float64Array, rtol: number, atol: number): number {
  const rms = (v: Float64Array) => Math.sqrt(v.reduce((s, x, i) => s + (x / (atol + rtol * Math.abs(z[i]!))) ** 2, 0) / v.length);
  const d0 = rms(z);
  const d1 = rms(dz);
  const h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  const z1 = combine(z, h0, [1], [dz]);
  const dz1 = f(t + h0, z1);
  const d2 = rms(dz1.map((x, i) => x - dz[i]!)) / h0;
  const h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 1 / 5);
  return Math.min(100 * h0, h1);
}

function checkTimes(times: readonly number[], who: string): void {
  if (times.length < 1) throw new RangeError(`${who}: times must hold at least the start time`);
  for (let j = 0; j < times.length; j++) {
    if (!Number.isFinite(times[j]!)) throw new RangeError(`${who}: times[${j}] = ${times[j]} is not finite`);
    if (j > 0 && !(times[j]! > times[j - 1]!)) throw new RangeError(`${who}: times must increase strictly, but times[${j}] = ${times[j]} <= times[${j - 1}] = ${times[j - 1]}`);
  }
}
