/**
 * The engines the workbench service drives, as interfaces: training, analysis and reference import.
 *
 * The service (./workbenchService.ts) knows nothing of how a model is trained: it creates the run
 * rows, hands a `TrainingSpec` to a `TrainingRunner` (in the app: a worker thread; in tests: a fake)
 * and turns the runner's hooks into store writes and API events. Likewise for analysis and for
 * importing the reference's .eqx checkpoints. An engine not given to the service makes the methods
 * that need it fail with ApiError 'not-implemented', naming what is missing.
 */
import type { AnalysisOptions, AnalysisReport, RunProgress } from '../../src-shared/api';
import type { Budget, ModelConfigs, ModelKind, NgfConfig } from '../../src-shared/hyperparams';

export type TrainingSpec = {
  [K in ModelKind]: {
    runId: string;
    model: K;
    /** Validated hyperparameters, defaults filled in. */
    config: ModelConfigs[K];
    /** Absolute path of the training dataset file (.npz). */
    trainPath: string;
    testPath?: string;
    seed: number;
    budget: Budget;
    /** An empty folder the runner may write checkpoints into. */
    checkpointDir: string;
  };
}[ModelKind];

/** Progress within an epoch (the run.progress event without the run id). */
export type TrainingProgress = Omit<RunProgress, 'runId'>;

/**
 * One epoch's figures. trainLoss is required; testLoss when there is a test set; any other key is a
 * loss term or diagnostic (e.g. reconstruction, prediction, latent) logged under its own name.
 */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  testLoss?: number;
  /** Seconds since training started. */
  wallTime: number;
  [term: string]: number | undefined;
}

export interface TrainingHooks {
  onProgress(progress: TrainingProgress): void;
  onEpoch(metrics: EpochMetrics): void;
  /** A phase worth showing ('loading data', 'saving checkpoint'); the status stays 'running'. */
  onStatus?(message: string): void;
}

export interface TrainingResult {
  /** Final figures, stored as the run's summary (JSON-able). */
  summary: Record<string, unknown>;
  /** A checkpoint file written by the runner; stored as the run's 'checkpoint' artifact. */
  checkpointPath?: string;
}

export interface TrainingHandle {
  /** Asks the trainer to stop; `done` then settles (rejecting is fine). */
  cancel(): void;
  /** Resolves when training finished; rejects with the reason when it failed or was cancelled. */
  done: Promise<TrainingResult>;
}

export interface TrainingRunner {
  /** The model kinds this runner can train. */
  readonly models: readonly ModelKind[];
  /** Compute backend recorded with each run ('wasm', 'cpu', 'tfjs-node-gpu', ...). */
  readonly backend: string;
  start(spec: TrainingSpec, hooks: TrainingHooks): TrainingHandle;
}

export interface AnalysisSpec {
  runId: string;
  model: ModelKind;
  hyperparameters: Record<string, unknown>;
  /** Absolute path of the run's checkpoint artifact. */
  checkpointPath: string;
  /** Absolute path of the dataset to evaluate on. */
  datasetPath: string;
  options: AnalysisOptions;
}

/** What an analysis computes; the service adds run id, dataset id, time and options. */
export type AnalysisFigures = Pick<AnalysisReport, 'scalars' | 'series' | 'sections'>;

export interface AnalysisRunner {
  run(spec: AnalysisSpec): Promise<AnalysisFigures>;
}

export interface ReferenceModel {
  /** The architecture as workbench hyperparameters (mapped from the _high_level_params.json). */
  hyperparameters: NgfConfig;
  /** Dimension of the data space (dim_dataspace). */
  dimDataspace: number;
  /** The imported weights as a workbench checkpoint file (what eval and analysis load); stored as the run's checkpoint. */
  checkpointPath: string;
}

export interface ReferenceImporter {
  /**
   * Reads and checks a reference checkpoint (.eqx) and its high-level parameters (default: the
   * `_high_level_params.json` next to it) and converts it into a workbench checkpoint under
   * `scratchDir`. Rejects with a message naming the file at fault.
   */
  read(eqxPath: string, paramsPath: string | undefined, scratchDir: string): Promise<ReferenceModel>;
}
