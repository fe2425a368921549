/**
 * The data an analysis runs on: initial states, the true states at the data's times, and the grid of
 * output times rollouts are made on (which may run past the data, up to the analysis horizon).
 *
 * Every row must share one time grid (as in all reference files): trajectories with equal rows of
 * `times`, input/target pairs with one flow time. The grid of a rollout is
 * - trajectories: the data's own times, continued past the end with their mean spacing;
 * - pairs: 7 points per flow time t (0, t/7, ..., t, ...), so that long rollouts give curves.
 * Past the data the truth comes from the system's true field (float64 Dormand-Prince, rtol 1e-10)
 * when the system is known and has one; otherwise there is none there.
 */
import type { Dataset, DatasetFormat } from '../../data/dataset';
import { integrateDopri5 } from '../../data/generators/ode64';
import type { KnownSystem } from './systems';

export interface EvaluationSet {
  source: string;
  format: DatasetFormat;
  /** The dataset rows used, in order. */
  rows: number[];
  count: number;
  dim: number;
  /** [B, D] row-major. */
  initial: Float32Array;
  /** Observation times shared by every row, times[0] the start ([0, t] for pairs). */
  times: number[];
  /** True states at `times`, [B, T, D] row-major: the trajectories, or (input, target). */
  states: Float32Array;
  /** times[T - 1] - times[0]. */
  span: number;
}

/** Relative tolerance for "the same time" (times are float32 data). */
const TIME_TOLERANCE = 1e-5;
/** Output points per flow time for input/target data. */
export const PAIR_OUTPUTS_PER_SPAN = 7;

/** Up to `maxSamples` rows (0: all), evenly spread over the dataset. */
export function evaluationSet(ds: Dataset, maxSamples = 0): EvaluationSet {
  if (!Number.isInteger(maxSamples) || maxSamples < 0) throw new Error(`analysis: maxSamples must be a whole number >= 0, got ${maxSamples}`);
  if (ds.n === 0) throw new Error(`${ds.source}: the dataset is empty`);
  const count = maxSamples === 0 ? ds.n : Math.min(ds.n, maxSamples);
  const rows = Array.from({ length: count }, (_, i) => Math.floor((i * ds.n) / count));
  const D = ds.dim;
  if (ds.format === 'inputs-targets') {
    const t = ds.times[0]!;
    ds.times.forEach((ti, i) => {
      if (Math.abs(ti - t) > TIME_TOLERANCE * Math.abs(t)) {
        throw new Error(`${ds.source}: key 'times': the analysis needs one flow time for all pairs, but row ${i} has ${ti} and row 0 has ${t}`);
      }
    });
    if (!(t > 0)) throw new Error(`${ds.source}: key 'times': the flow time must be positive, got ${t}`);
    const initial = new Float32Array(count * D);
    const states = new Float32Array(count * 2 * D);
    rows.forEach((row, b) => {
      const input = ds.inputs.subarray(row * D, (row + 1) * D);
      initial.set(input, b * D);
      states.set(input, 2 * b * D);
      states.set(ds.targets.subarray(row * D, (row + 1) * D), (2 * b + 1) * D);
    });
    return { source: ds.source, format: ds.format, rows, count, dim: D, initial, times: [0, t], states, span: t };
  }
  const T = ds.steps;
  if (T < 2) throw new Error(`${ds.source}: key 'trajectories': the analysis needs at least 2 time points, got ${T}`);
  const times = Array.from(ds.times.subarray(0, T));
  const span = times[T - 1]! - times[0]!;
  for (let i = 1; i < ds.n; i++) {
    for (let j = 0; j < T; j++) {
      if (Math.abs(ds.times[i * T + j]! - times[j]!) > TIME_TOLERANCE * span) {
        throw new Error(`${ds.source}: key 'times': the analysis needs one time grid for all trajectories, but row ${i} differs from row 0 at point ${j}`);
      }
    }
  }
  const initial = new Float32Array(count * D);
  const states = new Float32Array(count * T * D);
  rows.forEach((row, b) => {
    const trajectory = ds.trajectories.subarray(row * T * D, (row + 1) * T * D);
    states.set(trajectory, b * T * D);
    initial.set(trajectory.subarray(0, D), b * D);
  });
  return { source: ds.source, format: ds.format, rows, count, dim: D, initial, times, states, span };
}

export interface RolloutGrid {
  /** Output times, times[0] the data's start. */
  times: number[];
  /** For each output time, the index of the same time in the data, or -1. */
  dataIndex: number[];
}

/** The output grid from the data's start to start + `duration` (see the module comment). */
export function rolloutGrid(set: EvaluationSet, duration: number): RolloutGrid {
  if (!(duration > 0) || !Number.isFinite(duration)) throw new Error(`analysis: the rollout duration must be a positive number, got ${duration}`);
  const t0 = set.times[0]!;
  const end = t0 + duration;
  const slack = TIME_TOLERANCE * set.span;
  const intervals = set.format === 'inputs-targets' ? PAIR_OUTPUTS_PER_SPAN : set.times.length - 1;
  const dt = set.span / intervals;
  const times = set.format === 'trajectories' ? set.times.filter((t) => t <= end + slack) : [t0];
  while (times[times.length - 1]! + dt <= end + slack) times.push(t0 + Math.round((times[times.length - 1]! - t0) / dt + 1) * dt);
  if (times.length < 2) times.push(end);
  const dataIndex = times.map((t) => set.times.findIndex((s) => Math.abs(s - t) <= slack));
  return { times, dataIndex };
}

/**
 * True states on a grid [B, K, D] and which grid points have them: the data's where it has the time,
 * else the system's true field integrated from the initial state (when known), else none (NaN).
 */
export function truthOnGrid(set: EvaluationSet, grid: RolloutGrid, system: KnownSystem | null): { states: Float64Array; known: boolean[] } {
  const { count: B, dim: D } = set;
  const K = grid.times.length;
  const T = set.times.length;
  const states = new Float64Array(B * K * D).fill(NaN);
  const integrate = system?.field && system.dim === D && grid.dataIndex.some((j) => j < 0) ? system.field : null;
  for (let b = 0; b < B; b++) {
    const solved = integrate ? integrateDopri5((_t, z) => integrate(z), set.initial.subarray(b * D, (b + 1) * D), grid.times) : null;
    for (let k = 0; k < K; k++) {
      const j = grid.dataIndex[k]!;
      const at = (b * K + k) * D;
      if (j >= 0) states.set(set.states.subarray((b * T + j) * D, (b * T + j + 1) * D), at);
      else if (solved) states.set(solved[k]!, at);
    }
  }
  return { states, known: grid.dataIndex.map((j) => j >= 0 || integrate !== null) };
}
