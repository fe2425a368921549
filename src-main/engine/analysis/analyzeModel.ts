/**
 * `analyzeModel(model, dataset, options)`: every analysis measure of a trained model on a dataset,
 * as the plain JSON the workbench's AnalysisReport carries (src-shared/api.ts, naming conventions in
 * src-shared/analysisReport.ts): headline `scalars`, plot-ready `series` and per-section payloads.
 *
 * Sections (options.sections, default all):
 * - prediction: rollouts from the data's initial states to `horizon` x the data's span, error vs time
 *   against the true states (./extrapolation.ts), best/median/worst samples;
 * - energy: drift of the model's conserved quantity and of the system's true energy along the same
 *   rollouts, energy MSE (./energy.ts);
 * - reversibility: round-trip and reversal errors per solver over the data's span (./reversibility.ts);
 * - resolution: prediction on the data's grid vs a 4x finer one (./resolution.ts);
 * - reconstruction: MSE of decode(encode(y)) (NGF);
 * - metric: det g, eigenvalues and Gaussian curvature over the encoded data's chart box (NGF, m = 2);
 * - geodesics: latent curves of a few samples over the chart (NGF, m = 2).
 * Rollouts use the model's own solver and steps unless told otherwise. A section that does not apply
 * to the model holds { skipped: reason } instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ANALYSIS_SECTIONS, type AnalysisReport, type AnalysisSection } from '../../../src-shared/api';
import { REVERSIBILITY_PREFIX } from '../../../src-shared/analysisReport';
import type { Dataset } from '../../data/dataset';
import type { Model } from '../models/types';
import type { SolverName } from '../ode/types';
import { energyConservation } from './energy';
import { evaluationSet, PAIR_OUTPUTS_PER_SPAN, rolloutGrid, truthOnGrid } from './evaluationSet';
import { extrapolation } from './extrapolation';
import { modelFlow, type ModelFlow } from './flow';
import { chartBox, learnedGeometry } from './geometry';
import { integratorFor, propagate, type Integrator } from './propagate';
import { resolutionInvariance, type PredictFn } from './resolution';
import { reversibility } from './reversibility';
import { rolloutFlow } from './rollout';
import { knownSystem } from './systems';

export interface AnalyzeOptions {
  /** Default: all of ANALYSIS_SECTIONS. */
  sections?: readonly AnalysisSection[];
  /** Samples evaluated, evenly spread over the dataset (0: all; default 0). */
  maxSamples?: number;
  /** Rollout length as a multiple of the data's span (default 1). */
  horizon?: number;
  /** Rollout length in time units; overrides `horizon`. */
  horizonTime?: number;
  /** Rollout solver (default: the model's own). */
  solver?: SolverName;
  /** Fixed-step steps per data interval (default: the model's own). */
  stepsPerInterval?: number;
  /** dopri5 tolerances (default: the model's own, else 1e-6, 1e-8). */
  rtol?: number;
  atol?: number;
  reversibility?: {
    /** Flow time T (default: the data's span). */
    time?: number;
    /** Fixed steps over T (default: as many as the model takes over the data's span). */
    steps?: number;
    /** Default euler, midpoint, rk4, dopri5. */
    solvers?: SolverName[];
  };
  /** Short system name (two-body, spring, pendulum, sphere, torus) for the true energy; 'none' or null: unknown. */
  system?: string | null;
  /** Time from the start that the model was trained on, for errors before/after it. */
  trainHorizon?: number | null;
  /** Heat-map points per side (default 25). */
  gridResolution?: number;
  /** Refinement of the finer output grid (default 4). */
  refine?: number;
}

/** Exactly the figures of an AnalysisReport (the service adds run, dataset, time and options). */
export type AnalysisResult = Pick<AnalysisReport, 'scalars' | 'series' | 'sections'>;

const DEFAULT_RTOL = 1e-6;
const DEFAULT_ATOL = 1e-8;
const GEODESIC_CURVES = 8;

function isModel(subject: Model | ModelFlow): subject is Model {
  return typeof (subject as Model).predict === 'function';
}

