/**
 * RunStore: the workbench's SQLite database of datasets, training runs, their metrics and artifacts
 * (better-sqlite3, synchronous).
 *
 * - One file, WAL mode: readers (the UI, a second process) never block the one writer and see only
 *   committed transactions. A busy timeout makes a second writer wait rather than fail.
 * - Every logMetrics call is one transaction: a run that dies mid-training keeps every batch committed
 *   before the crash. Runs left queued or running by a process that is gone are marked `interrupted`
 *   when a store is next opened.
 * - Per (run, metric) the last / min / max value are kept up to date in `metric_stats`, so threshold
 *   filters and metric sorts read an index instead of the metrics themselves.
 * - Artifacts (checkpoints, analysis results) are files in `<db>.artifacts/<run id>/<name>`, not blobs:
 *   training and evaluation read checkpoints as files, and tens of MB per row would bloat the WAL and
 *   every backup of the database.
 * - Ids are random UUIDs, so runs exported from one database import into another without clashes.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRunExport, sha256Hex, writeRunExport, type ExportedSeries } from './exchange';
import { migrate } from './schema';
import {
  ARTIFACT_KINDS,
  ARTIFACT_NAME_PATTERN,
  ID_PATTERN,
  MODEL_KINDS,
  RUN_STATUSES,
  type ArtifactKind,
  type ArtifactRow,
  type DatasetRow,
  type ImportResult,
  type JsonObject,
  type MetricPoint,
  type MetricSeries,
  type MetricStat,
  type MetricStatistic,
  type MetricThreshold,
  type ModelKind,
  type NewDataset,
  type NewRun,
  type RunFilter,
  type RunPage,
  type RunRow,
  type RunSortKey,
  type RunStart,
  type RunStatus,
} from './types';

interface DatasetRecord {
  id: string;
  path: string;
  content_hash: string;
  format: string;
  shapes: string;
  system_kind: string | null;
  notes: string;
  created_at: number;
}

interface RunRecord {
  seq: number;
  id: string;
  group_id: string | null;
  model_kind: ModelKind;
  config: string;
  train_dataset_id: string | null;
  test_dataset_id: string | null;
  seed: number;
  status: RunStatus;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  backend: string | null;
  versions: string | null;
  error: string | null;
  notes: string;
  summary: string | null;
  owner: string | null;
}

interface ArtifactRecord {
  run_id: string;
  kind: ArtifactKind;
  name: string;
  path: string;
  bytes: number;
  sha256: string;
  created_at: number;
}

const RUN_COLUMNS = `r.seq, r.id, r.group_id, r.model_kind, r.config, r.train_dataset_id, r.test_dataset_id, r.seed,
  r.status, r.created_at, r.started_at, r.finished_at, r.backend, r.versions, r.error, r.notes, r.summary, r.owner`;

const SORT_COLUMNS: Record<RunSortKey, string> = {
  createdAt: 'r.created_at',
  startedAt: 'r.started_at',
  finishedAt: 'r.finished_at',
  status: 'r.status',
  modelKind: 'r.model_kind',
  seed: 'r.seed',
};

const STAT_COLUMNS: Record<MetricStatistic, string> = { last: 'last_value', min: 'min_value', max: 'max_value' };
const THRESHOLD_OPS = ['<', '<=', '>', '>='] as const;
const MAX_PAGE = 10_000;

/** Identifies this process to other openers of the database: a run it owns is not an orphan. */
const OWNER = `${os.hostname()}:${process.pid}`;

