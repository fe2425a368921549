/**
 * One training job from start to finish, as the worker thread (or a test, in process) runs it:
 * load the datasets, build the model (or resume it from a checkpoint), train with Adam, checkpoint
 * after every epoch, evaluate on the test set, and return a JSON-able summary.
 *
 * The test set is the `testPath` file when given, else a seeded fraction `testFraction` of the
 * training file's samples (none when 0). Checkpoints go to `checkpointDir` (see ./checkpoint.ts); with
 * `resume` an existing checkpoint there is continued up to `epochs` (its config and seed win).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pickRows, type Dataset } from '../../data/dataset';
import { loadDataset } from '../../data/datasetFile';
import { initBackend, type BackendChoice } from '../backend';
import { isKernelThreadCount, trainingThreads } from '../fast/fastGeodesic';
import { createModel } from '../models/registry';
import type { Model } from '../models/types';
import { Adam } from '../optim/adam';
import { bundleCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint';
import { evaluateModel, type EvaluationMetrics } from './evaluate';
import { GENERATORS } from '../../data/generators';
import { samplesFor, splitRows, type TrueField } from './samples';
import { train, type EpochMetrics, type LossFigures, type TrainingProgress } from './trainer';

export interface TrainingJobSpec {
  /** 'ngf' | 'hnn' | 'node' */
  model: string;
  /** Model config (JSON); missing keys take their defaults. */
  config?: unknown;
  trainPath: string;
  testPath?: string;
  /** Fraction of the training file held out as test set when there is no test file (default 0). */
  testFraction?: number;
  seed: number;
  epochs: number;
  batchSize: number;
  lr: number;
  /**
   * For derivative matching: the name of the dataset generator whose true vector field gives dz/dt
   * (else central differences of the data).
   */
  trueField?: string;
  checkpointDir?: string;
  /** Continue the checkpoint in checkpointDir if there is one. */
  resume?: boolean;
  backend?: BackendChoice | 'auto';
  /** CPU threads for the NGF's fused geodesic kernel (default: trainingThreads(), 2 on 2 cores). */
  threads?: number;
}

export interface TrainingJobEvents {
  onProgress?: (progress: TrainingProgress) => void;
  onEpoch?: (metrics: EpochMetrics) => void;
  onStatus?: (message: string) => void;
}

export interface TrainingJobResult {
  status: 'completed' | 'cancelled';
  model: string;
  backend: string;
  /** The kernel threads the model was given (only the NGF's fast path uses more than one). */
  threads: number;
  epochs: number;
  steps: number;
  seconds: number;
  /** The last epoch's losses (null when no epoch ran in this session). */
  train: LossFigures | null;
  test: LossFigures | null;
  /** The lowest per-epoch test loss of this session (null without a test set). */
  bestTestLoss: number | null;
  /** Figures on the whole test set after training (null without a test set). */
  evaluation: EvaluationMetrics | null;
  checkpointDir: string | null;
  /** The checkpoint folder packed into one file (for run stores); null without checkpointDir. */
  checkpointFile: string | null;
}

function checkSpec(spec: TrainingJobSpec): void {
  const whole = (key: 'epochs' | 'batchSize', min: number) => {
    if (!Number.isInteger(spec[key]) || spec[key] < min) throw new Error(`training job: ${key} must be a whole number >= ${min}, got ${spec[key]}`);
  };
  whole('epochs', 0);
  whole('batchSize', 1);
  if (!Number.isInteger(spec.seed)) throw new Error(`training job: seed must be a whole number, got ${spec.seed}`);
  if (spec.threads !== undefined && !isKernelThreadCount(spec.threads)) {
    throw new Error(`training job: threads must be a whole number from 1 to 64, got ${spec.threads}`);
  }
  if (!(spec.lr > 0) || !Number.isFinite(spec.lr)) throw new Error(`training job: lr must be a positive number, got ${spec.lr}`);
}

/** The named generator's true field as a `TrueField`; errors name unknown generators or ones without a field. */
function generatorField(name: string): TrueField {
  const generator = GENERATORS[name];
  if (!generator) throw new Error(`training job: trueField '${name}' is not a generator (known: ${Object.keys(GENERATORS).join(', ')})`);
  const field = generator.field;
  if (!field) throw new Error(`training job: the ${name} generator has no closed-form vector field`);
  return (states, dim) => {
    const out = new Float32Array(states.length);
    for (let row = 0; row < states.length / dim; row++) out.set(field(states.subarray(row * dim, (row + 1) * dim)), row * dim);
    return out;
  };
}

