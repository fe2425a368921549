import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore } from '../../../src-main/store/runStore';
import type { ModelKind, RunStatus } from '../../../src-main/store/types';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;
let dbPath: string;
let store: RunStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngf-store-'));
  dbPath = path.join(dir, 'runs.db');
  store = RunStore.open(dbPath);
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeFile(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('datasets', () => {
  it('hashes the file and deduplicates on the hash', () => {
    const a = store.addDataset({ path: writeFile('a.npz', 'same bytes'), format: 'npz', shapes: { x: [4, 6] }, systemKind: 'half-sphere' });
    const b = store.addDataset({ path: writeFile('b.npz', 'same bytes'), format: 'npz', shapes: {} });
    const c = store.addDataset({ path: writeFile('c.npz', 'other bytes'), format: 'npz', shapes: {} });
    expect(a.contentHash).toBe(createHash('sha256').update('same bytes').digest('hex'));
    expect(b).toEqual(a);
    expect(c.id).not.toBe(a.id);
    expect(store.getDataset(a.id)).toEqual(a);
    expect(store.listDatasets().map((d) => d.id).sort()).toEqual([a.id, c.id].sort());
    expect(a.shapes).toEqual({ x: [4, 6] });
  });

  it('rejects a missing file and bad shapes clearly', () => {
    expect(() => store.addDataset({ path: path.join(dir, 'nope.npz'), format: 'npz', shapes: {} })).toThrow(/nope\.npz/);
    expect(() => store.addDataset({ path: writeFile('d.npz', 'x'), format: 'npz', shapes: { x: [-1] } })).toThrow(
      /shapes\.x/,
    );
  });
});

describe('run lifecycle and metrics', () => {
  it('moves through queued -> running -> done and refuses other transitions', () => {
    const run = store.createRun({ modelKind: 'ngf', config: { lr: 1e-3 }, seed: 7, tags: ['b', ' a ', 'b'] });
    expect(run).toMatchObject({ status: 'queued', seed: 7, tags: ['a', 'b'], config: { lr: 1e-3 }, startedAt: null });
    expect(() => store.finishRun(run.id, {})).toThrow(/is queued, expected running/);
    const started = store.startRun(run.id, { backend: 'wasm', versions: { tfjs: '4.22.0' } });
    expect(started).toMatchObject({ status: 'running', backend: 'wasm', versions: { tfjs: '4.22.0' } });
    expect(started.startedAt).toBeTypeOf('number');
    const done = store.finishRun(run.id, { test_loss: 1e-4 });
    expect(done).toMatchObject({ status: 'done', summary: { test_loss: 1e-4 } });
    expect(() => store.cancelRun(run.id)).toThrow(/is done/);
    expect(() => store.startRun('00000000-0000-4000-8000-000000000000', { backend: 'cpu', versions: {} })).toThrow(
      /no run with id/,
    );
    const failed = store.failRun(store.createRun({ modelKind: 'hnn', config: {}, seed: 0 }).id, 'dataset has NaNs');
    expect(failed).toMatchObject({ status: 'failed', error: 'dataset has NaNs' });
    expect(store.cancelRun(store.createRun({ modelKind: 'node', config: {}, seed: 0 }).id).status).toBe('cancelled');
  });

  it('validates runs and points before writing anything', () => {
    expect(() => store.createRun({ modelKind: 'gan' as ModelKind, config: {}, seed: 0 })).toThrow(/modelKind/);
    expect(() => store.createRun({ modelKind: 'ngf', config: {}, seed: 0, trainDatasetId: 'nope' })).toThrow(
      /trainDatasetId: no dataset/,
    );
    const run = store.createRun({ modelKind: 'ngf', config: {}, seed: 0 });
    expect(() =>
      store.logMetrics(run.id, [
        { step: 0, name: 'loss', value: 1 },
        { step: -1, name: 'loss', value: 1 },
      ]),
    ).toThrow(/points\[1\]\.step/);
    expect(() => store.logMetrics(run.id, [{ step: 0, name: 'loss', value: '1' as unknown as number }])).toThrow(
      /points\[0\]\.value/,
    );
    expect(store.metricSeries([run.id])).toEqual([]);
  });

  it('keeps NaN and infinities, replaces a re-logged step and keeps last/min/max exact', () => {
    const run = store.createRun({ modelKind: 'ngf', config: {}, seed: 0 });
    store.logMetrics(run.id, [
      { step: 0, name: 'loss', value: NaN, wallTime: 10 },
      { step: 1, name: 'loss', value: 3, wallTime: 11 },
      { step: 2, name: 'loss', value: Infinity, wallTime: 12 },
    ]);
    store.logMetrics(run.id, [{ step: 3, name: 'loss', value: 0.5, wallTime: 13 }, { step: 0, name: 'acc', value: 0.9 }]);
    expect(store.metricStats([run.id])[run.id]).toEqual({
      loss: { last: 0.5, lastStep: 3, min: 0.5, max: Infinity, count: 4 },
      acc: { last: 0.9, lastStep: 0, min: 0.9, max: 0.9, count: 1 },
    });
    // Replacing the minimum must bring the minimum back up.
    store.logMetrics(run.id, [{ step: 3, name: 'loss', value: 5, wallTime: 14 }]);
    expect(store.metricStats([run.id])[run.id]!['loss']).toEqual({ last: 5, lastStep: 3, min: 3, max: Infinity, count: 4 });
    expect(store.metricSeries([run.id], ['loss'])).toEqual([
      { runId: run.id, name: 'loss', steps: [0, 1, 2, 3], values: [NaN, 3, Infinity, 5], wallTimes: [10, 11, 12, 14] },
    ]);
  });

  it('fetches several runs\' series at once, in the order asked', () => {
    const runs = [0, 1, 2].map((seed) => store.createRun({ modelKind: 'ngf', config: {}, seed }));
    runs.forEach((run, k) =>
      store.logMetrics(
        run.id,
        [0, 1, 2].flatMap((step) => [
          { step, name: 'train_loss', value: k + step },
          { step, name: 'test_loss', value: 10 * k + step },
        ]),
      ),
    );
    const series = store.metricSeries([runs[2]!.id, runs[0]!.id], ['test_loss', 'train_loss']);
    expect(series.map((s) => [s.runId, s.name])).toEqual([
      [runs[2]!.id, 'test_loss'],
      [runs[2]!.id, 'train_loss'],
      [runs[0]!.id, 'test_loss'],
      [runs[0]!.id, 'train_loss'],
    ]);
    expect(series[0]!.values).toEqual([20, 21, 22]);
    expect(store.metricSeries([runs[1]!.id]).map((s) => s.name)).toEqual(['test_loss', 'train_loss']);
    expect(() => store.metricSeries(['missing'])).toThrow(/metricSeries: no run with id 'missing'/);
  });

  it('updates tags and notes', () => {
    const run = store.createRun({ modelKind: 'ngf', config: {}, seed: 0, tags: ['x'] });
    expect(store.setTags(run.id, ['paper', 'baseline', 'paper']).tags).toEqual(['baseline', 'paper']);
    expect(store.setNotes(run.id, 'diverged at epoch 3').notes).toBe('diverged at epoch 3');
    expect(store.getRun(run.id)).toMatchObject({ tags: ['baseline', 'paper'], notes: 'diverged at epoch 3' });
    expect(() => store.setTags(run.id, [''])).toThrow(/tags\[0\]/);
  });
});

describe('listRuns', () => {
  /** 12 runs: kinds cycle ngf/hnn/node, statuses cycle, two groups, tags, notes, test_loss = 10^-k. */
  function populate() {
    const data = store.addDataset({ path: writeFile('train.npz', 'train'), format: 'npz', shapes: {} });
    const statuses: RunStatus[] = ['done', 'failed', 'cancelled', 'queued'];
    return Array.from({ length: 12 }, (_, k) => {
      const kind = (['ngf', 'hnn', 'node'] as const)[k % 3];
      const run = store.createRun({
        modelKind: kind,
        config: { k },
        seed: k,
        groupId: k < 6 ? 'group-a' : 'group-b',
        trainDatasetId: k % 2 === 0 ? data.id : null,
        tags: k % 4 === 0 ? ['paper', 'sphere'] : ['sphere'],
        notes: k === 5 ? 'Learning rate 100% too HIGH' : `run ${k}`,
      });
      const status = statuses[k % 4]!;
      if (status !== 'queued') store.startRun(run.id, { backend: 'cpu', versions: {} });
      // test_loss falls from 1 to 10^-k over three steps (min = last = 10^-k); k = 11 logs none.
      if (k < 11) store.logMetrics(run.id, [0, 1, 2].map((step) => ({ step, name: 'test_loss', value: step === 2 ? 10 ** -k : 1 + step })));
      if (status === 'done') store.finishRun(run.id, {});
      if (status === 'failed') store.failRun(run.id, 'boom');
      if (status === 'cancelled') store.cancelRun(run.id);
      return { id: run.id, k, kind, status, dataset: data.id };
    });
  }

  it('filters by kind, status, dataset, group, tags, notes and metric thresholds', () => {
    const runs = populate();
    const ks = (filter: Parameters<RunStore['listRuns']>[0]) =>
      store.listRuns({ ...filter, limit: 100 }).runs.map((r) => runs.find((x) => x.id === r.id)!.k).sort((a, b) => a - b);
    expect(ks({ modelKind: 'hnn' })).toEqual([1, 4, 7, 10]);
    expect(ks({ modelKind: ['hnn', 'node'], status: 'done' })).toEqual([4, 8]);
    expect(ks({ status: ['failed', 'cancelled'] })).toEqual([1, 2, 5, 6, 9, 10]);
    expect(ks({ datasetId: runs[0]!.dataset })).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ks({ groupId: 'group-b', tag: 'paper' })).toEqual([8]);
    expect(ks({ tag: ['paper', 'sphere'] })).toEqual([0, 4, 8]);
    expect(ks({ text: '100%' })).toEqual([5]);
    expect(ks({ text: 'too high' })).toEqual([5]);
    expect(ks({ text: '_' })).toEqual([]);
    expect(ks({ metric: { metric: 'test_loss', op: '<', value: 1e-3 } })).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(ks({ metric: { metric: 'test_loss', op: '>=', value: 2, of: 'max' }, modelKind: 'ngf' })).toEqual([0, 3, 6, 9]);
    expect(
      ks({ metric: [{ metric: 'test_loss', op: '<', value: 1e-3 }, { metric: 'test_loss', op: '>', value: 1e-6, of: 'min' }] }),
    ).toEqual([4, 5]);
    expect(ks({ metric: { metric: 'no_such_metric', op: '<', value: 1 } })).toEqual([]);
  });

  it('sorts, by a column or a metric (runs without it last), and pages with a total', () => {
    const runs = populate();
    const k = (id: string) => runs.find((x) => x.id === id)!.k;
    const bySeed = store.listRuns({ sort: { by: 'seed', dir: 'asc' }, limit: 5, offset: 5 });
    expect(bySeed.total).toBe(12);
    expect(bySeed.runs.map((r) => k(r.id))).toEqual([5, 6, 7, 8, 9]);
    const newest = store.listRuns({ limit: 1 });
    expect(k(newest.runs[0]!.id)).toBe(11);
    const byLoss = store.listRuns({ sort: { metric: 'test_loss', dir: 'asc' } }).runs.map((r) => k(r.id));
    expect(byLoss).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11]);
    const page = store.listRuns({ modelKind: 'ngf', sort: { metric: 'test_loss', of: 'min', dir: 'desc' }, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.runs.map((r) => k(r.id))).toEqual([0, 3]);
    expect(page.runs[0]!.tags).toEqual(['paper', 'sphere']);
  });

  it('rejects bad filters by name', () => {
    expect(() => store.listRuns({ status: 'finished' as RunStatus })).toThrow(/status must be one of/);
    expect(() => store.listRuns({ metric: { metric: 'x', op: '!=' as '<', value: 1 } })).toThrow(/metric\.op/);
    expect(() => store.listRuns({ sort: { by: '__proto__' as 'seed' } })).toThrow(/sort\.by/);
    expect(() => store.listRuns({ limit: 0 })).toThrow(/limit/);
  });

  it('answers every query from an index, never a scan of metrics, metric_stats or run_tags', () => {
    const runs = populate();
    const traced: string[] = [];
    const tracing = RunStore.open(dbPath, { trace: (sql) => traced.push(sql) });
    tracing.listRuns({ metric: { metric: 'test_loss', op: '<', value: 1e-3 }, tag: 'paper', modelKind: 'ngf' });
    tracing.listRuns({ datasetId: runs[0]!.dataset, sort: { metric: 'test_loss' } });
    tracing.listRuns({ groupId: 'group-a', status: 'done' });
    tracing.metricSeries(runs.slice(0, 3).map((r) => r.id), ['test_loss']);
    tracing.metricSeries(runs.slice(0, 3).map((r) => r.id));
    tracing.metricStats(runs.slice(0, 3).map((r) => r.id));
    tracing.close();
    const db = new Database(dbPath, { readonly: true });
    const selects = traced.filter((sql) => /^\s*SELECT/i.test(sql) && !/sqlite_master|PRAGMA/i.test(sql));
    expect(selects.length).toBeGreaterThanOrEqual(9);
    for (const sql of selects) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join('; ');
      expect(plan, sql).not.toMatch(/SCAN (metrics|metric_stats|run_tags|m|s)\b/);
    }
    db.close();
  });
});

