import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvents } from '../../../src-shared/api';
import { bytesToBase64 } from '../../../src-shared/base64';
import { createClient, type WorkbenchClient } from '../../../src-shared/client';
import { ApiError } from '../../../src-shared/errors';
import { localTransport } from '../../../src-main/services/workbenchService';
import { FakeRunner, makeWorkbench, trajectoriesNpz, type Workbench } from './fakes';

let bench: Workbench | null = null;
afterEach(async () => {
  await bench?.cleanup();
  bench = null;
});

function setup(runner: FakeRunner | null = new FakeRunner(), extra: Parameters<typeof makeWorkbench>[0] = {}) {
  bench = makeWorkbench({ ...(runner ? { runner } : {}), ...extra });
  const client = createClient(localTransport(bench.service));
  const seen: { event: string; payload: unknown }[] = [];
  bench.service.events.onAny((event, payload) => seen.push({ event, payload }));
  return { bench, client, seen };
}

async function dataset(client: WorkbenchClient, path: string): Promise<string> {
  return (await client.datasets.open({ path })).id;
}

function statuses(seen: { event: string; payload: unknown }[], runId: string): string[] {
  return seen
    .filter((e) => e.event === 'run.status' && (e.payload as ApiEvents['run.status']).runId === runId && !(e.payload as ApiEvents['run.status']).message)
    .map((e) => (e.payload as ApiEvents['run.status']).status);
}

