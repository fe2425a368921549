import { strToU8, unzipSync, zipSync } from 'fflate';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_FORMAT } from '../../../src-main/store/exchange';
import { RunStore } from '../../../src-main/store/runStore';

let dir: string;
let source: RunStore;
let target: RunStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngf-exchange-'));
  source = RunStore.open(path.join(dir, 'source.db'));
  target = RunStore.open(path.join(dir, 'target.db'));
});
afterEach(() => {
  source.close();
  target.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

/** Two finished runs sharing a dataset (one with a checkpoint), one still running, one not exported. */
function populate() {
  const train = source.addDataset({ path: file('train.npz', 'train data'), format: 'npz', shapes: { x: [8, 6] }, systemKind: 'half-sphere' });
  const test = source.addDataset({ path: file('test.npz', 'test data'), format: 'npz', shapes: { x: [2, 6] } });
  const make = (kind: 'ngf' | 'hnn', seed: number) => {
    const run = source.createRun({ modelKind: kind, config: { hidden: [32, 32], seed }, seed, groupId: 'g1', trainDatasetId: train.id, testDatasetId: test.id, tags: ['cmp'], notes: `seed ${seed}` });
    source.startRun(run.id, { backend: 'cpu', versions: { tfjs: '4.22.0' } });
    source.logMetrics(run.id, [0, 1, 2, 3].flatMap((step) => [
      { step, name: 'train_loss', value: step === 1 ? NaN : 1 / (step + 1 + seed), wallTime: 1000 + step },
      { step, name: 'test_loss', value: step === 2 ? -Infinity : 2 / (step + 1), wallTime: 1000 + step },
    ]));
    return run;
  };
  const a = make('ngf', 1);
  const b = make('hnn', 2);
  const running = make('ngf', 3);
  const notExported = make('hnn', 4);
  const checkpoint = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
  source.addArtifact(a.id, 'checkpoint', 'final.ckpt', checkpoint);
  source.addArtifact(a.id, 'analysis', 'energy.json', strToU8('{"drift":1e-6}'));
  source.finishRun(a.id, { test_loss: 0.5 });
  source.failRun(b.id, 'exploded');
  return { a, b, running, notExported, checkpoint, train, test };
}

describe('exportRuns / importRuns', () => {
  it('round-trips runs, metrics, artifacts and dataset metadata; re-importing adds nothing', () => {
    const { a, b, running, notExported, checkpoint, train } = populate();
    // The target already knows the training file (same bytes, its own id): it must be matched by hash.
    const localTrain = target.addDataset({ path: file('my-copy.npz', 'train data'), format: 'npz', shapes: { x: [8, 6] } });
    expect(localTrain.id).not.toBe(train.id);

    const out = path.join(dir, 'export.ngfruns');
    source.exportRuns([a.id, b.id, running.id, a.id], out);
    const result = target.importRuns(out);
    expect(result.runsImported.sort()).toEqual([a.id, b.id, running.id].sort());
    expect(result).toMatchObject({ runsSkipped: [], datasetsImported: 1, datasetsMatched: 1 });

    for (const id of [a.id, b.id]) {
      const original = source.getRun(id)!;
      expect(target.getRun(id)).toEqual({ ...original, trainDatasetId: localTrain.id });
    }
    const imported = target.getRun(running.id)!;
    expect(imported).toMatchObject({ status: 'interrupted', error: 'exported while running' });
    expect(target.getRun(notExported.id)).toBeNull();
    expect(target.getDataset(a.testDatasetId!)).toEqual(source.getDataset(a.testDatasetId!));

    const ids = [a.id, b.id, running.id];
    expect(target.metricSeries(ids)).toEqual(source.metricSeries(ids));
    expect(target.metricStats(ids)).toEqual(source.metricStats(ids));
    expect(target.listArtifacts(a.id)).toEqual(source.listArtifacts(a.id));
    expect(fs.readFileSync(target.artifactPath(a.id, 'final.ckpt')).equals(checkpoint)).toBe(true);
    expect(target.listRuns({ metric: { metric: 'test_loss', op: '<', value: 0, of: 'min' } }).total).toBe(3);

    const again = target.importRuns(out);
    expect(again).toEqual({ runsImported: [], runsSkipped: [a.id, b.id, running.id], datasetsImported: 0, datasetsMatched: 2 });
    expect(target.listRuns().total).toBe(3);
    expect(target.listDatasets()).toHaveLength(2);
  });

  it('rejects foreign, corrupt, tampered and newer files with a clear error and imports nothing', () => {
    const { a } = populate();
    const out = path.join(dir, 'export.zip');
    source.exportRuns([a.id], out);
    const entries = unzipSync(new Uint8Array(fs.readFileSync(out)));
    const manifest = JSON.parse(new TextDecoder().decode(entries['manifest.json']));
    const variant = (name: string, changes: Record<string, Uint8Array>) =>
      file(name, zipSync({ ...entries, ...changes }));

    expect(() => target.importRuns(file('garbage.zip', 'definitely not a zip'))).toThrow(/garbage\.zip: not an NGF Workbench run export/);
    expect(() => target.importRuns(path.join(dir, 'absent.zip'))).toThrow(/cannot read .*absent\.zip/);
    expect(() => target.importRuns(file('other.zip', zipSync({ 'readme.txt': strToU8('hi') })))).toThrow(/no manifest\.json/);
    expect(() =>
      target.importRuns(variant('foreign.zip', { 'manifest.json': strToU8(JSON.stringify({ ...manifest, format: 'something-else' })) })),
    ).toThrow(/not an NGF Workbench run export/);
    expect(() =>
      target.importRuns(variant('newer.zip', { 'manifest.json': strToU8(JSON.stringify({ ...manifest, version: 99 })) })),
    ).toThrow(/format version 99 is newer/);
    const badRun = structuredClone(manifest);
    badRun.runs[0].run.modelKind = 'gan';
    expect(() => target.importRuns(variant('bad-kind.zip', { 'manifest.json': strToU8(JSON.stringify(badRun)) }))).toThrow(
      /manifest\.json: runs\.0\.run\.modelKind/,
    );
    const escape = structuredClone(manifest);
    escape.runs[0].run.id = '../../etc';
    expect(() => target.importRuns(variant('escape.zip', { 'manifest.json': strToU8(JSON.stringify(escape)) }))).toThrow(
      /runs\.0\.run\.id: expected a UUID/,
    );
    const tampered = entries[`artifacts/${a.id}/final.ckpt`]!.slice();
    tampered[1000] ^= 1;
    expect(() => target.importRuns(variant('tampered.zip', { [`artifacts/${a.id}/final.ckpt`]: tampered }))).toThrow(
      /final\.ckpt.*corrupt/,
    );
    expect(manifest.format).toBe(EXPORT_FORMAT);
    expect(target.listRuns().total).toBe(0);
    expect(target.listDatasets()).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'target.db.artifacts', a.id))).toBe(false);
  });

  it('refuses to export an unknown run', () => {
    expect(() => source.exportRuns(['00000000-0000-4000-8000-000000000000'], path.join(dir, 'x.zip'))).toThrow(/no run with id/);
  });
});
