/**
 * Energy conservation over long rollouts.
 *
 * From each initial state the flow is integrated through the rollout grid (usually many times the
 * data's span) and two energies are followed along the way:
 * - the model's own conserved quantity on the flow-space states (NGF: g_x(v, v) of the latent state,
 *   HNN: the learned H), which the exact flow conserves, so its drift is solver error alone;
 * - the system's true energy E_true of the decoded states, when the system is known.
 * Per time: the relative drift |E(t) - E(0)| / |E(0)| over initial states as mean, median and
 * quartiles (samples with E(0) = 0 are left out). Summaries: the drift at the last time, the
 * largest drift anywhere, and how many samples diverged (NaN or infinite energy), which are left out
 * of the maximum and the MSE rather than turning them into NaN.
 * The energy MSE of the Hamiltonian-NN paper is mean over samples and times of
 * (E_true(x(t)) - E_true(x_hat(t)))^2, x(t) the true state where there is one at that time (data or
 * the system's true field, see ./evaluationSet.ts), else the true initial state x(0) (the true flow
 * conserves E_true, so that is the same reference up to the true solver's error).
 */
import type { NamedSeries } from '../../../src-shared/api';
import type { FlowRollout } from './rollout';
import { spread, type Spread } from './stats';
import type { KnownSystem } from './systems';

export interface DriftSummary {
  /** What was followed: 'g(v, v)', 'H' or the system's true energy. */
  quantity: string;
  /** Relative drift at the last output time, over samples. */
  final: Spread;
  /** The largest relative drift over every sample and time (diverged samples left out). */
  max: number;
  /** Samples whose energy became NaN or infinite somewhere (a diverged rollout). */
  diverged: number;
  /** The energy at t = 0, over samples. */
  initial: Spread;
}

export interface EnergyConservation {
  summary: {
    integrator: string;
    /** Rollout length (time from the start). */
    duration: number;
    samples: number;
    fevals: number;
    conserved: DriftSummary | null;
    trueEnergy: (DriftSummary & { system: string; mse: number; mseReference: 'true states' | 'initial state' | 'both' }) | null;
  };
  series: NamedSeries[];
}

export interface EnergyOptions {
  system: KnownSystem | null;
  /** True states on the rollout's grid [B, K, D] and where they are known (./evaluationSet.ts truthOnGrid). */
  truth: { states: Float64Array; known: boolean[] } | null;
}

/** drift[b][k] = |E[b, k] - E[b, 0]| / |E[b, 0]|, NaN where E[b, 0] = 0. */
function relativeDrift(energy: ArrayLike<number>, B: number, K: number): number[][] {
  return Array.from({ length: B }, (_, b) => {
    const e0 = energy[b * K]!;
    return Array.from({ length: K }, (_, k) => (e0 === 0 ? NaN : Math.abs(energy[b * K + k]! - e0) / Math.abs(e0)));
  });
}

function driftSeries(name: string, drift: number[][], times: number[]): { series: NamedSeries[]; final: Spread; max: number; diverged: number } {
  const perTime = times.map((_, k) => spread(drift.map((row) => row[k]!)));
  const finiteMax = drift.flat().reduce((m, d) => (Number.isFinite(d) ? Math.max(m, d) : m), 0);
  const x = times.map((t) => t - times[0]!);
  const pick = (key: keyof Spread) => perTime.map((s) => s[key]);
  return {
    series: [
      { name, x, y: pick('mean') },
      { name: `${name}.median`, x, y: pick('median') },
      { name: `${name}.q1`, x, y: pick('q1') },
      { name: `${name}.q3`, x, y: pick('q3') },
    ],
    final: perTime[perTime.length - 1]!,
    max: finiteMax,
    diverged: drift.filter((row) => !Number.isFinite(row[0]!) || row.some((d) => !Number.isFinite(d))).length,
  };
}

/** Follows the conserved and the true energy along a rollout (./rollout.ts). */
export function energyConservation(rollout: FlowRollout, options: EnergyOptions): EnergyConservation {
  const { system, truth } = options;
  const { count: B, points: K, dataDim: D, conserved, decoded, times } = rollout;
  const series: NamedSeries[] = [];
  const summary: EnergyConservation['summary'] = {
    integrator: rollout.integrator,
    duration: times[K - 1]! - times[0]!,
    samples: B,
    fevals: rollout.fevals,
    conserved: null,
    trueEnergy: null,
  };
  if (conserved && rollout.conservedName) {
    const drift = driftSeries('energy.conserved', relativeDrift(conserved, B, K), times);
    series.push(...drift.series);
    const initialValues = Array.from({ length: B }, (_, b) => conserved[b * K]!);
    summary.conserved = { quantity: rollout.conservedName, final: drift.final, max: drift.max, diverged: drift.diverged, initial: spread(initialValues) };
  }
  if (system) {
    if (system.dim !== D) throw new Error(`analysis: the ${system.name} system has states of length ${system.dim}, the data has D = ${D}`);
    const predicted = Float64Array.from({ length: B * K }, (_, i) => system.energy(decoded.subarray(i * D, (i + 1) * D)));
    const drift = driftSeries('energy.true', relativeDrift(predicted, B, K), times);
    series.push(...drift.series);
    const x0 = rollout.initial;
    // Mean over the samples that stayed finite (the diverged ones are counted in `diverged`).
    let sum = 0;
    let terms = 0;
    let usedTruth = false;
    let usedInitial = false;
    for (let b = 0; b < B; b++) {
      const eInitial = system.energy(x0.subarray(b * D, (b + 1) * D));
      let rowSum = 0;
      for (let k = 0; k < K; k++) {
        const known = truth?.known[k] ?? false;
        const reference = known ? system.energy(truth!.states.subarray((b * K + k) * D, (b * K + k + 1) * D)) : eInitial;
        usedTruth ||= known;
        usedInitial ||= !known;
        rowSum += (reference - predicted[b * K + k]!) ** 2;
      }
      if (Number.isFinite(rowSum)) {
        sum += rowSum;
        terms += K;
      }
    }
    summary.trueEnergy = {
      quantity: `${system.name} energy`,
      system: system.name,
      final: drift.final,
      max: drift.max,
      diverged: drift.diverged,
      initial: spread(Array.from({ length: B }, (_, b) => predicted[b * K]!)),
      mse: terms ? sum / terms : NaN,
      mseReference: usedTruth && usedInitial ? 'both' : usedTruth ? 'true states' : 'initial state',
    };
  }
  return { summary, series };
}
