/**
 * The service's `TrainingRunner` (src-main/services/engines.ts) on top of the training worker pool:
 * maps a run's spec to a training job and the job's events to the service's hooks.
 *
 * Epoch metrics are logged as trainLoss / testLoss, each loss term as train_TERM / test_TERM, and
 * wallTime (seconds since the run started). The summary is the job result (status, epochs, steps,
 * seconds, backend, last losses, test-set evaluation); the checkpoint artifact is the one-file
 * bundle of the checkpoint folder. A cancelled job rejects `done` ('training cancelled').
 */
import { MODEL_KINDS } from '../../../src-shared/hyperparams';
import type { EpochMetrics, TrainingHandle, TrainingHooks, TrainingRunner, TrainingSpec } from '../../services/engines';
import type { BackendChoice } from '../backend';
import type { EpochMetrics as TrainerEpochMetrics } from './trainer';
import type { TrainingWorkerPool } from './workerPool';

function epochMetrics(m: TrainerEpochMetrics): EpochMetrics {
  const out: EpochMetrics = { epoch: m.epoch, trainLoss: m.train.loss, wallTime: m.wallSeconds };
  if (m.test) out.testLoss = m.test.loss;
  for (const [term, value] of Object.entries(m.train.terms)) out[`train_${term}`] = value;
  for (const [term, value] of Object.entries(m.test?.terms ?? {})) out[`test_${term}`] = value;
  return out;
}

export class WorkerTrainingRunner implements TrainingRunner {
  readonly models = MODEL_KINDS;

  constructor(
    private readonly pool: TrainingWorkerPool,
    readonly backend: BackendChoice | 'auto' = 'auto',
  ) {}

  start(spec: TrainingSpec, hooks: TrainingHooks): TrainingHandle {
    const job = this.pool.submit(
      {
        model: spec.model,
        config: spec.config,
        trainPath: spec.trainPath,
        testPath: spec.testPath,
        seed: spec.seed,
        epochs: spec.budget.epochs,
        batchSize: spec.budget.batchSize,
        lr: spec.budget.lr,
        checkpointDir: spec.checkpointDir,
        backend: this.backend,
      },
      {
        onProgress: (p) =>
          hooks.onProgress({
            epoch: p.epoch,
            epochs: p.epochs,
            step: p.stepInEpoch,
            losses: { loss: p.loss, ...p.terms },
            samplesPerSecond: p.samplesPerSecond,
            etaSeconds: p.etaSeconds,
          }),
        onEpoch: (m) => hooks.onEpoch(epochMetrics(m)),
        onStatus: (message) => hooks.onStatus?.(message),
      },
    );
    const done = job.done.then((result) => {
      if (result.status === 'cancelled') throw new Error('training cancelled');
      const { checkpointFile, ...summary } = result;
      return checkpointFile ? { summary: { ...summary }, checkpointPath: checkpointFile } : { summary: { ...summary } };
    });
    return { cancel: () => job.cancel(), done };
  }
}
