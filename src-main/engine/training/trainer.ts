/**
 * The training loop: seeded mini-batch Adam on a model's loss, with per-epoch train and test losses.
 *
 * Epoch e visits the training samples in a permutation drawn from (seed, e) alone, so the same seed,
 * data and backend give the same losses, and a run resumed at epoch e continues exactly as if it had
 * not stopped (parameters and optimizer state come from the checkpoint). The last batch of an epoch
 * may be smaller. The reported train loss of an epoch is the sample-weighted mean of its batch
 * losses; the test loss is the model's loss on the whole test set after the epoch, in batches.
 *
 * Every step reads its loss back (needed for progress anyway) and stops the run with a
 * `NonFiniteLossError` naming the epoch, step and term as soon as a loss is NaN or infinite.
 * `shouldStop` is polled between steps (the loop yields to the event loop after each step so that a
 * worker can receive a cancel message).
 */
import * as tf from '@tensorflow/tfjs-core';
import { gradientsByPath } from '../nn/parameters';
import type { Adam } from '../optim/adam';
import type { Batch, Model } from '../models/types';
import { seededPermutation, type SampleSet } from './samples';

export interface LossFigures {
  loss: number;
  terms: Record<string, number>;
}

export interface EpochMetrics {
  /** 1-based number of the epoch just finished. */
  epoch: number;
  /** Optimizer steps taken so far in the run (resumed runs included). */
  step: number;
  train: LossFigures;
  test: LossFigures | null;
  /** Wall time of the epoch's training steps, then of its test evaluation. */
  seconds: number;
  testSeconds: number;
  /** Seconds since this training session started. */
  wallSeconds: number;
  samplesPerSecond: number;
}

export interface TrainingProgress {
  epoch: number;
  epochs: number;
  /** Steps taken so far in the run, and in all. */
  step: number;
  totalSteps: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  loss: number;
  terms: Record<string, number>;
  samplesPerSecond: number;
  /** Estimated seconds left, from the rate of this session's steps. */
  etaSeconds: number;
}

export interface TrainingOptions {
  /** Epoch to stop after (a resumed run counts the epochs already done). */
  epochs: number;
  batchSize: number;
  /** Seed of the per-epoch shuffling. */
  seed: number;
  /** Epochs and steps already done (resume); default 0. */
  startEpoch?: number;
  startStep?: number;
  /** Polled between steps; true stops the run ('cancelled'). */
  shouldStop?: () => boolean;
  /** Minimum ms between progress events (default 250; the last step of an epoch always reports). */
  progressIntervalMs?: number;
}

export interface TrainingHooks {
  onProgress?: (progress: TrainingProgress) => void;
  onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
}

export interface TrainingOutcome {
  status: 'completed' | 'cancelled';
  /** Epochs and steps done, counting from the start of the run (resumes included). */
  epochs: number;
  steps: number;
  history: EpochMetrics[];
  seconds: number;
}

/** A loss that came out NaN or infinite; training stops at once. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly term: string,
    readonly value: number,
  ) {
    super(`training stopped: non-finite loss at epoch ${epoch}, step ${step}: term '${term}' is ${value} (lower the learning rate?)`);
    this.name = 'NonFiniteLossError';
  }
}

function readFigures(total: tf.Scalar, terms: Record<string, tf.Scalar>): LossFigures {
  const out: Record<string, number> = {};
  for (const [name, t] of Object.entries(terms)) out[name] = t.dataSync()[0]!;
  return { loss: total.dataSync()[0]!, terms: out };
}

/** The first non-finite figure, terms before the total (the term is the more useful name). */
function nonFinite(figures: LossFigures): [string, number] | null {
  for (const [name, value] of Object.entries(figures.terms)) if (!Number.isFinite(value)) return [name, value];
  return Number.isFinite(figures.loss) ? null : ['total', figures.loss];
}

function accumulate(sum: LossFigures, figures: LossFigures, weight: number): void {
  sum.loss += figures.loss * weight;
  for (const [name, value] of Object.entries(figures.terms)) sum.terms[name] = (sum.terms[name] ?? 0) + value * weight;
}

function scaled(sum: LossFigures, factor: number): LossFigures {
  return { loss: sum.loss * factor, terms: Object.fromEntries(Object.entries(sum.terms).map(([k, v]) => [k, v * factor])) };
}

function batchRows(order: Int32Array, start: number, batchSize: number): Int32Array {
  return order.subarray(start, Math.min(order.length, start + batchSize));
}

/**
 * One optimizer step on `batch`: value and gradients of the loss for every parameter (an error names
 * any parameter the loss does not reach), then the Adam update. Returns the loss figures.
 */