async function loadData(spec: TrainingJobSpec): Promise<{ train: Dataset; test: Dataset | null }> {
  const full = await loadDataset(spec.trainPath);
  if (spec.testPath) {
    const test = await loadDataset(spec.testPath);
    if (test.dim !== full.dim) throw new Error(`${test.source}: D = ${test.dim} differs from the training file's D = ${full.dim}`);
    return { train: full, test };
  }
  const fraction = spec.testFraction ?? 0;
  if (fraction === 0) return { train: full, test: null };
  const rows = splitRows(full.n, fraction, spec.seed);
  return { train: pickRows(full, rows.train), test: pickRows(full, rows.test) };
}

export async function runTrainingJob(spec: TrainingJobSpec, events: TrainingJobEvents = {}, shouldStop?: () => boolean): Promise<TrainingJobResult> {
  checkSpec(spec);
  const backend = await initBackend(spec.backend ?? 'auto');
  events.onStatus?.('loading data');
  const data = await loadData(spec);
  const threads = spec.threads ?? trainingThreads();

  const dir = spec.checkpointDir ?? null;
  let model: Model;
  let optimizer: Adam;
  let seed = spec.seed;
  let startEpoch = 0;
  let startStep = 0;
  if (dir && spec.resume && existsSync(path.join(dir, 'config.json'))) {
    events.onStatus?.('resuming from checkpoint');
    const loaded = await loadCheckpoint(dir, { lr: spec.lr, threads });
    if (loaded.meta.kind !== spec.model) throw new Error(`${dir}: the checkpoint holds a ${loaded.meta.kind} model, not ${spec.model}`);
    ({ model, optimizer } = loaded);
    seed = loaded.meta.seed;
    startEpoch = loaded.meta.epoch;
    startStep = loaded.meta.step;
  } else {
    model = createModel(spec.model, spec.config ?? {}, { stateDim: data.train.dim, seed, threads });
    optimizer = new Adam(model.parameters, { lr: spec.lr });
  }

  try {
    if (data.train.dim !== model.stateDim) {
      throw new Error(`${data.train.source}: the dataset has D = ${data.train.dim} but the model expects D = ${model.stateDim}`);
    }
    const format = model.trainsOn(data.train.format);
    const field = spec.trueField ? generatorField(spec.trueField) : undefined;
    const sets = { train: samplesFor(format, data.train, field), test: data.test ? samplesFor(format, data.test, field) : null };
    const training = { batchSize: spec.batchSize, lr: spec.lr, trainPath: spec.trainPath, testPath: spec.testPath ?? null, testFraction: spec.testFraction ?? 0 };
    let last: EpochMetrics | null = null;
    events.onStatus?.('training');
    const outcome = await train(
      model,
      optimizer,
      sets,
      { epochs: spec.epochs, batchSize: spec.batchSize, seed, startEpoch, startStep, shouldStop },
      {
        onProgress: events.onProgress,
        onEpoch: async (metrics) => {
          last = metrics;
          if (dir) await saveCheckpoint(dir, model, optimizer, { seed, epoch: metrics.epoch, step: metrics.step, training, metrics });
          events.onEpoch?.(metrics);
        },
      },
    );
    if (dir && outcome.history.length === 0) {
      await saveCheckpoint(dir, model, optimizer, { seed, epoch: outcome.epochs, step: outcome.steps, training });
    }
    let evaluation: EvaluationMetrics | null = null;
    if (data.test && outcome.status === 'completed') {
      events.onStatus?.('evaluating');
      evaluation = evaluateModel(model, data.test, spec.batchSize);
    }
    const checkpointFile = dir ? await bundleCheckpoint(dir) : null;
    const lastMetrics = last as EpochMetrics | null;
    const testLosses = outcome.history.flatMap((m) => (m.test && Number.isFinite(m.test.loss) ? [m.test.loss] : []));
    return {
      status: outcome.status,
      model: model.kind,
      backend: backend.choice,
      threads,
      epochs: outcome.epochs,
      steps: outcome.steps,
      seconds: outcome.seconds,
      train: lastMetrics?.train ?? null,
      test: lastMetrics?.test ?? null,
      bestTestLoss: testLosses.length > 0 ? Math.min(...testLosses) : null,
      evaluation,
      checkpointDir: dir,
      checkpointFile,
    };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}