export class RunStore {
  /** The folder holding the artifact files: `<db>.artifacts/`. */
  readonly artifactsDir: string;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    readonly dbPath: string,
    private readonly db: Database.Database,
  ) {
    this.artifactsDir = `${dbPath}.artifacts`;
  }

  /**
   * Opens the database at dbPath (creating it and its folder if needed), migrates it to the latest
   * schema and marks the queued or running runs of dead processes `interrupted`. `trace` receives
   * every SQL statement executed, parameters filled in (for debugging and query-plan tests).
   */
  static open(dbPath: string, options: { trace?: (sql: string) => void } = {}): RunStore {
    const absolute = path.resolve(dbPath);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    const db = new Database(absolute, options.trace ? { verbose: (sql) => options.trace!(String(sql)) } : {});
    try {
      db.pragma('busy_timeout = 10000');
      db.pragma('journal_mode = WAL');
      // With WAL, NORMAL is durable against a process crash (every commit is in the WAL file); only a
      // power loss can drop the last commits.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    } catch (err) {
      db.close();
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(reason.startsWith(absolute) ? reason : `${absolute}: cannot open the run store (${reason})`);
    }
    const store = new RunStore(absolute, db);
    store.markOrphansInterrupted();
    return store;
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }

  // ---------------------------------------------------------------- datasets

  /** Registers a dataset file; returns the existing row when one with the same content hash exists. */
  addDataset(dataset: NewDataset): DatasetRow {
    requireString(dataset.path, 'addDataset: path');
    requireString(dataset.format, 'addDataset: format');
    checkShapes(dataset.shapes);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(dataset.path);
    } catch (err) {
      throw new Error(`addDataset: cannot read ${dataset.path} (${(err as Error).message})`);
    }
    const contentHash = sha256Hex(bytes);
    const existing = this.stmt('SELECT * FROM datasets WHERE content_hash = ?').get(contentHash) as
      | DatasetRecord
      | undefined;
    if (existing) return datasetRow(existing);
    const record: DatasetRecord = {
      id: randomUUID(),
      path: path.resolve(dataset.path),
      content_hash: contentHash,
      format: dataset.format,
      shapes: JSON.stringify(dataset.shapes),
      system_kind: dataset.systemKind ?? null,
      notes: dataset.notes ?? '',
      created_at: Date.now(),
    };
    this.insertDataset(record);
    return datasetRow(record);
  }

  listDatasets(): DatasetRow[] {
    return (this.stmt('SELECT * FROM datasets ORDER BY created_at DESC').all() as DatasetRecord[]).map(datasetRow);
  }

  getDataset(id: string): DatasetRow | null {
    const record = this.stmt('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRecord | undefined;
    return record ? datasetRow(record) : null;
  }

  // ---------------------------------------------------------------- run lifecycle

  /** A new run in status `queued`, owned by this process. */
  createRun(run: NewRun): RunRow {
    if (!MODEL_KINDS.includes(run.modelKind)) {
      throw new Error(`createRun: modelKind must be one of ${MODEL_KINDS.join(', ')} (got ${String(run.modelKind)})`);
    }
    if (!Number.isSafeInteger(run.seed)) throw new Error(`createRun: seed must be an integer (got ${run.seed})`);
    if (typeof run.config !== 'object' || run.config === null || Array.isArray(run.config)) {
      throw new Error('createRun: config must be a JSON object');
    }
    for (const key of ['trainDatasetId', 'testDatasetId'] as const) {
      const id = run[key];
      if (id != null && !this.getDataset(id)) throw new Error(`createRun: ${key}: no dataset with id '${id}'`);
    }
    const tags = normaliseTags(run.tags ?? [], 'createRun');
    const id = randomUUID();
    this.db.transaction(() => {
      const { lastInsertRowid } = this.stmt(
        `INSERT INTO runs (id, group_id, model_kind, config, train_dataset_id, test_dataset_id, seed, status,
           created_at, notes, owner)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
      ).run(
        id,
        run.groupId ?? null,
        run.modelKind,
        JSON.stringify(run.config),
        run.trainDatasetId ?? null,
        run.testDatasetId ?? null,
        run.seed,
        Date.now(),
        run.notes ?? '',
        OWNER,
      );
      for (const tag of tags) this.stmt('INSERT INTO run_tags (run, tag) VALUES (?, ?)').run(lastInsertRowid, tag);
    })();
    return this.requireRun(id);
  }

  /** queued -> running, recording the backend and package versions; this process becomes its owner. */
  startRun(id: string, start: RunStart): RunRow {
    requireString(start.backend, 'startRun: backend');
    return this.transition(id, 'startRun', ['queued'], 'running', {
      started_at: Date.now(),
      backend: start.backend,
      versions: JSON.stringify(start.versions ?? {}),
      owner: OWNER,
    });
  }

  /** running -> done, with the final metrics. */
  finishRun(id: string, summary: JsonObject): RunRow {
    if (typeof summary !== 'object' || summary === null || Array.isArray(summary)) {
      throw new Error('finishRun: summary must be a JSON object');
    }
    return this.transition(id, 'finishRun', ['running'], 'done', {
      finished_at: Date.now(),
      summary: JSON.stringify(summary),
    });
  }

  /** queued | running -> failed, with the reason. */
  failRun(id: string, message: string): RunRow {
    return this.transition(id, 'failRun', ['queued', 'running'], 'failed', {
      finished_at: Date.now(),
      error: String(message),
    });
  }

  /** queued | running -> cancelled. */
  cancelRun(id: string): RunRow {
    return this.transition(id, 'cancelRun', ['queued', 'running'], 'cancelled', { finished_at: Date.now() });
  }

  /**
   * Appends metric points in one transaction (all or nothing); logging a (name, step) again replaces
   * its value. Points are checked before anything is written.
   */
  logMetrics(runId: string, points: MetricPoint[]): void {
    const seq = this.requireSeq(runId, 'logMetrics');
    const now = Date.now();
    points.forEach((p, i) => checkPoint(p, `logMetrics: points[${i}]`));
    this.db.transaction(() => this.insertMetrics(seq, points, now))();
  }

  getRun(id: string): RunRow | null {
    const record = this.stmt(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.id = ?`).get(id) as RunRecord | undefined;
    return record ? this.withTags([record])[0]! : null;
  }

  /** Replaces the run's tags (trimmed, deduplicated, sorted). */
  setTags(id: string, tags: string[]): RunRow {
    const seq = this.requireSeq(id, 'setTags');
    const clean = normaliseTags(tags, 'setTags');
    this.db.transaction(() => {
      this.stmt('DELETE FROM run_tags WHERE run = ?').run(seq);
      for (const tag of clean) this.stmt('INSERT INTO run_tags (run, tag) VALUES (?, ?)').run(seq, tag);
    })();
    return this.requireRun(id);
  }

  setNotes(id: string, notes: string): RunRow {
    this.requireSeq(id, 'setNotes');
    if (typeof notes !== 'string') throw new Error('setNotes: notes must be a string');
    this.stmt('UPDATE runs SET notes = ? WHERE id = ?').run(notes, id);
    return this.requireRun(id);
  }

  // ---------------------------------------------------------------- queries

  /** The runs matching every given criterion, sorted and paged; `total` counts all matches. */
  listRuns(filter: RunFilter = {}): RunPage {
    const where: string[] = [];
    const params: unknown[] = [];
    const kinds = oneOrMany(filter.modelKind);
    if (kinds) {
      for (const k of kinds) requireMember(k, MODEL_KINDS, 'listRuns: modelKind');
      where.push(`r.model_kind IN (${placeholders(kinds.length)})`);
      params.push(...kinds);
    }
    const statuses = oneOrMany(filter.status);
    if (statuses) {
      for (const s of statuses) requireMember(s, RUN_STATUSES, 'listRuns: status');
      where.push(`r.status IN (${placeholders(statuses.length)})`);
      params.push(...statuses);
    }
    if (filter.datasetId !== undefined) {
      where.push('(r.train_dataset_id = ? OR r.test_dataset_id = ?)');
      params.push(filter.datasetId, filter.datasetId);
    }
    if (filter.groupId !== undefined) {
      where.push('r.group_id = ?');
      params.push(filter.groupId);
    }
    for (const tag of oneOrMany(filter.tag) ?? []) {
      where.push('r.seq IN (SELECT run FROM run_tags WHERE tag = ?)');
      params.push(tag);
    }
    if (filter.text) {
      where.push(`r.notes LIKE ? ESCAPE '\\'`);
      params.push(`%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    for (const t of oneOrMany(filter.metric) ?? []) {
      const column = checkThreshold(t);
      where.push(`r.seq IN (SELECT run FROM metric_stats WHERE name = ? AND ${column} ${t.op} ?)`);
      params.push(t.metric, t.value);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';

    const sort = filter.sort ?? { by: 'createdAt' };
    const dir = (sort.dir ?? 'desc') === 'asc' ? 'ASC' : 'DESC';
    let join = '';
    let order: string;
    const sortParams: unknown[] = [];
    if ('metric' in sort) {
      const column = lookup(STAT_COLUMNS, sort.of ?? 'last', 'listRuns: sort.of');
      join = 'LEFT JOIN metric_stats s ON s.run = r.seq AND s.name = ?';
      sortParams.push(sort.metric);
      order = `s.${column} IS NULL, s.${column} ${dir}, r.seq ${dir}`;
    } else {
      const column = lookup(SORT_COLUMNS, sort.by, 'listRuns: sort.by');
      order = `${column} ${dir}, r.seq ${dir}`;
    }
    const limit = filter.limit ?? 100;
    const offset = filter.offset ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new Error(`listRuns: limit must be an integer in 1..${MAX_PAGE} (got ${limit})`);
    }
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new Error(`listRuns: offset must be a non-negative integer (got ${offset})`);
    }

    const records = this.stmt(
      `SELECT ${RUN_COLUMNS} FROM runs r ${join} ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    ).all(...sortParams, ...params, limit, offset) as RunRecord[];
    const { total } = this.stmt(`SELECT count(*) AS total FROM runs r ${whereSql}`).get(...params) as {
      total: number;
    };
    return { runs: this.withTags(records), total };
  }

  /**
   * Metric series of several runs in one query, ordered as runIds, then as names (alphabetically when
   * names is omitted: every metric of each run). A run that never logged a metric has no entry for it.
   */
  metricSeries(runIds: string[], names?: string[]): MetricSeries[] {
    const seqs = runIds.map((id) => this.requireSeq(id, 'metricSeries'));
    const nameFilter = names ? 'AND m.name IN (SELECT value FROM json_each(?))' : '';
    const rows = this.stmt(
      `SELECT m.run, m.name, m.step, m.value, m.wall_time FROM metrics m
       WHERE m.run IN (SELECT value FROM json_each(?)) ${nameFilter}
       ORDER BY m.run, m.name, m.step`,
    )
      .raw()
      .all(...(names ? [JSON.stringify(seqs), JSON.stringify(names)] : [JSON.stringify(seqs)])) as [
      number,
      string,
      number,
      number | null,
      number,
    ][];
    const bySeq = new Map<number, Map<string, MetricSeries>>();
    for (const [seq, name, step, value, wallTime] of rows) {
      let perRun = bySeq.get(seq);
      if (!perRun) bySeq.set(seq, (perRun = new Map()));
      let series = perRun.get(name);
      if (!series) perRun.set(name, (series = { runId: '', name, steps: [], values: [], wallTimes: [] }));
      series.steps.push(step);
      series.values.push(value ?? NaN);
      series.wallTimes.push(wallTime);
    }
    const out: MetricSeries[] = [];
    seqs.forEach((seq, i) => {
      const perRun = bySeq.get(seq);
      if (!perRun) return;
      const order = names ?? [...perRun.keys()].sort();
      for (const name of order) {
        const series = perRun.get(name);
        if (series) out.push({ ...series, runId: runIds[i]! });
      }
    });
    return out;
  }

  /** last / min / max per metric, for each run: runId -> metric name -> statistics. */
  metricStats(runIds: string[]): Record<string, Record<string, MetricStat>> {
    const seqs = runIds.map((id) => this.requireSeq(id, 'metricStats'));
    const rows = this.stmt(
      `SELECT r.id, s.name, s.last_step, s.last_value, s.min_value, s.max_value, s.count
       FROM metric_stats s JOIN runs r ON r.seq = s.run
       WHERE s.run IN (SELECT value FROM json_each(?)) ORDER BY s.run, s.name`,
    )
      .raw()
      .all(JSON.stringify(seqs)) as [string, string, number, number | null, number | null, number | null, number][];
    const out: Record<string, Record<string, MetricStat>> = Object.fromEntries(runIds.map((id) => [id, {}]));
    for (const [id, name, lastStep, last, min, max, count] of rows) {
      out[id]![name] = { last: last ?? NaN, lastStep, min: min ?? NaN, max: max ?? NaN, count };
    }
    return out;
  }

  // ---------------------------------------------------------------- artifacts

  /**
   * Stores a file for the run, from bytes or by copying the file at a path, replacing an artifact of
   * the same name. The file is written under a temporary name and renamed, so readers never see half
   * a checkpoint.
   */
  addArtifact(runId: string, kind: ArtifactKind, name: string, source: Uint8Array | string): ArtifactRow {
    const seq = this.requireSeq(runId, 'addArtifact');
    requireMember(kind, ARTIFACT_KINDS, 'addArtifact: kind');
    checkArtifactName(name, 'addArtifact');
    let bytes: Uint8Array;
    try {
      bytes = typeof source === 'string' ? fs.readFileSync(source) : source;
    } catch (err) {
      throw new Error(`addArtifact: cannot read ${String(source)} (${(err as Error).message})`);
    }
    const record: ArtifactRecord = {
      run_id: runId,
      kind,
      name,
      path: `${runId}/${name}`,
      bytes: bytes.length,
      sha256: sha256Hex(bytes),
      created_at: Date.now(),
    };
    this.writeArtifactFile(record.path, bytes);
    this.insertArtifact(seq, record);
    return artifactRow(record);
  }

  /** Absolute path of an artifact's file (whether or not it exists yet). */
  artifactPath(runId: string, name: string): string {
    checkArtifactName(name, 'artifactPath');
    return path.join(this.runArtifactsDir(runId), name);
  }

  listArtifacts(runId: string): ArtifactRow[] {
    const seq = this.requireSeq(runId, 'listArtifacts');
    return (
      this.stmt(
        `SELECT ? AS run_id, kind, name, path, bytes, sha256, created_at FROM artifacts WHERE run = ? ORDER BY name`,
      ).all(runId, seq) as ArtifactRecord[]
    ).map(artifactRow);
  }

  // ---------------------------------------------------------------- deletion and exchange

  /** Deletes the runs with their metrics, tags and artifact files; returns how many existed. */
  deleteRuns(ids: string[]): number {
    const dirs = ids.map((id) => this.runArtifactsDir(id));
    let deleted = 0;
    this.db.transaction(() => {
      for (const id of ids) deleted += this.stmt('DELETE FROM runs WHERE id = ?').run(id).changes;
    })();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    return deleted;
  }

  /**
   * Writes the runs, their metrics, artifact files and their datasets' metadata (not the data) to one
   * zip file (format: ./exchange.ts).
   */
  exportRuns(ids: string[], outFile: string): void {
    const unique = [...new Set(ids)];
    const runs = unique.map((id) => this.requireRun(id));
    const seriesByRun = new Map<string, ExportedSeries[]>();
    for (const s of this.metricSeries(unique)) {
      const list = seriesByRun.get(s.runId) ?? [];
      list.push({ name: s.name, steps: s.steps, values: s.values, wallTimes: s.wallTimes });
      seriesByRun.set(s.runId, list);
    }
    const files = new Map<string, Uint8Array>();
    const exported = runs.map((run) => {
      const artifacts = this.listArtifacts(run.id);
      for (const a of artifacts) {
        const file = path.join(this.artifactsDir, a.path);
        try {
          files.set(a.path, fs.readFileSync(file));
        } catch (err) {
          throw new Error(`exportRuns: artifact file ${file} of run ${run.id} is unreadable (${(err as Error).message})`);
        }
      }
      return { run, metrics: seriesByRun.get(run.id) ?? [], artifacts };
    });
    const datasetIds = new Set(runs.flatMap((r) => [r.trainDatasetId, r.testDatasetId]).filter((d) => d !== null));
    const datasets = [...datasetIds].map((id) => this.getDataset(id)!);
    const bytes = writeRunExport({ exportedAt: Date.now(), datasets, runs: exported, files });
    writeFileAtomic(path.resolve(outFile), bytes);
  }

  /**
   * Adds the runs of an export file that this database lacks (matched by run id: importing a file
   * twice adds nothing the second time). Datasets are matched by content hash. Runs exported while
   * queued or running are imported as `interrupted`. The file is checked completely first.
   */
  importRuns(file: string): ImportResult {
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      throw new Error(`importRuns: cannot read ${file} (${(err as Error).message})`);
    }
    const data = readRunExport(bytes, file);
    const result: ImportResult = { runsImported: [], runsSkipped: [], datasetsImported: 0, datasetsMatched: 0 };
    const toImport = data.runs.filter(({ run }) => {
      const present = this.seqOf(run.id) !== undefined;
      (present ? result.runsSkipped : result.runsImported).push(run.id);
      return !present;
    });
    const exportedDatasets = new Set(data.datasets.map((d) => d.id));
    for (const { run } of toImport) {
      for (const id of [run.trainDatasetId, run.testDatasetId]) {
        if (id !== null && !exportedDatasets.has(id) && !this.getDataset(id)) {
          throw new Error(`${file}: run ${run.id} refers to dataset ${id}, which is neither in the file nor here`);
        }
      }
    }

    // Files first, rows second: if the transaction fails the new folders are removed again.
    for (const { artifacts } of toImport) {
      for (const a of artifacts) this.writeArtifactFile(a.path, data.files.get(a.path)!);
    }
    try {
      this.db.transaction(() => {
        const datasetIdMap = new Map<string, string>();
        for (const d of data.datasets) {
          const local = this.stmt('SELECT id FROM datasets WHERE content_hash = ?').get(d.contentHash) as
            | { id: string }
            | undefined;
          if (local) {
            datasetIdMap.set(d.id, local.id);
            result.datasetsMatched++;
            continue;
          }
          const id = this.getDataset(d.id) ? randomUUID() : d.id;
          this.insertDataset({
            id,
            path: d.path,
            content_hash: d.contentHash,
            format: d.format,
            shapes: JSON.stringify(d.shapes),
            system_kind: d.systemKind,
            notes: d.notes,
            created_at: d.createdAt,
          });
          datasetIdMap.set(d.id, id);
          result.datasetsImported++;
        }
        const mapDataset = (id: string | null) => (id === null ? null : (datasetIdMap.get(id) ?? id));
        for (const { run, metrics, artifacts } of toImport) {
          const orphaned = run.status === 'queued' || run.status === 'running';
          const { lastInsertRowid } = this.stmt(
            `INSERT INTO runs (id, group_id, model_kind, config, train_dataset_id, test_dataset_id, seed, status,
               created_at, started_at, finished_at, backend, versions, error, notes, summary, owner)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
          ).run(
            run.id,
            run.groupId,
            run.modelKind,
            JSON.stringify(run.config),
            mapDataset(run.trainDatasetId),
            mapDataset(run.testDatasetId),
            run.seed,
            orphaned ? 'interrupted' : run.status,
            run.createdAt,
            run.startedAt,
            run.finishedAt,
            run.backend,
            run.versions === null ? null : JSON.stringify(run.versions),
            orphaned ? `exported while ${run.status}` : run.error,
            run.notes,
            run.summary === null ? null : JSON.stringify(run.summary),
          );
          const seq = Number(lastInsertRowid);
          for (const tag of normaliseTags(run.tags, `${file}: run ${run.id}`)) {
            this.stmt('INSERT INTO run_tags (run, tag) VALUES (?, ?)').run(seq, tag);
          }
          const points = metrics.flatMap((s) =>
            s.steps.map((step, i) => ({ name: s.name, step, value: s.values[i]!, wallTime: s.wallTimes[i]! })),
          );
          this.insertMetrics(seq, points, Date.now());
          for (const a of artifacts) {
            this.insertArtifact(seq, {
              run_id: a.runId,
              kind: a.kind,
              name: a.name,
              path: a.path,
              bytes: a.bytes,
              sha256: a.sha256,
              created_at: a.createdAt,
            });
          }
        }
      })();
    } catch (err) {
      for (const { run } of toImport) fs.rmSync(this.runArtifactsDir(run.id), { recursive: true, force: true });
      throw err;
    }
    return result;
  }

  // ---------------------------------------------------------------- internals

  /** Prepared statements, compiled once per SQL text. */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  private seqOf(id: string): number | undefined {
    const row = this.stmt('SELECT seq FROM runs WHERE id = ?').get(id) as { seq: number } | undefined;
    return row?.seq;
  }

  private requireSeq(id: string, where: string): number {
    const seq = this.seqOf(id);
    if (seq === undefined) throw new Error(`${where}: no run with id '${id}'`);
    return seq;
  }

  private requireRun(id: string): RunRow {
    const run = this.getRun(id);
    if (!run) throw new Error(`no run with id '${id}'`);
    return run;
  }

  private runArtifactsDir(runId: string): string {
    // Ids come from randomUUID or a validated export, but a caller's string must not reach rmSync
    // unchecked: a '..' here would delete outside the artifacts folder.
    if (typeof runId !== 'string' || !ID_PATTERN.test(runId)) throw new Error(`not a run id: '${String(runId)}'`);
    return path.join(this.artifactsDir, runId);
  }

  /** Moves a run from one of `from` to `to`, updating the given columns, in one statement. */
  private transition(
    id: string,
    where: string,
    from: RunStatus[],
    to: RunStatus,
    columns: Record<string, string | number | null>,
  ): RunRow {
    const names = Object.keys(columns);
    const info = this.stmt(
      `UPDATE runs SET status = ?, ${names.map((n) => `${n} = ?`).join(', ')}
       WHERE id = ? AND status IN (${placeholders(from.length)})`,
    ).run(to, ...names.map((n) => columns[n]), id, ...from);
    if (info.changes === 0) {
      const run = this.getRun(id);
      if (!run) throw new Error(`${where}: no run with id '${id}'`);
      throw new Error(`${where}: run ${id} is ${run.status}, expected ${from.join(' or ')}`);
    }
    return this.requireRun(id);
  }

  /**
   * Inserts checked points and updates metric_stats; call inside a transaction. New points update the
   * statistics incrementally from the batch's own last / min / max; a metric with a replaced value is
   * recomputed from its series, since the value it replaced may have been its min or max.
   */
  private insertMetrics(seq: number, points: MetricPoint[], now: number): void {
    const insert = this.stmt(
      'INSERT INTO metrics (run, name, step, value, wall_time) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    const replace = this.stmt('UPDATE metrics SET value = ?, wall_time = ? WHERE run = ? AND name = ? AND step = ?');
    const batch = new Map<string, { lastStep: number; last: number; min: number; max: number; count: number }>();
    const replaced = new Set<string>();
    for (const p of points) {
      const value = Number.isNaN(p.value) ? null : p.value;
      const wallTime = p.wallTime ?? now;
      if (insert.run(seq, p.name, p.step, value, wallTime).changes === 0) {
        replace.run(value, wallTime, seq, p.name, p.step);
        replaced.add(p.name);
        continue;
      }
      const s = batch.get(p.name);
      if (!s) {
        batch.set(p.name, { lastStep: p.step, last: p.value, min: p.value, max: p.value, count: 1 });
        continue;
      }
      if (p.step > s.lastStep) [s.lastStep, s.last] = [p.step, p.value];
      // NaN never wins a comparison, and a NaN min/max is replaced by the first real value.
      if (p.value < s.min || Number.isNaN(s.min)) s.min = p.value;
      if (p.value > s.max || Number.isNaN(s.max)) s.max = p.value;
      s.count++;
    }
    const upsert = this.stmt(
      `INSERT INTO metric_stats (run, name, last_step, last_value, min_value, max_value, count)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run, name) DO UPDATE SET
         last_value = CASE WHEN excluded.last_step > last_step THEN excluded.last_value ELSE last_value END,
         last_step = max(last_step, excluded.last_step),
         min_value = CASE WHEN min_value IS NULL THEN excluded.min_value
                          WHEN excluded.min_value IS NULL THEN min_value
                          ELSE min(min_value, excluded.min_value) END,
         max_value = CASE WHEN max_value IS NULL THEN excluded.max_value
                          WHEN excluded.max_value IS NULL THEN max_value
                          ELSE max(max_value, excluded.max_value) END,
         count = count + excluded.count`,
    );
    const nanToNull = (x: number) => (Number.isNaN(x) ? null : x);
    for (const [name, s] of batch) {
      if (replaced.has(name)) continue;
      upsert.run(seq, name, s.lastStep, nanToNull(s.last), nanToNull(s.min), nanToNull(s.max), s.count);
    }
    const recompute = this.stmt(
      `INSERT OR REPLACE INTO metric_stats (run, name, last_step, last_value, min_value, max_value, count)
       SELECT run, name, max(step),
         (SELECT l.value FROM metrics l WHERE l.run = m.run AND l.name = m.name ORDER BY l.step DESC LIMIT 1),
         min(value), max(value), count(*)
       FROM metrics m WHERE run = ? AND name = ? GROUP BY run, name`,
    );
    for (const name of replaced) recompute.run(seq, name);
  }

  private insertDataset(r: DatasetRecord): void {
    this.stmt(
      `INSERT INTO datasets (id, path, content_hash, format, shapes, system_kind, notes, created_at)
       VALUES (@id, @path, @content_hash, @format, @shapes, @system_kind, @notes, @created_at)`,
    ).run(r);
  }

  private insertArtifact(seq: number, r: ArtifactRecord): void {
    this.stmt(
      `INSERT INTO artifacts (run, kind, name, path, bytes, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run, name) DO UPDATE SET kind = excluded.kind, path = excluded.path, bytes = excluded.bytes,
         sha256 = excluded.sha256, created_at = excluded.created_at`,
    ).run(seq, r.kind, r.name, r.path, r.bytes, r.sha256, r.created_at);
  }

  private writeArtifactFile(relativePath: string, bytes: Uint8Array): void {
    const [runId, name] = relativePath.split('/') as [string, string];
    const dir = this.runArtifactsDir(runId);
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(path.join(dir, name), bytes);
  }

  /** Rows with their tags, fetched for all of them in one query. */
  private withTags(records: RunRecord[]): RunRow[] {
    const tags = new Map<number, string[]>();
    if (records.length > 0) {
      const rows = this.stmt(
        'SELECT run, tag FROM run_tags WHERE run IN (SELECT value FROM json_each(?)) ORDER BY run, tag',
      )
        .raw()
        .all(JSON.stringify(records.map((r) => r.seq))) as [number, string][];
      for (const [seq, tag] of rows) {
        const list = tags.get(seq);
        if (list) list.push(tag);
        else tags.set(seq, [tag]);
      }
    }
    return records.map((r) => runRow(r, tags.get(r.seq) ?? []));
  }

  /**
   * Marks `interrupted` the queued or running runs whose owner process is gone: another host's, or
   * this host's with a pid that no longer exists. Runs of live processes (another window, a CLI
   * training in progress) are left alone.
   */
  private markOrphansInterrupted(): void {
    const open = this.stmt(`SELECT id, owner, status FROM runs WHERE status IN ('queued', 'running')`).all() as {
      id: string;
      owner: string | null;
      status: RunStatus;
    }[];
    const orphans = open.filter((r) => !ownerAlive(r.owner));
    if (orphans.length === 0) return;
    const mark = this.stmt(
      `UPDATE runs SET status = 'interrupted', finished_at = ?, error = ? WHERE id = ? AND status = ?`,
    );
    const now = Date.now();
    this.db.transaction(() => {
      for (const r of orphans) {
        mark.run(now, `the process that ${r.status === 'running' ? 'ran' : 'queued'} it (${r.owner ?? 'unknown'}) ended`, r.id, r.status);
      }
    })();
  }
}

// ------------------------------------------------------------------ helpers

function ownerAlive(owner: string | null): boolean {
  const match = owner?.match(/^(.*):(\d+)$/);
  if (!match || match[1] !== os.hostname()) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function datasetRow(r: DatasetRecord): DatasetRow {
  return {
    id: r.id,
    path: r.path,
    contentHash: r.content_hash,
    format: r.format,
    shapes: JSON.parse(r.shapes) as Record<string, number[]>,
    systemKind: r.system_kind,
    notes: r.notes,
    createdAt: r.created_at,
  };
}

function runRow(r: RunRecord, tags: string[]): RunRow {
  return {
    id: r.id,
    groupId: r.group_id,
    modelKind: r.model_kind,
    config: JSON.parse(r.config) as JsonObject,
    trainDatasetId: r.train_dataset_id,
    testDatasetId: r.test_dataset_id,
    seed: r.seed,
    status: r.status,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    backend: r.backend,
    versions: r.versions === null ? null : (JSON.parse(r.versions) as Record<string, string>),
    error: r.error,
    tags,
    notes: r.notes,
    summary: r.summary === null ? null : (JSON.parse(r.summary) as JsonObject),
  };
}

function artifactRow(r: ArtifactRecord): ArtifactRow {
  return {
    runId: r.run_id,
    kind: r.kind,
    name: r.name,
    path: r.path,
    bytes: r.bytes,
    sha256: r.sha256,
    createdAt: r.created_at,
  };
}

function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const temporary = `${file}.${randomUUID()}.tmp`;
  fs.writeFileSync(temporary, bytes);
  fs.renameSync(temporary, file);
}

/** table[key] for an own key; anything else (a typo, '__proto__') is an error naming the choices. */
function lookup(table: Record<string, string>, key: string, what: string): string {
  if (!Object.hasOwn(table, key)) throw new Error(`${what} must be one of ${Object.keys(table).join(', ')} (got ${key})`);
  return table[key]!;
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

function oneOrMany<T>(x: T | T[] | undefined): T[] | undefined {
  return x === undefined ? undefined : Array.isArray(x) ? x : [x];
}

function requireString(x: unknown, what: string): void {
  if (typeof x !== 'string' || x.length === 0) throw new Error(`${what} must be a non-empty string`);
}

function requireMember<T extends string>(x: unknown, allowed: readonly T[], what: string): void {
  if (!allowed.includes(x as T)) throw new Error(`${what} must be one of ${allowed.join(', ')} (got ${String(x)})`);
}

function checkShapes(shapes: unknown): void {
  if (typeof shapes !== 'object' || shapes === null || Array.isArray(shapes)) {
    throw new Error('addDataset: shapes must be an object of array name -> shape');
  }
  for (const [name, shape] of Object.entries(shapes)) {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new Error(`addDataset: shapes.${name} must be an array of non-negative integers`);
    }
  }
}

function checkPoint(p: MetricPoint, where: string): void {
  if (typeof p !== 'object' || p === null) throw new Error(`${where} must be an object {step, name, value}`);
  if (!Number.isSafeInteger(p.step) || p.step < 0) {
    throw new Error(`${where}.step must be a non-negative integer (got ${String(p.step)})`);
  }
  if (typeof p.name !== 'string' || p.name.length === 0 || p.name.length > 200) {
    throw new Error(`${where}.name must be a string of 1..200 characters`);
  }
  if (typeof p.value !== 'number') throw new Error(`${where}.value must be a number (got ${typeof p.value})`);
  if (p.wallTime !== undefined && !Number.isFinite(p.wallTime)) {
    throw new Error(`${where}.wallTime must be a finite number of ms (got ${String(p.wallTime)})`);
  }
}

function checkThreshold(t: MetricThreshold): string {
  if (typeof t.metric !== 'string' || t.metric.length === 0) {
    throw new Error('listRuns: metric.metric must be a metric name');
  }
  requireMember(t.op, THRESHOLD_OPS, 'listRuns: metric.op');
  if (typeof t.value !== 'number' || Number.isNaN(t.value)) {
    throw new Error(`listRuns: metric.value must be a number (got ${String(t.value)})`);
  }
  return lookup(STAT_COLUMNS, t.of ?? 'last', 'listRuns: metric.of');
}

function checkArtifactName(name: string, where: string): void {
  if (typeof name !== 'string' || !ARTIFACT_NAME_PATTERN.test(name)) {
    throw new Error(`${where}: artifact name '${String(name)}' must be a plain file name (letters, digits, '.', '_', '-')`);
  }
}

function normaliseTags(tags: string[], where: string): string[] {
  if (!Array.isArray(tags)) throw new Error(`${where}: tags must be an array of strings`);
  const clean = tags.map((t, i) => {
    if (typeof t !== 'string' || t.trim().length === 0) throw new Error(`${where}: tags[${i}] must be a non-empty string`);
    return t.trim();
  });
  return [...new Set(clean)].sort();
}
