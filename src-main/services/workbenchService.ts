/**
 * The workbench service: one implementation of the whole API map (src-shared/api.ts).
 *
 * `handle(method, payload)` validates the payload against the method's schema (ApiError 'invalid'
 * naming the field, before anything is read or written), dispatches, and turns every failure into
 * an ApiError: the data module's DatasetError -> 'invalid', anything unexpected -> 'internal' with
 * its message. `events` emits the API events (run.status, run.progress, run.metrics,
 * dataset.added). The service knows nothing of Electron or HTTP: the Electron shell and the browser
 * mode server (src-main/server) are thin transports around it.
 *
 * Engines plug in through ./engines.ts: without a TrainingRunner for a model kind, runs.start
 * refuses that kind with 'not-implemented' (and writes nothing); likewise analysis and reference
 * import. Files the service writes live under `dataDir` (datasets/, checkpoints/, tmp/).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import packageJson from '../../package.json';
import {
  parsePayload,
  type AnalysisReport,
  type ApiEvents,
  type MethodName,
  type ParsedPayload,
  type Result,
  type RunInfo,
  type StoredRunConfig,
} from '../../src-shared/api';
import { base64ToBytes, bytesToBase64 } from '../../src-shared/base64';
import type { Transport } from '../../src-shared/client';
import { createEmitter, type Emitter } from '../../src-shared/emitter';
import { ApiError } from '../../src-shared/errors';
import type { ModelKind } from '../../src-shared/hyperparams';
import { DatasetError } from '../data/dataset';
import type { RunStore } from '../store/runStore';
import type { JsonObject, RunRow } from '../store/types';
import { DatasetLibrary, type DatasetGenerator } from './datasetLibrary';
import type { AnalysisRunner, ReferenceImporter, TrainingRunner, TrainingSpec } from './engines';
import { checkpointDirFor, RunSupervisor } from './runSupervisor';

export interface WorkbenchServiceOptions {
  store: RunStore;
  /** Trains runs; without one (or for a model kind it does not list) runs.start is 'not-implemented'. */
  runner?: TrainingRunner;
  analysis?: AnalysisRunner;
  referenceImporter?: ReferenceImporter;
  /** Dataset generators by name (the data module's GENERATORS); default none. */
  generators?: Readonly<Record<string, DatasetGenerator>>;
  /** Where uploaded/generated datasets, checkpoint scratch folders and temporary files go. */
  dataDir: string;
  /** Who hosts the service, reported by app.versions: 'electron', 'browser', 'cli'. */
  host?: string;
  /** The compute backend report for app.backend; default: initialise TF.js here and report it. */
  backend?: () => Promise<Result<'app.backend'>>;
  /** Runs trained at the same time (default 1). */
  maxConcurrentRuns?: number;
  /** How often buffered epoch metrics are written to the store (default 500 ms). */
  metricsFlushMs?: number;
}

export interface WorkbenchService {
  /** Validates and runs one API call; rejects only with ApiError. */
  handle(method: string, payload: unknown): Promise<unknown>;
  events: Emitter<ApiEvents>;
  /** Resolves when no run is queued or training in this process. */
  idle(): Promise<void>;
  /** Cancels queued and running runs and waits for them to settle. */
  close(): Promise<void>;
}

type Handlers = { [M in MethodName]: (payload: ParsedPayload<M>) => Result<M> | Promise<Result<M>> };

const ANALYSIS_ARTIFACT = 'analysis.json';
const TERMINAL = new Set(['done', 'failed', 'cancelled', 'interrupted']);

/** The store's row is the wire type; this function is where the compiler checks they still agree. */
export function runInfo(row: RunRow): RunInfo {
  return row;
}