describe('runs: lifecycle through the service', () => {
  it('queued -> running -> done, metrics logged, checkpoint stored, events forwarded', async () => {
    const runner = new FakeRunner();
    runner.script = { checkpoint: true };
    const { bench, client, seen } = setup(runner);
    const trainDatasetId = await dataset(client, bench.datasetPath);
    const { runIds, groupId } = await client.runs.start({ models: [{ model: 'ngf', config: { dimM: 3 } }], trainDatasetId, budget: { epochs: 3 }, seed: 7 });
    await bench.service.idle();
    const [runId] = runIds as [string];
    expect(statuses(seen, runId)).toEqual(['queued', 'running', 'done']);
    const detail = await client.runs.get({ runId });
    expect(detail.run).toMatchObject({ status: 'done', groupId, seed: 7, backend: 'fake', modelKind: 'ngf', summary: { finalLoss: 1 / 3 } });
    expect((detail.run.config as { hyperparameters: { dimM: number; geodesicSteps: number } }).hyperparameters).toMatchObject({ dimM: 3, geodesicSteps: 49 });
    expect(detail.latestMetrics).toEqual({ trainLoss: 1 / 3, testLoss: 2 / 3, wallTime: 0.03, reconstruction: 0.5 / 3 });
    expect(detail.artifacts.map((a) => [a.kind, a.name])).toEqual([['checkpoint', 'model.ckpt']]);
    expect(runner.started[0]).toMatchObject({ model: 'ngf', seed: 7, trainPath: bench.datasetPath, budget: { epochs: 3, batchSize: 512, lr: 1e-3 } });
    const { series } = await client.runs.compare({ runIds: [runId], metrics: ['trainLoss'] });
    expect(series).toEqual([expect.objectContaining({ name: 'trainLoss', steps: [1, 2, 3], values: [1, 0.5, 1 / 3] })]);
    expect(seen.filter((e) => e.event === 'run.metrics')).toHaveLength(3);
    expect(seen.some((e) => e.event === 'run.progress' && (e.payload as ApiEvents['run.progress']).runId === runId)).toBe(true);
    expect(seen.some((e) => e.event === 'run.status' && (e.payload as ApiEvents['run.status']).message === 'loading data')).toBe(true);
  });

  it('a done that rejects mid-run fails the run with the message and keeps earlier metrics', async () => {
    const runner = new FakeRunner();
    runner.script = { epochs: 5, failAfter: 2 };
    const { bench, client, seen } = setup(runner);
    const trainDatasetId = await dataset(client, bench.datasetPath);
    const [runId] = (await client.runs.start({ models: [{ model: 'hnn', config: {} }], trainDatasetId, budget: { epochs: 5 } })).runIds as [string];
    await bench.service.idle();
    expect(statuses(seen, runId)).toEqual(['queued', 'running', 'failed']);
    const { run } = await client.runs.get({ runId });
    expect(run).toMatchObject({ status: 'failed', error: 'loss became NaN at epoch 2' });
    const { series } = await client.runs.compare({ runIds: [runId], metrics: ['trainLoss'] });
    expect(series[0]!.steps).toEqual([1, 2]);
  });

  it('a runner that throws on start fails the run instead of crashing', async () => {
    const runner = new FakeRunner();
    runner.script = { throwOnStart: true };
    const { bench, client } = setup(runner);
    const trainDatasetId = await dataset(client, bench.datasetPath);
    const [runId] = (await client.runs.start({ models: [{ model: 'ngf' }], trainDatasetId, budget: {} })).runIds as [string];
    await bench.service.idle();
    expect((await client.runs.get({ runId })).run).toMatchObject({ status: 'failed', error: 'worker could not start: out of memory' });
  });

  it('metrics the store refuses stop the trainer and fail the run', async () => {
    const runner = new FakeRunner();
    runner.script = { badEpoch: -1, hang: true };
    const { bench, client } = setup(runner);
    const trainDatasetId = await dataset(client, bench.datasetPath);
    const [runId] = (await client.runs.start({ models: [{ model: 'ngf' }], trainDatasetId, budget: { epochs: 2 } })).runIds as [string];
    await bench.service.idle();
    const { run } = await client.runs.get({ runId });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^the trainer reported metrics the store refused: .*step/);
  });

  it('runs of a group queue one at a time; cancelling works for running and queued runs', async () => {
    const runner = new FakeRunner();
    runner.script = { epochs: 1, hang: true };
    const { bench, client, seen } = setup(runner);
    const trainDatasetId = await dataset(client, bench.datasetPath);
    const { runIds } = await client.runs.start({ models: [{ model: 'ngf' }, { model: 'hnn' }], trainDatasetId, budget: { epochs: 1 } });
    const [first, second] = runIds as [string, string];
    expect((await client.runs.get({ runId: second })).run.status).toBe('queued');
    expect(await client.runs.cancel({ runId: second })).toEqual({ runId: second, status: 'cancelled' });
    expect(await client.runs.cancel({ runId: first })).toEqual({ runId: first, status: 'cancelled' });
    await bench.service.idle();
    expect(statuses(seen, first)).toEqual(['queued', 'running', 'cancelled']);
    expect(statuses(seen, second)).toEqual(['queued', 'cancelled']);
    expect(runner.started.map((s) => s.runId)).toEqual([first]);
    await expect(client.runs.cancel({ runId: first })).rejects.toMatchObject({ code: 'conflict', message: `runId: run '${first}' is already cancelled` });
  });

  it('model kinds without an engine are refused before anything is written', async () => {
    const { bench, client } = setup(new FakeRunner(['ngf']));
    const trainDatasetId = await dataset(client, bench.datasetPath);
    await expect(client.runs.start({ models: [{ model: 'ngf' }, { model: 'node' }], trainDatasetId, budget: {} })).rejects.toMatchObject({
      code: 'not-implemented',
      message: "no training engine for 'node' is registered in this build (this one trains: ngf)",
    });
    expect(bench.store.listRuns().total).toBe(0);
  });

  it('without any runner, runs.start is not-implemented; unknown datasets are not-found', async () => {
    const { bench, client } = setup(null);
    const trainDatasetId = await dataset(client, bench.datasetPath);
    await expect(client.runs.start({ models: [{ model: 'ngf' }], trainDatasetId, budget: {} })).rejects.toMatchObject({ code: 'not-implemented' });
    await expect(client.runs.start({ models: [{ model: 'ngf' }], trainDatasetId: 'nope', budget: {} })).rejects.toMatchObject({
      code: 'not-found',
      message: "trainDatasetId: no dataset with id 'nope'",
    });
    expect(bench.store.listRuns().total).toBe(0);
  });
});

