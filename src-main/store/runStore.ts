/**
 * RunStore: the workbench's SQLite database of datasets, training runs, their metrics and artifacts.
 * (Skeleton: the signatures are final, the bodies are being filled in.)
 */
import type {
  ArtifactKind,
  ArtifactRow,
  DatasetRow,
  ImportResult,
  MetricPoint,
  MetricSeries,
  MetricStat,
  NewDataset,
  NewRun,
  RunFilter,
  RunPage,
  RunRow,
  RunStart,
  JsonObject,
} from './types';

function todo(): never {
  throw new Error('RunStore: not implemented yet');
}

export class RunStore {
  private constructor(readonly dbPath: string) {}

  /** Opens (creating if needed) the database at dbPath, migrates it, marks orphaned runs interrupted. */
  static open(dbPath: string): RunStore {
    return new RunStore(dbPath);
  }

  /** The folder holding the artifact files: `<db>.artifacts/`. */
  get artifactsDir(): string {
    return `${this.dbPath}.artifacts`;
  }

  close(): void {}

  /** Registers a dataset file; returns the existing row when one with the same content hash exists. */
  addDataset(dataset: NewDataset): DatasetRow {
    return todo();
  }
  listDatasets(): DatasetRow[] {
    return todo();
  }
  getDataset(id: string): DatasetRow | null {
    return todo();
  }

  /** A new run in status `queued`. */
  createRun(run: NewRun): RunRow {
    return todo();
  }
  /** queued -> running. */
  startRun(id: string, start: RunStart): RunRow {
    return todo();
  }
  /** Appends metric points in one transaction. */
  logMetrics(runId: string, points: MetricPoint[]): void {
    todo();
  }
  /** running -> done, with the final metrics. */
  finishRun(id: string, summary: JsonObject): RunRow {
    return todo();
  }
  /** -> failed, with the reason. */
  failRun(id: string, message: string): RunRow {
    return todo();
  }
  /** queued | running -> cancelled. */
  cancelRun(id: string): RunRow {
    return todo();
  }
  getRun(id: string): RunRow | null {
    return todo();
  }
  listRuns(filter: RunFilter = {}): RunPage {
    return todo();
  }
  /** Series of several runs in one query; every metric when names is omitted. */
  metricSeries(runIds: string[], names?: string[]): MetricSeries[] {
    return todo();
  }
  /** last / min / max per metric, for each run: runId -> metric name -> statistics. */
  metricStats(runIds: string[]): Record<string, Record<string, MetricStat>> {
    return todo();
  }
  setTags(id: string, tags: string[]): RunRow {
    return todo();
  }
  setNotes(id: string, notes: string): RunRow {
    return todo();
  }

  /** Stores a file for the run (bytes, or a path to copy), replacing one of the same name. */
  addArtifact(runId: string, kind: ArtifactKind, name: string, source: Uint8Array | string): ArtifactRow {
    return todo();
  }
  /** Absolute path of an artifact file. */
  artifactPath(runId: string, name: string): string {
    return todo();
  }
  listArtifacts(runId: string): ArtifactRow[] {
    return todo();
  }

  /** Deletes the runs, their metrics, tags and artifact files; returns how many existed. */
  deleteRuns(ids: string[]): number {
    return todo();
  }
  /** Writes the runs, metrics, artifact files and dataset metadata to one file. */
  exportRuns(ids: string[], outFile: string): void {
    todo();
  }
  /** Adds the runs of an exported file that this database lacks. */
  importRuns(file: string): ImportResult {
    return todo();
  }
}