/** NaN and +-Infinity are not JSON: metric series carry null in their place on every transport. */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function createWorkbenchService(options: WorkbenchServiceOptions): WorkbenchService {
  const { store, runner, analysis, referenceImporter } = options;
  const dataDir = resolve(options.dataDir);
  const events = createEmitter<ApiEvents>();
  const datasets = new DatasetLibrary(store, dataDir, options.generators ?? {}, (dataset) => events.emit('dataset.added', { dataset }));
  const versions: Record<string, string> = { workbench: packageJson.version, node: process.versions.node };
  const supervisor = runner
    ? new RunSupervisor({
        store,
        runner,
        events,
        checkpointRoot: join(dataDir, 'checkpoints'),
        versions,
        maxConcurrent: options.maxConcurrentRuns,
        flushMs: options.metricsFlushMs,
      })
    : null;

  function requireRun(id: string, field = 'runId'): RunRow {
    const row = store.getRun(id);
    if (!row) throw new ApiError('not-found', `${field}: no run with id '${id}'`);
    return row;
  }

  function requireRuns(ids: string[]): RunRow[] {
    return ids.map((id, i) => requireRun(id, `runIds[${i}]`));
  }

  function tempFile(suffix: string): string {
    const folder = join(dataDir, 'tmp');
    mkdirSync(folder, { recursive: true });
    return join(folder, `${randomUUID()}${suffix}`);
  }

  function refuseUntrainable(models: { model: ModelKind }[]): void {
    const missing = [...new Set(models.map((m) => m.model).filter((m) => !runner?.models.includes(m)))];
    if (missing.length === 0) return;
    throw new ApiError(
      'not-implemented',
      `no training engine for ${missing.map((m) => `'${m}'`).join(', ')} is registered in this build` +
        (runner ? ` (this one trains: ${runner.models.join(', ') || 'nothing'})` : ''),
    );
  }

  function readAnalysis(runId: string): AnalysisReport | null {
    if (!store.listArtifacts(runId).some((a) => a.name === ANALYSIS_ARTIFACT)) return null;
    return JSON.parse(readFileSync(store.artifactPath(runId, ANALYSIS_ARTIFACT), 'utf8')) as AnalysisReport;
  }

  const handlers: Handlers = {
    'datasets.open': ({ path }) => datasets.open(path),
    'datasets.upload': ({ name, bytesBase64 }) => {
      let bytes: Uint8Array;
      try {
        bytes = base64ToBytes(bytesBase64);
      } catch {
        throw new ApiError('invalid', 'bytesBase64: not valid base64');
      }
      return datasets.upload(name, bytes);
    },
    'datasets.list': () => datasets.list(),
    'datasets.inspect': ({ id, coordinates, trajectories }) => datasets.inspect(id, coordinates, trajectories),
    'datasets.generators': () => datasets.generators(),
    'datasets.generate': ({ kind, params, name }) => datasets.generate(kind, params, name),

    'runs.start': ({ models, trainDatasetId, testDatasetId, seed, budget, name, tags }) => {
      const train = datasets.require(trainDatasetId, 'trainDatasetId');
      const test = testDatasetId === undefined ? null : datasets.require(testDatasetId, 'testDatasetId');
      refuseUntrainable(models);
      const groupId = randomUUID();
      const rows = models.map(({ model, config }) => {
        const stored: StoredRunConfig = { hyperparameters: config as unknown as Record<string, unknown>, budget, name: name ?? null };
        return store.createRun({
          groupId,
          modelKind: model,
          config: stored as unknown as JsonObject,
          trainDatasetId: train.id,
          testDatasetId: test?.id ?? null,
          seed,
          tags,
        });
      });
      rows.forEach((row, i) => {
        events.emit('run.status', { runId: row.id, status: 'queued', error: null });
        const spec = {
          runId: row.id,
          model: models[i]!.model,
          config: models[i]!.config,
          trainPath: train.path,
          ...(test ? { testPath: test.path } : {}),
          seed,
          budget,
          checkpointDir: checkpointDirFor(join(dataDir, 'checkpoints'), row.id),
        } as TrainingSpec;
        supervisor!.enqueue(spec);
      });
      return { groupId, runIds: rows.map((r) => r.id) };
    },
    'runs.cancel': async ({ runId }) => {
      const row = requireRun(runId);
      if (supervisor?.owns(runId)) {
        await supervisor.cancel(runId);
        return { runId, status: requireRun(runId).status };
      }
      if (TERMINAL.has(row.status)) throw new ApiError('conflict', `runId: run '${runId}' is already ${row.status}`);
      throw new ApiError('conflict', `runId: run '${runId}' is ${row.status} in another process; cancel it there`);
    },
    'runs.list': ({ filter }) => {
      const page = store.listRuns(filter);
      return { runs: page.runs.map(runInfo), total: page.total };
    },
    'runs.get': ({ runId }) => {
      const run = requireRun(runId);
      const stats = store.metricStats([runId])[runId] ?? {};
      const latestMetrics = Object.fromEntries(Object.entries(stats).map(([name, stat]) => [name, stat.last]));
      return { run: runInfo(run), artifacts: store.listArtifacts(runId), latestMetrics };
    },
    'runs.compare': ({ runIds, metrics }) => {
      const runs = requireRuns(runIds).map(runInfo);
      const series = store.metricSeries(runIds, metrics).map((s) => ({ ...s, values: s.values.map(finiteOrNull) }));
      return { runs, series };
    },
    'runs.delete': ({ runIds }) => {
      runIds.forEach((id, i) => {
        const row = store.getRun(id);
        if (row && !TERMINAL.has(row.status)) {
          throw new ApiError('conflict', `runIds[${i}]: run '${id}' is ${row.status}; cancel it before deleting it`);
        }
      });
      return { deleted: store.deleteRuns(runIds) };
    },
    'runs.setTags': ({ runId, tags }) => {
      requireRun(runId);
      return runInfo(store.setTags(runId, tags));
    },
    'runs.setNotes': ({ runId, notes }) => {
      requireRun(runId);
      return runInfo(store.setNotes(runId, notes));
    },
    'runs.export': ({ runIds, path }) => {
      requireRuns(runIds);
      if (path) {
        const target = resolve(path);
        store.exportRuns(runIds, target);
        return { path: target, bytesBase64: null, count: new Set(runIds).size };
      }
      const file = tempFile('.zip');
      try {
        store.exportRuns(runIds, file);
        return { path: null, bytesBase64: bytesToBase64(readFileSync(file)), count: new Set(runIds).size };
      } finally {
        rmSync(file, { force: true });
      }
    },
    'runs.import': (payload) => {
      const importFrom = (file: string, field: string) => {
        try {
          return store.importRuns(file);
        } catch (error) {
          throw new ApiError('invalid', `${field}: ${error instanceof Error ? error.message : String(error)}`);
        }
      };
      if ('path' in payload) {
        const file = resolve(payload.path);
        if (!existsSync(file)) throw new ApiError('not-found', `path: no file at ${file}`);
        return importFrom(file, 'path');
      }
      let bytes: Uint8Array;
      try {
        bytes = base64ToBytes(payload.bytesBase64);
      } catch {
        throw new ApiError('invalid', 'bytesBase64: not valid base64');
      }
      const file = tempFile('.zip');
      try {
        writeFileSync(file, bytes);
        return importFrom(file, 'bytesBase64');
      } finally {
        rmSync(file, { force: true });
      }
    },

    'analysis.run': async ({ runId, datasetId, options: analysisOptions }) => {
      const run = requireRun(runId);
      if (run.status !== 'done') throw new ApiError('conflict', `runId: run '${runId}' is ${run.status}; only finished runs can be analysed`);
      const checkpoint = store.listArtifacts(runId).find((a) => a.kind === 'checkpoint');
      if (!checkpoint) throw new ApiError('conflict', `runId: run '${runId}' has no checkpoint to analyse`);
      const chosen = datasetId ?? run.testDatasetId ?? run.trainDatasetId;
      if (!chosen) throw new ApiError('invalid', `datasetId: run '${runId}' has no dataset; name one`);
      const dataset = datasets.require(chosen, 'datasetId');
      if (!analysis) throw new ApiError('not-implemented', 'no analysis engine is registered in this build');
      const config = run.config as Partial<StoredRunConfig>;
      const figures = await analysis.run({
        runId,
        model: run.modelKind,
        hyperparameters: config.hyperparameters ?? run.config,
        checkpointPath: store.artifactPath(runId, checkpoint.name),
        datasetPath: dataset.path,
        options: analysisOptions,
      });
      const report: AnalysisReport = { runId, datasetId: dataset.id, createdAt: Date.now(), options: analysisOptions, ...figures };
      store.addArtifact(runId, 'analysis', ANALYSIS_ARTIFACT, new TextEncoder().encode(JSON.stringify(report)));
      return report;
    },
    'analysis.get': ({ runId }) => {
      requireRun(runId);
      return readAnalysis(runId);
    },

    'models.importReference': async ({ eqxPath, paramsPath, name }) => {
      const eqx = resolve(eqxPath);
      if (!existsSync(eqx)) throw new ApiError('not-found', `eqxPath: no file at ${eqx}`);
      if (paramsPath && !existsSync(resolve(paramsPath))) throw new ApiError('not-found', `paramsPath: no file at ${resolve(paramsPath)}`);
      if (!referenceImporter) throw new ApiError('not-implemented', 'no reference checkpoint importer is registered in this build');
      const scratch = tempFile('');
      let model;
      try {
        model = await referenceImporter.read(eqx, paramsPath && resolve(paramsPath), scratch);
      } catch (error) {
        rmSync(scratch, { recursive: true, force: true });
        throw new ApiError('invalid', `eqxPath: ${error instanceof Error ? error.message : String(error)}`);
      }
      const stored: StoredRunConfig = {
        hyperparameters: model.hyperparameters as unknown as Record<string, unknown>,
        budget: null,
        name: name ?? basename(eqx, '.eqx'),
      };
      const row = store.createRun({ modelKind: 'ngf', config: stored as unknown as JsonObject, seed: 0, tags: ['reference'] });
      store.startRun(row.id, { backend: 'none', versions });
      try {
        store.addArtifact(row.id, 'checkpoint', `${basename(eqx, '.eqx').replace(/[^A-Za-z0-9._-]/g, '_')}.ckpt.zip`, model.checkpointPath);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
      const done = store.finishRun(row.id, { source: 'reference', eqxPath: eqx, dimDataspace: model.dimDataspace });
      events.emit('run.status', { runId: row.id, status: 'done', error: null });
      return runInfo(done);
    },

    'app.versions': () => ({
      app: packageJson.version,
      host: options.host ?? 'cli',
      node: process.versions.node,
      v8: process.versions.v8,
      electron: process.versions.electron ?? null,
      chrome: process.versions.chrome ?? null,
      platform: process.platform,
      arch: process.arch,
    }),
    'app.backend': async () => {
      if (options.backend) return options.backend();
      const { currentBackend, initBackend } = await import('../engine/backend');
      const info = currentBackend() ?? (await initBackend());
      return { choice: info.choice, tfBackend: info.tfBackend, gpu: info.gpu, tfjsVersion: info.tfjsVersion };
    },
  };

  async function handle(method: string, payload: unknown): Promise<unknown> {
    try {
      const parsed = parsePayload(method, payload);
      const run = handlers[method as MethodName] as (p: unknown) => unknown;
      return await run(parsed);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (error instanceof DatasetError) throw new ApiError('invalid', error.message);
      throw new ApiError('internal', `${method}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return {
    handle,
    events,
    idle: async () => supervisor?.idle(),
    close: async () => supervisor?.shutdown(),
  };
}

/** An in-process Transport over the service (CLI, tests, or a client living in the main process). */
export function localTransport(service: WorkbenchService): Transport {
  return {
    invoke: (method, payload) => service.handle(method, payload),
    subscribe: (event, cb) => service.events.on(event as keyof ApiEvents, cb as (payload: unknown) => void),
  };
}
