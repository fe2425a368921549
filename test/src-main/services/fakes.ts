/**
 * Test doubles for the service's engines and a throwaway workbench (store + data folder + dataset).
 * Shared by the service and server tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelKind } from '../../../src-shared/hyperparams';
import { encodeDataset } from '../../../src-main/data/dataset';
import type { DatasetGenerator } from '../../../src-main/services/datasetLibrary';
import type { TrainingHooks, TrainingResult, TrainingRunner, TrainingSpec } from '../../../src-main/services/engines';
import { createWorkbenchService, type WorkbenchServiceOptions } from '../../../src-main/services/workbenchService';
import { RunStore } from '../../../src-main/store/runStore';

/** A small valid trajectories dataset: N = 4 trajectories, T = 5 points, D = 2 (x = i + t, y = -t). */
export function trajectoriesNpz(): Uint8Array {
  const n = 4;
  const steps = 5;
  const trajectories = new Float64Array(n * steps * 2);
  const times = new Float64Array(n * steps);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < steps; t++) {
      times[i * steps + t] = t * 0.5;
      trajectories[(i * steps + t) * 2] = i + t;
      trajectories[(i * steps + t) * 2 + 1] = -t;
    }
  }
  return encodeDataset({
    trajectories: { dtype: 'float64', shape: [n, steps, 2], data: trajectories },
    times: { dtype: 'float64', shape: [n, steps], data: times },
  });
}

export interface FakeScript {
  /** Epochs reported before finishing (default spec.budget.epochs). */
  epochs?: number;
  /** Reject `done` right after this epoch. */
  failAfter?: number;
  /** Throw from start() itself. */
  throwOnStart?: boolean;
  /** Report this epoch number instead of the real one (to provoke a store refusal). */
  badEpoch?: number;
  /** Wait for cancel() instead of finishing. */
  hang?: boolean;
  /** Write a checkpoint file and report it. */
  checkpoint?: boolean;
}

/** A TrainingRunner that reports scripted epochs on timers, one per `tickMs`. */
export class FakeRunner implements TrainingRunner {
  readonly backend = 'fake';
  readonly started: TrainingSpec[] = [];
  script: FakeScript = {};

  constructor(
    readonly models: readonly ModelKind[] = ['ngf', 'hnn'],
    private readonly tickMs = 2,
  ) {}

  start(spec: TrainingSpec, hooks: TrainingHooks) {
    const script = this.script;
    if (script.throwOnStart) throw new Error('worker could not start: out of memory');
    this.started.push(spec);
    let cancelled = false;
    let wake: (() => void) | null = null;
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const done = (async (): Promise<TrainingResult> => {
      hooks.onStatus?.('loading data');
      const epochs = script.epochs ?? spec.budget.epochs;
      for (let epoch = 1; epoch <= epochs; epoch++) {
        await sleep(this.tickMs);
        if (cancelled) throw new Error('cancelled');
        hooks.onProgress({ epoch, epochs, step: 1, losses: { total: 1 / epoch }, samplesPerSecond: 100, etaSeconds: epochs - epoch });
        hooks.onEpoch({ epoch: script.badEpoch ?? epoch, trainLoss: 1 / epoch, testLoss: 2 / epoch, wallTime: epoch * 0.01, reconstruction: 0.5 / epoch });
        if (script.failAfter === epoch) throw new Error(`loss became NaN at epoch ${epoch}`);
      }
      if (script.hang) {
        await new Promise<void>((resolve) => (wake = resolve));
        throw new Error('cancelled');
      }
      let checkpointPath: string | undefined;
      if (script.checkpoint) {
        checkpointPath = join(spec.checkpointDir, 'model.ckpt');
        writeFileSync(checkpointPath, 'weights');
      }
      return { summary: { finalLoss: 1 / epochs }, ...(checkpointPath ? { checkpointPath } : {}) };
    })();
    return {
      cancel: () => {
        cancelled = true;
        (wake as (() => void) | null)?.();
      },
      done,
    };
  }
}

/** A tiny generator: n points of a line, format trajectories. */
export const FAKE_GENERATORS: Record<string, DatasetGenerator> = {
  line: {
    name: 'line',
    description: 'x(t) = x0 + t',
    stateLabels: ['x', 'v'],
    params: [{ name: 'n', label: 'Samples', description: 'trajectories', kind: 'integer', default: 3, min: 1, max: 10 }],
    generate(params = {}) {
      const n = (params.n as number | undefined) ?? 3;
      if (!Number.isInteger(n) || n < 1 || n > 10) throw new Error(`line: parameter 'n' must be an integer in [1, 10], got ${JSON.stringify(params.n)}`);
      const data = new Float64Array(n * 3 * 2).map((_, k) => k);
      const times = new Float64Array(n * 3).map((_, k) => k % 3);
      return { trajectories: { dtype: 'float64', shape: [n, 3, 2], data }, times: { dtype: 'float64', shape: [n, 3], data: times } };
    },
  },
};

export interface Workbench {
  dir: string;
  store: RunStore;
  datasetPath: string;
  service: ReturnType<typeof createWorkbenchService>;
  cleanup(): Promise<void>;
}

export function makeWorkbench(options: Partial<WorkbenchServiceOptions> = {}): Workbench {
  const dir = mkdtempSync(join(tmpdir(), 'ngf-service-'));
  const store = RunStore.open(join(dir, 'workbench.db'));
  const datasetPath = join(dir, 'lines.npz');
  writeFileSync(datasetPath, trajectoriesNpz());
  const service = createWorkbenchService({
    store,
    dataDir: join(dir, 'data'),
    generators: FAKE_GENERATORS,
    metricsFlushMs: 5,
    backend: async () => ({ choice: 'cpu', tfBackend: 'cpu', gpu: null, tfjsVersion: '4.22.0' }),
    ...options,
  });
  return {
    dir,
    store,
    datasetPath,
    service,
    async cleanup() {
      await service.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