export function analyzeModel(subject: Model | ModelFlow, dataset: Dataset, options: AnalyzeOptions = {}): AnalysisResult {
  const flow = isModel(subject) ? modelFlow(subject) : subject;
  if (dataset.dim !== flow.dataDim) throw new Error(`${dataset.source}: the dataset has D = ${dataset.dim} but the model expects D = ${flow.dataDim}`);
  const sections = new Set<AnalysisSection>(options.sections ?? ANALYSIS_SECTIONS);
  for (const section of sections) {
    if (!(ANALYSIS_SECTIONS as readonly string[]).includes(section)) throw new Error(`analysis: unknown section '${section}', expected one of ${ANALYSIS_SECTIONS.join(', ')}`);
  }
  const set = evaluationSet(dataset, options.maxSamples ?? 0);
  const system = knownSystem(options.system ?? 'none');
  const rtol = options.rtol ?? flow.defaults.rtol ?? DEFAULT_RTOL;
  const atol = options.atol ?? flow.defaults.atol ?? DEFAULT_ATOL;
  const pairs = set.format === 'inputs-targets';
  // Steps per output interval of the rollout grid, so that the model integrates as it was trained.
  const modelSteps = pairs ? Math.max(1, Math.round(flow.defaults.pairSteps / PAIR_OUTPUTS_PER_SPAN)) : flow.defaults.stepsPerInterval;
  const steps = options.stepsPerInterval ?? modelSteps;
  const integrator = integratorFor(options.solver ?? flow.defaults.solver, { steps, rtol, atol });
  const duration = options.horizonTime ?? (options.horizon ?? 1) * set.span;
  const trainHorizon = options.trainHorizon ?? null;

  const result: AnalysisResult = { scalars: {}, series: [], sections: {} };
  const scalar = (name: string, value: number | null | undefined) => {
    if (value !== null && value !== undefined && Number.isFinite(value)) result.scalars[name] = value;
  };
  const initial = tf.tensor2d(set.initial, [set.count, set.dim]);
  try {
    const needsRollout = (['prediction', 'energy', 'geodesics'] as const).some((s) => sections.has(s));
    const grid = rolloutGrid(set, duration);
    const rollout = needsRollout ? rolloutFlow(flow, set.initial, grid, integrator) : null;
    const truth = needsRollout ? truthOnGrid(set, grid, system) : null;

    if (rollout && truth && sections.has('prediction')) {
      const x = extrapolation(rollout, { truth, trainHorizon, rows: set.rows });
      result.series.push(...x.series);
      result.sections.prediction = { ...x.summary, samples: x.samples };
      scalar('predictionMse', x.summary.mse);
      scalar('extrapolation.mseEnd', x.summary.at[x.summary.at.length - 1]?.mse);
      scalar('extrapolation.mseWithinHorizon', x.summary.mseWithinHorizon);
      scalar('extrapolation.mseBeyondHorizon', x.summary.mseBeyondHorizon);
    }

    if (rollout && sections.has('energy')) {
      const e = energyConservation(rollout, { system, truth });
      result.series.push(...e.series);
      const notes = [
        ...(e.summary.conserved ? [] : [`a ${flow.kind} model conserves no quantity of its own`]),
        ...(system ? [] : ['no system given, so no true energy']),
      ];
      result.sections.energy = notes.length ? { ...e.summary, notes } : e.summary;
      scalar('energy.conserved.maxDrift', e.summary.conserved?.max);
      scalar('energy.conserved.finalDriftMedian', e.summary.conserved?.final.median);
      scalar('energy.true.maxDrift', e.summary.trueEnergy?.max);
      scalar('energy.true.finalDriftMedian', e.summary.trueEnergy?.final.median);
      scalar('energyMse', e.summary.trueEnergy?.mse);
    }

    if (sections.has('reversibility')) {
      const r = options.reversibility ?? {};
      const reversalSteps = r.steps ?? steps * (pairs ? PAIR_OUTPUTS_PER_SPAN : set.times.length - 1);
      const integrators: Integrator[] = (r.solvers ?? ['euler', 'midpoint', 'rk4', 'dopri5']).map((solver) =>
        integratorFor(solver, { steps: reversalSteps, rtol, atol }),
      );
      const figures = reversibility(flow, initial, { time: r.time ?? set.span, t0: set.times[0], integrators });
      result.sections.reversibility = { time: r.time ?? set.span, space: flow.kind === 'ngf' || flow.kind === 'geodesic' ? 'latent' : 'data', figures };
      for (const f of figures) {
        scalar(`${REVERSIBILITY_PREFIX}roundTrip.${f.solver}`, f.roundTrip.mean);
        scalar(`${REVERSIBILITY_PREFIX}reversal.${f.solver}`, f.reversal.mean);
      }
    }

    if (sections.has('resolution')) {
      const dopri: PredictFn = (y, times) =>
        tf.tidy(() => {
          const z = propagate(flow.field, flow.encode(y), Array.from(times.dataSync().subarray(0, times.shape[1])), { solver: 'dopri5', rtol, atol }).z;
          const [B, T] = z.shape;
          return tf.reshape(flow.decode(tf.reshape(z, [B * T, flow.flowDim]) as tf.Tensor2D), [B, T, flow.dataDim]) as tf.Tensor3D;
        });
      const refine = options.refine ?? 4;
      const figures = [resolutionInvariance('dopri5 (dense output)', dopri, initial, set.times, refine)];
      if (isModel(subject)) figures.unshift(resolutionInvariance('model.predict', (y, t) => subject.predict(y, t), initial, set.times, refine));
      result.sections.resolution = {
        figures,
        pointClouds: 'not applicable: no model in the workbench has point-cloud states',
      };
      for (const f of figures) scalar(`resolution.${f.method === 'model.predict' ? 'predict' : 'dopri5'}.maxRelative`, f.relative.max);
    }

    const latent = flow.metric !== null;
    if (sections.has('reconstruction')) {
      if (!latent) result.sections.reconstruction = { skipped: `a ${flow.kind} model has no encoder` };
      else {
        const mse = tf.tidy(() => {
          const y = tf.tensor2d(set.states, [set.states.length / set.dim, set.dim]);
          return tf.mean(tf.squaredDifference(flow.decode(flow.encode(y)), y)).dataSync()[0]!;
        });
        result.sections.reconstruction = { mse, states: set.states.length / set.dim };
        scalar('reconstructionMse', mse);
      }
    }

    const chart2d = flow.metric?.dim === 2;
    if (sections.has('metric')) {
      if (!chart2d) result.sections.metric = { skipped: 'heat maps need a geodesic flow with a 2-dimensional latent chart' };
      else {
        const positions = tf.tidy(() => {
          const y = tf.tensor2d(set.states, [set.states.length / set.dim, set.dim]);
          return tf.slice(flow.encode(y), [0, 0], [-1, 2]) as tf.Tensor2D;
        });
        const box = chartBox(positions);
        positions.dispose();
        const geometry = learnedGeometry(flow.metric!, box, options.gridResolution ?? 25);
        result.sections.metric = { ...geometry.heatmap, summary: geometry.summary };
        scalar('geometry.detG.median', geometry.summary.detG.median);
        scalar('geometry.curvature.median', geometry.summary.curvature.median);
      }
    }

    if (rollout && sections.has('geodesics')) {
      if (!chart2d) result.sections.geodesics = { skipped: 'latent curves need a geodesic flow with a 2-dimensional latent chart' };
      else {
        const { points: K, flowDim, flowStates } = rollout;
        const curves = set.rows.slice(0, GEODESIC_CURVES).map((row, b) => ({
          index: row,
          x: Array.from({ length: K }, (_, k) => flowStates[(b * K + k) * flowDim]!),
          y: Array.from({ length: K }, (_, k) => flowStates[(b * K + k) * flowDim + 1]!),
        }));
        result.sections.geodesics = { times: rollout.times, curves };
      }
    }
    return result;
  } finally {
    initial.dispose();
  }
}