describe('artifacts and deletion', () => {
  it('stores files next to the database, replaces by name, and deletes them with their run', () => {
    const run = store.createRun({ modelKind: 'ngf', config: {}, seed: 0 });
    const other = store.createRun({ modelKind: 'ngf', config: {}, seed: 1 });
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const a = store.addArtifact(run.id, 'checkpoint', 'epoch-1.ckpt', bytes);
    expect(a).toMatchObject({ runId: run.id, kind: 'checkpoint', path: `${run.id}/epoch-1.ckpt`, bytes: 5 });
    expect(store.artifactPath(run.id, 'epoch-1.ckpt')).toBe(path.join(`${dbPath}.artifacts`, run.id, 'epoch-1.ckpt'));
    expect(new Uint8Array(fs.readFileSync(store.artifactPath(run.id, 'epoch-1.ckpt')))).toEqual(bytes);
    store.addArtifact(run.id, 'analysis', 'report.json', writeFile('report.json', '{"ok":true}'));
    store.addArtifact(run.id, 'checkpoint', 'epoch-1.ckpt', new Uint8Array([9]));
    expect(store.listArtifacts(run.id).map((x) => [x.name, x.bytes])).toEqual([
      ['epoch-1.ckpt', 1],
      ['report.json', 11],
    ]);
    expect(() => store.addArtifact(run.id, 'checkpoint', '../escape', bytes)).toThrow(/plain file name/);
    expect(() => store.addArtifact(run.id, 'model' as 'checkpoint', 'x', bytes)).toThrow(/kind must be one of/);
    store.addArtifact(other.id, 'checkpoint', 'keep.ckpt', bytes);
    store.logMetrics(run.id, [{ step: 0, name: 'loss', value: 1 }]);

    expect(store.deleteRuns([run.id, '00000000-0000-4000-8000-000000000000'])).toBe(1);
    expect(store.getRun(run.id)).toBeNull();
    expect(fs.existsSync(path.join(`${dbPath}.artifacts`, run.id))).toBe(false);
    expect(fs.existsSync(store.artifactPath(other.id, 'keep.ckpt'))).toBe(true);
    const db = new Database(dbPath, { readonly: true });
    for (const table of ['metrics', 'metric_stats', 'run_tags']) {
      expect((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, table).toBe(0);
    }
    db.close();
    expect(() => store.deleteRuns(['../..'])).toThrow(/not a run id/);
  });
});

describe('a writer process', () => {
  /** Starts the metric-writing fixture; resolves each committed count it prints. */
  function startWriter(batch: number, delayMs: number) {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'metricWriter.ts'), dbPath, String(batch), String(delayMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const reports: { runId: string; committed: number }[] = [];
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) reports.push(JSON.parse(line));
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const until = async (committed: number) => {
      const deadline = Date.now() + 30_000;
      while ((reports.at(-1)?.committed ?? 0) < committed) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`writer fixture stopped: ${stderr}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return reports.at(-1)!;
    };
    return { child, reports, exited, until };
  }

  async function kill(child: ChildProcess, exited: Promise<void>) {
    child.kill('SIGKILL');
    // Wait for the exit to be reaped: a zombie's pid still answers kill(pid, 0).
    await exited;
  }

  it('never blocks a reader, which sees only whole committed batches', async () => {
    const writer = startWriter(50, 2);
    const { runId } = await writer.until(50);
    const seen: number[] = [];
    const deadline = Date.now() + 10_000;
    while ((seen.at(-1) ?? 0) < 2000 && Date.now() < deadline) {
      const count = store.metricSeries([runId], ['loss'])[0]?.steps.length ?? 0;
      seen.push(count);
      expect(store.getRun(runId)!.status).toBe('running');
      await new Promise((r) => setTimeout(r, 1));
    }
    await kill(writer.child, writer.exited);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.every((n) => n % 50 === 0)).toBe(true);
    expect(seen.every((n, i) => i === 0 || n >= seen[i - 1]!)).toBe(true);
    expect(new Set(seen).size).toBeGreaterThan(2);
  });

  it('SIGKILLed mid-run keeps every committed metric, and the run is interrupted on the next open', async () => {
    const writer = startWriter(10, 5);
    await writer.until(100);
    await kill(writer.child, writer.exited);
    const lastReport = writer.reports.at(-1)!;
    // The already-open store does not sweep; a new open does.
    expect(store.getRun(lastReport.runId)!.status).toBe('running');
    store.close();
    store = RunStore.open(dbPath);
    const run = store.getRun(lastReport.runId)!;
    expect(run.status).toBe('interrupted');
    expect(run.error).toMatch(new RegExp(`:${writer.child.pid}\\) ended`));
    const [series] = store.metricSeries([run.id], ['loss']);
    // Every reported commit is there; at most the batch in flight after the last report beyond it.
    expect(series!.steps.length).toBeGreaterThanOrEqual(lastReport.committed);
    expect(series!.steps.length % 10).toBe(0);
    expect(series!.steps).toEqual(Array.from({ length: series!.steps.length }, (_, i) => i));
    expect(series!.values[99]).toBeCloseTo(1 / 100, 12);
  });

  it('does not mark a live process\'s runs interrupted when another store opens the database', () => {
    const run = store.createRun({ modelKind: 'ngf', config: {}, seed: 0 });
    store.startRun(run.id, { backend: 'cpu', versions: {} });
    const second = RunStore.open(dbPath);
    expect(second.getRun(run.id)!.status).toBe('running');
    second.close();
  });
});
