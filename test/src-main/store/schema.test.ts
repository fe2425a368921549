import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from '../../../src-main/store/schema';
import { RunStore } from '../../../src-main/store/runStore';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngf-schema-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (t) => t.name,
  );
}

describe('migrations', () => {
  it('builds the latest schema in an empty file, in WAL mode', () => {
    const file = path.join(dir, 'fresh.db');
    RunStore.open(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(tables(db)).toEqual(['artifacts', 'datasets', 'metric_stats', 'metrics', 'run_tags', 'runs']);
    db.close();
  });

  it('is a no-op on a database that is already current', () => {
    const db = new Database(path.join(dir, 'x.db'));
    expect(migrate(db)).toEqual({ from: 0, to: SCHEMA_VERSION });
    expect(migrate(db)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    db.close();
  });

  it('upgrades a version-1 database, backfilling the metric statistics from its metrics', () => {
    const file = path.join(dir, 'v1.db');
    const db = new Database(file);
    expect(migrate(db, 1)).toEqual({ from: 0, to: 1 });
    db.prepare(
      `INSERT INTO runs (seq, id, model_kind, config, seed, status, created_at)
       VALUES (1, '00000000-0000-4000-8000-000000000001', 'hnn', '{}', 3, 'done', 0)`,
    ).run();
    const insert = db.prepare('INSERT INTO metrics (run, name, step, value, wall_time) VALUES (1, ?, ?, ?, 0)');
    for (const [step, value] of [[0, 4], [1, 1], [2, null], [3, 2]] as const) insert.run('test_loss', step, value);
    db.close();

    const store = RunStore.open(file);
    const id = '00000000-0000-4000-8000-000000000001';
    expect(store.metricStats([id])[id]!['test_loss']).toEqual({ last: 2, lastStep: 3, min: 1, max: 4, count: 4 });
    expect(store.listRuns({ metric: { metric: 'test_loss', op: '<', value: 1.5, of: 'min' } }).runs.map((r) => r.id)).toEqual([id]);
    expect(store.listRuns({ metric: { metric: 'test_loss', op: '<', value: 1.5 } }).total).toBe(0);
    store.close();
  });

  it('refuses a database from a newer workbench, and a file that is not a database, naming the file', () => {
    const newer = path.join(dir, 'newer.db');
    const db = new Database(newer);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => RunStore.open(newer)).toThrow(new RegExp(`newer\\.db.*schema version ${SCHEMA_VERSION + 1} is newer`));

    const garbage = path.join(dir, 'garbage.db');
    fs.writeFileSync(garbage, 'this is not a database, just some text that is long enough'.repeat(20));
    expect(() => RunStore.open(garbage)).toThrow(/garbage\.db/);
  });
});