export function trainStep(model: Model, optimizer: Adam, batch: Batch): LossFigures {
  let terms: Record<string, tf.Scalar> = {};
  const variables = model.parameters.map((p) => p.variable);
  const { value, grads } = tf.variableGrads(() => {
    const result = model.loss(batch);
    terms = Object.fromEntries(Object.entries(result.terms).map(([k, t]) => [k, tf.keep(t.clone())]));
    return result.total;
  }, variables);
  try {
    optimizer.apply(gradientsByPath(model.parameters, grads));
    return readFigures(value, terms);
  } finally {
    tf.dispose([value, ...Object.values(grads), ...Object.values(terms)]);
  }
}

/** The model's loss on every sample of `set`, as sample-weighted means over batches. */
export function evaluateLoss(model: Model, set: SampleSet, batchSize: number): LossFigures {
  const sum: LossFigures = { loss: 0, terms: {} };
  for (let start = 0; start < set.size; start += batchSize) {
    const rows = Int32Array.from({ length: Math.min(batchSize, set.size - start) }, (_, i) => start + i);
    tf.tidy(() => {
      const { total, terms } = model.loss(set.batch(rows));
      accumulate(sum, readFigures(total, terms), rows.length);
    });
  }
  return scaled(sum, 1 / set.size);
}

/** Seed of epoch e's shuffle: a hash of (seed, e), so epochs are independent of each other. */
function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(epoch, 0x85ebca6b)) >>> 0;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function train(
  model: Model,
  optimizer: Adam,
  sets: { train: SampleSet; test: SampleSet | null },
  options: TrainingOptions,
  hooks: TrainingHooks = {},
): Promise<TrainingOutcome> {
  const { epochs, batchSize, seed } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`epochs must be a whole number >= 0, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a whole number >= 1, got ${batchSize}`);
  if (sets.train.size === 0) throw new Error('the training set is empty');
  const stepsPerEpoch = Math.ceil(sets.train.size / batchSize);
  const startEpoch = options.startEpoch ?? 0;
  let step = options.startStep ?? 0;
  const totalSteps = step + Math.max(0, epochs - startEpoch) * stepsPerEpoch;
  const interval = options.progressIntervalMs ?? 250;
  const history: EpochMetrics[] = [];
  const runStart = performance.now();
  let sessionSteps = 0;
  let lastProgress = -Infinity;

  for (let epoch = startEpoch + 1; epoch <= epochs; epoch++) {
    const order = seededPermutation(sets.train.size, epochSeed(seed, epoch));
    const sum: LossFigures = { loss: 0, terms: {} };
    const epochStart = performance.now();
    for (let s = 0; s < stepsPerEpoch; s++) {
      if (options.shouldStop?.()) {
        return { status: 'cancelled', epochs: epoch - 1, steps: step, history, seconds: (performance.now() - runStart) / 1000 };
      }
      const rows = batchRows(order, s * batchSize, batchSize);
      const batch = sets.train.batch(rows);
      let figures: LossFigures;
      try {
        figures = trainStep(model, optimizer, batch);
      } finally {
        tf.dispose(Object.values(batch) as tf.Tensor[]);
      }
      step += 1;
      sessionSteps += 1;
      const bad = nonFinite(figures);
      if (bad) throw new NonFiniteLossError(epoch, step, bad[0], bad[1]);
      accumulate(sum, figures, rows.length);
      const now = performance.now();
      if (hooks.onProgress && (now - lastProgress >= interval || s === stepsPerEpoch - 1)) {
        lastProgress = now;
        const elapsed = (now - runStart) / 1000;
        const samplesDone = (epoch - startEpoch - 1) * sets.train.size + Math.min(sets.train.size, (s + 1) * batchSize);
        hooks.onProgress({
          epoch,
          epochs,
          step,
          totalSteps,
          stepInEpoch: s + 1,
          stepsPerEpoch,
          loss: figures.loss,
          terms: figures.terms,
          samplesPerSecond: samplesDone / elapsed,
          etaSeconds: (elapsed / sessionSteps) * (totalSteps - step),
        });
      }
      await yieldToEventLoop();
    }
    const seconds = (performance.now() - epochStart) / 1000;
    const testStart = performance.now();
    const test = sets.test && sets.test.size > 0 ? evaluateLoss(model, sets.test, batchSize) : null;
    const metrics: EpochMetrics = {
      epoch,
      step,
      train: scaled(sum, 1 / sets.train.size),
      test,
      seconds,
      testSeconds: (performance.now() - testStart) / 1000,
      wallSeconds: (performance.now() - runStart) / 1000,
      samplesPerSecond: sets.train.size / seconds,
    };
    history.push(metrics);
    await hooks.onEpoch?.(metrics);
  }
  return { status: 'completed', epochs: Math.max(epochs, startEpoch), steps: step, history, seconds: (performance.now() - runStart) / 1000 };
}