describe('runs: bookkeeping', () => {
  it('tags, notes, list filters, delete, export and import round trip', async () => {
    const { bench, client } = setup();
    const trainDatasetId = await dataset(client, bench.datasetPath);
    const { runIds } = await client.runs.start({ models: [{ model: 'ngf' }, { model: 'hnn' }], trainDatasetId, budget: { epochs: 2 }, tags: ['sweep'] });
    await bench.service.idle();
    const [a, b] = runIds as [string, string];
    expect((await client.runs.setTags({ runId: a, tags: ['best', 'sweep'] })).tags).toEqual(['best', 'sweep']);
    expect((await client.runs.setNotes({ runId: b, notes: 'hnn baseline' })).notes).toBe('hnn baseline');
    expect((await client.runs.list({ filter: { tag: 'best' } })).runs.map((r) => r.id)).toEqual([a]);
    expect((await client.runs.list({ filter: { modelKind: 'hnn' } })).runs.map((r) => r.id)).toEqual([b]);
    expect((await client.runs.list({ filter: { metric: { metric: 'trainLoss', op: '<', value: 0.6 } } })).total).toBe(2);

    const exported = await client.runs.export({ runIds: [a, b] });
    expect(exported.count).toBe(2);
    expect(exported.path).toBeNull();
    const file = join(bench.dir, 'export.zip');
    expect((await client.runs.export({ runIds: [a], path: file })).path).toBe(file);

    expect(await client.runs.delete({ runIds: [a, b] })).toEqual({ deleted: 2 });
    expect((await client.runs.list()).total).toBe(0);
    const report = await client.runs.import({ bytesBase64: exported.bytesBase64! });
    expect(report.runsImported.sort()).toEqual([a, b].sort());
    expect((await client.runs.import({ path: file })).runsSkipped).toEqual([a]);
    await expect(client.runs.import({ bytesBase64: bytesToBase64(new TextEncoder().encode('not a zip')) })).rejects.toMatchObject({ code: 'invalid' });
    await expect(client.runs.get({ runId: 'missing' })).rejects.toMatchObject({ code: 'not-found', message: "runId: no run with id 'missing'" });
    await expect(client.runs.compare({ runIds: [a, 'missing'] })).rejects.toMatchObject({ message: "runIds[1]: no run with id 'missing'" });
  });
});

describe('datasets', () => {
  it('open, upload (deduplicated), inspect with preview, generate, list; dataset.added once per new dataset', async () => {
    const { bench, client, seen } = setup();
    const opened = await client.datasets.open({ path: bench.datasetPath });
    expect(opened).toMatchObject({ name: 'lines.npz', format: 'trajectories', shapes: { trajectories: [4, 5, 2], times: [4, 5] } });
    const again = await client.datasets.upload({ name: 'copy.npz', bytesBase64: bytesToBase64(trajectoriesNpz()) });
    expect(again.id).toBe(opened.id);
    expect(seen.filter((e) => e.event === 'dataset.added')).toHaveLength(1);

    const inspection = await client.datasets.inspect({ id: opened.id, coordinates: [1], trajectories: 2 });
    expect(inspection.summary).toMatchObject({ format: 'trajectories', n: 4, dim: 2 });
    expect(inspection.preview).toEqual({
      coordinates: [1],
      trajectories: [
        { index: 0, times: [0, 0.5, 1, 1.5, 2], values: [[-0, -1, -2, -3, -4]] },
        { index: 3, times: [0, 0.5, 1, 1.5, 2], values: [[-0, -1, -2, -3, -4]] },
      ],
    });
    await expect(client.datasets.inspect({ id: opened.id, coordinates: [2] })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^coordinates\[0\]: 2 is out of range/),
    });

    const generated = await client.datasets.generate({ kind: 'line', params: { n: 2 }, name: 'two lines' });
    expect(generated).toMatchObject({ systemKind: 'line', shapes: { trajectories: [2, 3, 2] } });
    expect(generated.name).toBe('two_lines.npz');
    await expect(client.datasets.generate({ kind: 'line', params: { n: 99 } })).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining("parameter 'n'") });
    await expect(client.datasets.generate({ kind: 'comet' })).rejects.toMatchObject({ message: "kind: no dataset generator 'comet' (known: line)" });
    expect((await client.datasets.generators()).map((g) => g.name)).toEqual(['line']);
    expect((await client.datasets.list()).map((d) => d.id).sort()).toEqual([opened.id, generated.id].sort());
  });

  it('bad files are refused with the file and key at fault, and not registered', async () => {
    const { bench, client } = setup();
    await expect(client.datasets.upload({ name: 'junk.npz', bytesBase64: bytesToBase64(new Uint8Array([1, 2, 3])) })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^junk\.npz: /),
    });
    await expect(client.datasets.open({ path: join(bench.dir, 'absent.npz') })).rejects.toMatchObject({ code: 'not-found' });
    expect(bench.store.listDatasets()).toEqual([]);
  });
});

