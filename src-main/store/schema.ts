/**
 * The run store's schema as a list of numbered migrations. Step i (0-based) takes a database from
 * `PRAGMA user_version` i to i + 1; `migrate` applies the missing steps on open, each in its own
 * transaction, so a crash mid-migration leaves the database at the last complete version.
 *
 * Never edit a step that has shipped: append a new one.
 *
 * Internal keys: runs have an integer `seq` (the rowid) besides their public UUID `id`; metrics, tags
 * and artifacts reference `seq`, which keeps the million-row metrics table and its index compact.
 * Metric values are REAL; SQLite stores NaN as NULL, so NULL in `value` / `*_value` means NaN.
 */
import type Database from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  // 1: datasets, runs, tags, metrics, artifacts.
  `
  CREATE TABLE datasets (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    shapes TEXT NOT NULL,
    system_kind TEXT,
    notes TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
  );
  CREATE TABLE runs (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    group_id TEXT,
    model_kind TEXT NOT NULL CHECK (model_kind IN ('ngf', 'hnn', 'node')),
    config TEXT NOT NULL,
    train_dataset_id TEXT REFERENCES datasets (id),
    test_dataset_id TEXT REFERENCES datasets (id),
    seed INTEGER NOT NULL,
    status TEXT NOT NULL
      CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    backend TEXT,
    versions TEXT,
    error TEXT,
    notes TEXT NOT NULL DEFAULT '',
    summary TEXT,
    -- 'host:pid' of the process that queued or runs it: how an open tells a live run from an orphan.
    owner TEXT
  );
  CREATE INDEX runs_created ON runs (created_at);
  CREATE INDEX runs_kind ON runs (model_kind, created_at);
  CREATE INDEX runs_status ON runs (status, created_at);
  CREATE INDEX runs_group ON runs (group_id);
  CREATE INDEX runs_train_dataset ON runs (train_dataset_id);
  CREATE INDEX runs_test_dataset ON runs (test_dataset_id);
  CREATE TABLE run_tags (
    run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (run, tag)
  ) WITHOUT ROWID;
  CREATE INDEX run_tags_tag ON run_tags (tag, run);
  CREATE TABLE metrics (
    run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
    name TEXT NOT NULL,
    step INTEGER NOT NULL,
    value REAL,
    wall_time REAL NOT NULL,
    PRIMARY KEY (run, name, step)
  ) WITHOUT ROWID;
  CREATE TABLE artifacts (
    run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (run, name)
  ) WITHOUT ROWID;
  `,
  // 2: last / min / max per (run, metric), so that threshold filters and metric sorts read an index
  // instead of scanning the metrics. Backfilled from the metrics already logged.
  `
  CREATE TABLE metric_stats (
    run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
    name TEXT NOT NULL,
    last_step INTEGER NOT NULL,
    last_value REAL,
    min_value REAL,
    max_value REAL,
    count INTEGER NOT NULL,
    PRIMARY KEY (run, name)
  ) WITHOUT ROWID;
  CREATE INDEX metric_stats_last ON metric_stats (name, last_value);
  CREATE INDEX metric_stats_min ON metric_stats (name, min_value);
  CREATE INDEX metric_stats_max ON metric_stats (name, max_value);
  INSERT INTO metric_stats (run, name, last_step, last_value, min_value, max_value, count)
    SELECT m.run, m.name, max(m.step),
      (SELECT l.value FROM metrics l WHERE l.run = m.run AND l.name = m.name ORDER BY l.step DESC LIMIT 1),
      min(m.value), max(m.value), count(*)
    FROM metrics m GROUP BY m.run, m.name;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to `upTo` (default: the latest version); returns the versions before and
 * after. Refuses a database written by a newer workbench rather than guessing at its schema.
 */
export function migrate(db: Database.Database, upTo = SCHEMA_VERSION): { from: number; to: number } {
  const versionOf = () => db.pragma('user_version', { simple: true }) as number;
  const from = versionOf();
  if (from > SCHEMA_VERSION) {
    throw new Error(
      `${db.name}: schema version ${from} is newer than this workbench knows (${SCHEMA_VERSION}); ` +
        'open it with a newer NGF Workbench',
    );
  }
  for (let step = from; step < upTo; step++) {
    // IMMEDIATE takes the write lock before re-reading the version, so two processes opening the
    // same fresh file do not both apply a step.
    db.transaction(() => {
      if (versionOf() !== step) return;
      db.exec(MIGRATIONS[step]!);
      db.pragma(`user_version = ${step + 1}`);
    }).immediate();
  }
  return { from, to: versionOf() };
}
