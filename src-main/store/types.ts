/**
 * Row and argument types of the run store (./runStore.ts).
 *
 * Every row is a plain JSON-able object with camelCase fields, so the API layer can send it to the UI as
 * it is. Times are milliseconds since the Unix epoch (numbers, not Date objects, for the same reason).
 * Ids are random UUIDs (crypto.randomUUID), so that runs imported from another database never clash.
 */

import type { DatasetInfo, RunInfo, RunStatus } from '../../src-shared/api';
import type { ModelKind } from '../../src-shared/hyperparams';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

// Model kinds and run statuses belong to the shared API contract; the store re-exports them.
export { MODEL_KINDS, type ModelKind } from '../../src-shared/hyperparams';
export { RUN_STATUSES, type RunStatus } from '../../src-shared/api';

export const ARTIFACT_KINDS = ['checkpoint', 'analysis', 'figure', 'log', 'other'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** Run and dataset ids: UUIDs, which also makes them safe as folder names. */
export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Artifact names are plain file names (no folders, no '..'), so they cannot escape the run's folder. */
export const ARTIFACT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** A dataset file the store knows about (its metadata only; the data stay in the file). */
export type DatasetRow = Omit<DatasetInfo, 'name'>;

export interface NewDataset {
  /** The file to register; its bytes are hashed. */
  path: string;
  format: string;
  shapes: Record<string, number[]>;
  systemKind?: string | null;
  notes?: string;
}

/** A run as stored: the contract's RunInfo with its JSON columns typed as JSON. */
export interface RunRow extends Omit<RunInfo, 'config' | 'summary'> {
  /** The full training configuration (model, optimiser, solver, ...), as given to createRun. */
  config: JsonObject;
  /** Final metrics, set by finishRun; null before. */
  summary: JsonObject | null;
}

export interface NewRun {
  groupId?: string | null;
  modelKind: ModelKind;
  config: JsonObject;
  trainDatasetId?: string | null;
  testDatasetId?: string | null;
  seed: number;
  tags?: string[];
  notes?: string;
}

export interface RunStart {
  backend: string;
  versions: Record<string, string>;
}

/** One logged value. Logging the same (run, name, step) again replaces the value. */
export interface MetricPoint {
  /** Epoch or optimiser step: a non-negative integer. */
  step: number;
  name: string;
  /** Any number, NaN and ±Infinity included (a diverging run logs them). */
  value: number;
  /** ms since the epoch; defaults to the time of the logMetrics call. */
  wallTime?: number;
}

/** Per (run, metric): kept up to date by logMetrics so that threshold filters use an index, not a scan. */
export interface MetricStat {
  /** Value at the largest step logged. */
  last: number;
  lastStep: number;
  /** Smallest / largest value logged, NaN ignored (NaN when every value was NaN). */
  min: number;
  max: number;
  count: number;
}

/** One metric of one run, in step order. Plain number arrays (JSON-able); NaN is kept as NaN. */
export interface MetricSeries {
  runId: string;
  name: string;
  steps: number[];
  values: number[];
  wallTimes: number[];
}

/** Which per-run statistic of a metric a threshold or a sort looks at ('min' is the best of a loss). */
export type MetricStatistic = 'last' | 'min' | 'max';

export interface MetricThreshold {
  metric: string;
  op: '<' | '<=' | '>' | '>=';
  value: number;
  /** Default 'last'. */
  of?: MetricStatistic;
}

export type RunSortKey = 'createdAt' | 'startedAt' | 'finishedAt' | 'status' | 'modelKind' | 'seed';

export interface RunFilter {
  modelKind?: ModelKind | ModelKind[];
  /** Runs trained or tested on this dataset. */
  datasetId?: string;
  status?: RunStatus | RunStatus[];
  /** Runs carrying every one of these tags. */
  tag?: string | string[];
  groupId?: string;
  /** Case-insensitive substring of the notes. */
  text?: string;
  /** Every threshold must hold; runs without the metric are left out. */
  metric?: MetricThreshold | MetricThreshold[];
  /** Default: createdAt, descending. A metric sort puts runs without the metric last. */
  sort?: { by: RunSortKey; dir?: 'asc' | 'desc' } | { metric: string; of?: MetricStatistic; dir?: 'asc' | 'desc' };
  /** Page size, default 100, at most 10 000. */
  limit?: number;
  offset?: number;
}

export interface RunPage {
  runs: RunRow[];
  /** Number of runs matching the filter, ignoring limit and offset. */
  total: number;
}

export interface ArtifactRow {
  runId: string;
  kind: ArtifactKind;
  /** File name, unique within the run: letters, digits, '.', '_', '-'. */
  name: string;
  /** Path relative to the artifacts folder (`<db>.artifacts/`), i.e. `<runId>/<name>`. */
  path: string;
  bytes: number;
  /** sha256 of the file's bytes, lowercase hex. */
  sha256: string;
  createdAt: number;
}

export interface ImportResult {
  /** Runs added to this database. */
  runsImported: string[];
  /** Runs already present (same id), left as they were. */
  runsSkipped: string[];
  /** Datasets added (new content hash). */
  datasetsImported: number;
  /** Datasets matched to one already here by content hash. */
  datasetsMatched: number;
}