describe('analysis, reference import, app', () => {
  it('stores and returns an analysis report; refuses unfinished runs; not-implemented without engines', async () => {
    const runner = new FakeRunner();
    runner.script = { checkpoint: true };
    const seenSpecs: unknown[] = [];
    const { bench, client } = setup(runner, {
      analysis: {
        async run(spec) {
          seenSpecs.push(spec);
          return { scalars: { predictionMse: 1e-3 }, series: [{ name: 'energy', x: [0, 1], y: [1, 1] }], sections: {} };
        },
      },
    });
    const trainDatasetId = await dataset(client, bench.datasetPath);
    const [runId] = (await client.runs.start({ models: [{ model: 'ngf' }], trainDatasetId, budget: { epochs: 1 } })).runIds as [string];
    expect(await client.analysis.get({ runId })).toBeNull();
    await bench.service.idle();
    const report = await client.analysis.run({ runId, options: { sections: ['prediction'] } });
    expect(report).toMatchObject({ runId, datasetId: trainDatasetId, scalars: { predictionMse: 1e-3 }, options: { sections: ['prediction'], maxSamples: 0, horizon: 1 } });
    expect(seenSpecs[0]).toMatchObject({ model: 'ngf', datasetPath: bench.datasetPath, checkpointPath: expect.stringMatching(/model\.ckpt$/) });
    expect(readFileSync((seenSpecs[0] as { checkpointPath: string }).checkpointPath, 'utf8')).toBe('weights');
    expect(await client.analysis.get({ runId })).toEqual(report);
    await expect(client.models.importReference({ eqxPath: bench.datasetPath })).rejects.toMatchObject({ code: 'not-implemented' });
  });

  it('imports a reference checkpoint as a finished run with its checkpoint', async () => {
    const { bench, client } = setup(null, {
      referenceImporter: {
        async read(_eqx: string, _params: string | undefined, scratchDir: string) {
          mkdirSync(scratchDir, { recursive: true });
          writeFileSync(join(scratchDir, 'checkpoint.zip'), 'converted weights');
          return {
            hyperparameters: { dimM: 2, encoder: 'mlp', encoderHidden: [32, 32], decoder: 'mlp', decoderHidden: [32, 32], metric: 'regularized', metricHidden: [32, 32], geodesicSteps: 49 },
            dimDataspace: 6,
            checkpointPath: join(scratchDir, 'checkpoint.zip'),
          };
        },
      },
    });
    const run = await client.models.importReference({ eqxPath: bench.datasetPath, name: 'half-sphere-good' });
    expect(run).toMatchObject({ status: 'done', modelKind: 'ngf', tags: ['reference'], config: { name: 'half-sphere-good', budget: null } });
    const { artifacts } = await client.runs.get({ runId: run.id });
    expect(artifacts.map((a) => a.kind)).toEqual(['checkpoint']);
    expect(readFileSync(bench.store.artifactPath(run.id, artifacts[0]!.name), 'utf8')).toBe('converted weights');
  });

  it('reports versions and backend; unknown methods and garbage are ApiErrors', async () => {
    const { bench, client } = setup();
    expect(await client.app.versions()).toMatchObject({ host: 'cli', node: process.versions.node, electron: null });
    expect(await client.app.backend()).toMatchObject({ choice: 'cpu' });
    await expect(bench.service.handle('runs.explode', {})).rejects.toMatchObject({ code: 'unknown-method' });
    await expect(bench.service.handle('runs.get', 'garbage')).rejects.toBeInstanceOf(ApiError);
  });
});
