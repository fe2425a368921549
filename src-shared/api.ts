/**
 * The workbench API contract: every method (payload schema + result type) and every event, in one map.
 *
 * Callers (Vue UI, Electron preload, browser mode, tests) speak it through `createClient` (./client.ts);
 * the service (src-main/services) implements it. A method name is `namespace.verb`. Payloads are
 * validated at the boundary with `parsePayload`: a malformed call is refused with an ApiError
 * ('invalid') whose message names the field, before anything is read or written.
 *
 * Ids are strings (UUIDs). Times are milliseconds since the Unix epoch. Binary content travels as base64.
 */
import * as v from 'valibot';
import { ApiError } from './errors';
import { BASE64_PATTERN } from './base64';
import { budgetSchema, MODEL_KINDS, modelConfigSchema, type Budget, type ModelKind } from './hyperparams';
import { formatIssues, idList, nonEmptyString, validate, wholeNumber } from './validation';

// ---------------------------------------------------------------------------------------------
// Wire types (results and events)

export const RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * describeDataset's JSON summary (src-main/data/describeDataset.ts): format, keys with shapes and
 * dtypes, n, steps, dim, time grid, per-coordinate min/max/mean. `format` is always present.
 */
export interface DatasetSummary {
  format: string;
  [key: string]: unknown;
}

/** A registered dataset file (the store's DatasetRow plus a display name). */
export interface DatasetInfo {
  id: string;
  /** Display name: the file's base name. */
  name: string;
  /** Absolute path of the file on the machine running the service. */
  path: string;
  /** sha256 of the file's bytes; datasets are deduplicated on it. */
  contentHash: string;
  /** 'inputs-targets' or 'trajectories'. */
  format: string;
  /** Array name -> shape, e.g. { trajectories: [90, 30, 8], times: [90, 30] }. */
  shapes: Record<string, number[]>;
  /** The physical system ('two-body', 'sphere-geodesics', ...); null when unknown. */
  systemKind: string | null;
  notes: string;
  createdAt: number;
}

/** A few trajectories' values for chosen state coordinates, for a quick plot. */
export interface DatasetPreview {
  coordinates: number[];
  /**
   * For trajectory data: each trajectory's times and values[coordinate][time]. For inputs/targets
   * data: each sample as a two-point "trajectory" (input at t = 0, target at its flow time).
   */
  trajectories: { index: number; times: number[]; values: number[][] }[];
}

export interface DatasetInspection {
  dataset: DatasetInfo;
  summary: DatasetSummary;
  preview: DatasetPreview;
}

/** One parameter of a dataset generator (src-main/data/generators), as plain data for a form. */
export interface GeneratorParameter {
  /** Key in `params`. */
  name: string;
  label: string;
  description: string;
  kind: 'integer' | 'number' | 'boolean' | 'choice';
  default: number | boolean | string;
  min?: number;
  max?: number;
  unit?: string;
  /** The allowed values of a 'choice' parameter. */
  choices?: string[];
}

export interface GeneratorInfo {
  /** What datasets.generate takes as `kind`, e.g. 'two-body'. */
  name: string;
  description: string;
  /** One label per state coordinate, e.g. ['q', 'p']. */
  stateLabels: string[];
  params: GeneratorParameter[];
}

/**
 * What runs.start stores as a run's `config`: the validated hyperparameters of its model kind, the
 * budget, and the group's name. Runs imported from elsewhere may hold another layout, so readers
 * should check before trusting it.
 */
export interface StoredRunConfig {
  hyperparameters: Record<string, unknown>;
  /** null for runs that were not trained here (imported reference checkpoints). */
  budget: Budget | null;
  name: string | null;
}

/** A run as stored (the store's RunRow; times in ms since the Unix epoch). */
export interface RunInfo {
  id: string;
  /** Runs started together by one runs.start share a group (one comparison); null for a lone run. */
  groupId: string | null;
  modelKind: ModelKind;
  /** See StoredRunConfig. */
  config: Record<string, unknown>;
  trainDatasetId: string | null;
  testDatasetId: string | null;
  seed: number;
  status: RunStatus;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Compute backend, e.g. 'wasm'; null until started. */
  backend: string | null;
  versions: Record<string, string> | null;
  /** Why the run failed or was interrupted. */
  error: string | null;
  /** Sorted, unique. */
  tags: string[];
  notes: string;
  /** Final figures reported by the trainer (status 'done'). */
  summary: Record<string, unknown> | null;
}

export interface RunList {
  runs: RunInfo[];
  /** Runs matching the filter, ignoring limit and offset. */
  total: number;
}

export interface ArtifactInfo {
  runId: string;
  kind: string;
  /** File name, unique within the run. */
  name: string;
  /** Path relative to the store's artifacts folder. */
  path: string;
  bytes: number;
  sha256: string;
  createdAt: number;
}

export interface RunDetail {
  run: RunInfo;
  artifacts: ArtifactInfo[];
  /** The value at the largest step of every metric logged so far. */
  latestMetrics: Record<string, number>;
}

/** One metric of one run, in step (epoch) order. */
export interface MetricSeries {
  runId: string;
  name: string;
  steps: number[];
  /** null where the run logged NaN or +-Infinity (a diverging run); JSON has no such numbers. */
  values: (number | null)[];
  /** ms since the Unix epoch. */
  wallTimes: number[];
}

export interface Comparison {
  runs: RunInfo[];
  series: MetricSeries[];
}

export interface ImportReport {
  runsImported: string[];
  /** Runs already present (same id), left as they were. */
  runsSkipped: string[];
  datasetsImported: number;
  datasetsMatched: number;
}

export const ANALYSIS_SECTIONS = ['prediction', 'reconstruction', 'energy', 'metric', 'geodesics', 'reversibility', 'resolution'] as const;
export type AnalysisSection = (typeof ANALYSIS_SECTIONS)[number];

export interface AnalysisOptions {
  sections: AnalysisSection[];
  /** Cap on the number of samples/trajectories evaluated (0: all). */
  maxSamples: number;
  /** Extrapolate rollouts to this multiple of the data's time span. */
  horizon: number;
}

export interface NamedSeries {
  name: string;
  x: number[];
  y: number[];
}

export interface AnalysisReport {
  runId: string;
  datasetId: string | null;
  createdAt: number;
  options: AnalysisOptions;
  /** Headline figures, e.g. predictionMse, reconstructionMse, energyMse. */
  scalars: Record<string, number>;
  series: NamedSeries[];
  /** Section-specific payloads (metric field samples, geodesic curves), keyed by section. */
  sections: Partial<Record<AnalysisSection, unknown>>;
}

export interface BackendReport {
  choice: string;
  tfBackend: string;
  gpu: boolean | null;
  tfjsVersion: string;
}

export interface VersionsReport {
  app: string;
  /** 'electron', 'browser' or 'cli': who hosts the service. */
  host: string;
  node: string;
  v8: string;
  electron: string | null;
  chrome: string | null;
  platform: string;
  arch: string;
}

export interface RunProgress {
  runId: string;
  epoch: number;
  epochs: number;
  /** Optimiser step within the epoch. */
  step: number;
  losses: Record<string, number>;
  samplesPerSecond: number;
  etaSeconds: number;
}

/** Every event the service emits, by name. */
export interface ApiEvents {
  /** A status change, or (status unchanged, `message` set) a phase the trainer reports, e.g. 'loading data'. */
  'run.status': { runId: string; status: RunStatus; error: string | null; message?: string };
  'run.progress': RunProgress;
  /** One epoch's metrics (trainLoss, testLoss, loss terms, wallTime), as logged to the store (step = epoch). */
  'run.metrics': { runId: string; epoch: number; metrics: Record<string, number> };
  'dataset.added': { dataset: DatasetInfo };
}
export type EventName = keyof ApiEvents;
export const EVENT_NAMES: readonly EventName[] = ['run.status', 'run.progress', 'run.metrics', 'dataset.added'];

// ---------------------------------------------------------------------------------------------
// Payload schemas

const NONE = v.optional(v.strictObject({}), {});
const id = (what: string) => nonEmptyString(`a ${what} id`);
const base64 = v.pipe(
  v.string('must be a base64 string'),
  v.minLength(1, 'must not be empty'),
  v.regex(BASE64_PATTERN, 'must be base64 (A-Z, a-z, 0-9, +, /, =)'),
);
const modelKind = v.picklist(MODEL_KINDS, `must be one of ${MODEL_KINDS.map((k) => `'${k}'`).join(', ')}`);
const tags = v.pipe(
  v.array(v.pipe(nonEmptyString('a non-empty tag'), v.maxLength(100, 'must be at most 100 characters')), 'must be a list of tags'),
  v.maxLength(100, 'must have at most 100 tags'),
);

const modelEntry = v.variant(
  'model',
  [
    v.strictObject({ model: v.literal('ngf'), config: v.optional(modelConfigSchema('ngf'), {}) }),
    v.strictObject({ model: v.literal('hnn'), config: v.optional(modelConfigSchema('hnn'), {}) }),
    v.strictObject({ model: v.literal('node'), config: v.optional(modelConfigSchema('node'), {}) }),
  ],
  `must be one of ${MODEL_KINDS.map((k) => `'${k}'`).join(', ')}`,
);

const metricStatistic = v.picklist(['last', 'min', 'max'], "must be one of 'last', 'min', 'max'");
const runFilter = v.optional(
  v.strictObject({
    modelKind: v.optional(modelKind),
    /** Runs trained or tested on this dataset. */
    datasetId: v.optional(id('dataset')),
    status: v.optional(v.picklist(RUN_STATUSES, `must be one of ${RUN_STATUSES.join(', ')}`)),
    tag: v.optional(nonEmptyString('a tag')),
    groupId: v.optional(id('group')),
    /** Case-insensitive substring of the notes. */
    text: v.optional(nonEmptyString('a non-empty search text')),
    /** Keep runs whose `of` statistic (default: last value) of `metric` satisfies `op value`. */
    metric: v.optional(
      v.strictObject({
        metric: nonEmptyString('a metric name'),
        op: v.picklist(['<', '<=', '>', '>='], "must be one of '<', '<=', '>', '>='"),
        value: v.pipe(v.number('must be a number'), v.finite('must be a finite number')),
        of: v.optional(metricStatistic),
      }),
    ),
    limit: v.optional(wholeNumber(1, 10_000)),
    offset: v.optional(wholeNumber(0, Number.MAX_SAFE_INTEGER)),
  }),
  {},
);

const analysisOptions = v.optional(
  v.strictObject({
    sections: v.optional(
      v.array(v.picklist(ANALYSIS_SECTIONS, `must be one of ${ANALYSIS_SECTIONS.join(', ')}`), 'must be a list of sections'),
      () => [...ANALYSIS_SECTIONS],
    ),
    maxSamples: v.optional(wholeNumber(0, 10_000_000), 0),
    horizon: v.optional(
      v.pipe(v.number('must be a number from 0.1 to 100'), v.minValue(0.1, 'must be a number from 0.1 to 100'), v.maxValue(100, 'must be a number from 0.1 to 100')),
      1,
    ),
  }),
  {},
);

/** Binds a payload schema to its result type (`result` is a type-only marker, null at run time). */
function method<Result>() {
  return <S extends v.GenericSchema>(payload: S) => ({ payload, result: null as unknown as Result });
}

export const METHODS = {
  /** Register a dataset file (.npz / .json) from the local disk by path. */
  'datasets.open': method<DatasetInfo>()(v.strictObject({ path: nonEmptyString('a file path') })),
  /** Register a dataset from its bytes (browser mode file picker, drag and drop). */
  'datasets.upload': method<DatasetInfo>()(
    v.strictObject({ name: v.pipe(nonEmptyString('a file name'), v.maxLength(255, 'must be at most 255 characters')), bytesBase64: base64 }),
  ),
  'datasets.list': method<DatasetInfo[]>()(NONE),
  /** Dataset summary plus a preview of `trajectories` trajectories' values for `coordinates`. */
  'datasets.inspect': method<DatasetInspection>()(
    v.strictObject({
      id: id('dataset'),
      coordinates: v.optional(v.pipe(v.array(wholeNumber(0, 100_000), 'must be a list of coordinate indices'), v.maxLength(64, 'must have at most 64 coordinates'))),
      trajectories: v.optional(wholeNumber(1, 100), 3),
    }),
  ),
  /** The built-in dataset generators and their parameters (for the generate form). */
  'datasets.generators': method<GeneratorInfo[]>()(NONE),
  /** Generate a dataset with a built-in generator; params not given take their defaults. */
  'datasets.generate': method<DatasetInfo>()(
    v.strictObject({
      kind: nonEmptyString('a generator name'),
      /** Generator parameters by name; missing ones take their defaults, checked by the generator. */
      params: v.optional(
        v.record(
          v.string(),
          v.union([v.pipe(v.number(), v.finite()), v.boolean(), v.string()], 'must be a finite number, true/false or a string'),
          'must be an object of parameter values',
        ),
        {},
      ),
      name: v.optional(nonEmptyString('a non-empty name')),
    }),
  ),

  /** Start one comparison group: one run per model entry, all on the same data, seed and budget. */
  'runs.start': method<{ groupId: string; runIds: string[] }>()(
    v.strictObject({
      models: v.pipe(v.array(modelEntry, 'must be a list of {model, config}'), v.minLength(1, 'must have at least one model'), v.maxLength(16, 'must have at most 16 models')),
      trainDatasetId: id('dataset'),
      testDatasetId: v.optional(id('dataset')),
      seed: v.optional(wholeNumber(0, 2 ** 32 - 1), 0),
      budget: v.optional(budgetSchema, {}),
      name: v.optional(nonEmptyString('a non-empty name')),
      tags: v.optional(tags, []),
    }),
  ),
  'runs.cancel': method<{ runId: string; status: RunStatus }>()(v.strictObject({ runId: id('run') })),
  'runs.list': method<RunList>()(v.optional(v.strictObject({ filter: runFilter }), {})),
  'runs.get': method<RunDetail>()(v.strictObject({ runId: id('run') })),
  /** Metric series of several runs (all metrics, or only `metrics`). */
  'runs.compare': method<Comparison>()(
    v.strictObject({
      runIds: idList('run', 64),
      metrics: v.optional(v.array(nonEmptyString('a metric name'), 'must be a list of metric names')),
    }),
  ),
  'runs.delete': method<{ deleted: number }>()(v.strictObject({ runIds: idList('run') })),
  'runs.setTags': method<RunInfo>()(v.strictObject({ runId: id('run'), tags })),
  'runs.setNotes': method<RunInfo>()(
    v.strictObject({ runId: id('run'), notes: v.pipe(v.string('must be a string'), v.maxLength(100_000, 'must be at most 100000 characters')) }),
  ),
  /** Export runs (rows, metrics, artifacts) to `path`, or, without a path, return the bytes. */
  'runs.export': method<{ path: string | null; bytesBase64: string | null; count: number }>()(
    v.strictObject({ runIds: idList('run'), path: v.optional(nonEmptyString('a file path')) }),
  ),
  'runs.import': method<ImportReport>()(
    v.union([v.strictObject({ path: nonEmptyString('a file path') }), v.strictObject({ bytesBase64: base64 })], 'must be {path} or {bytesBase64}'),
  ),

  /** Evaluate a finished run on its test set (or `datasetId`); resolves with the stored report. */
  'analysis.run': method<AnalysisReport>()(v.strictObject({ runId: id('run'), datasetId: v.optional(id('dataset')), options: analysisOptions })),
  /** The latest analysis report of a run, or null when none was made. */
  'analysis.get': method<AnalysisReport | null>()(v.strictObject({ runId: id('run') })),

  /** Import a reference checkpoint (.eqx + its _high_level_params.json) as a finished NGF run. */
  'models.importReference': method<RunInfo>()(
    v.strictObject({ eqxPath: nonEmptyString('a file path'), paramsPath: v.optional(nonEmptyString('a file path')), name: v.optional(nonEmptyString('a non-empty name')) }),
  ),

  'app.versions': method<VersionsReport>()(NONE),
  'app.backend': method<BackendReport>()(NONE),
} as const;

export type MethodName = keyof typeof METHODS;
/** What a caller passes (defaults optional). */
export type Payload<M extends MethodName> = v.InferInput<(typeof METHODS)[M]['payload']>;
/** What the service receives after validation (defaults filled in). */
export type ParsedPayload<M extends MethodName> = v.InferOutput<(typeof METHODS)[M]['payload']>;
export type Result<M extends MethodName> = (typeof METHODS)[M]['result'];

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(METHODS, name);
}

/**
 * Validates a payload for `method`. Throws ApiError 'unknown-method' for a name not in the map and
 * ApiError 'invalid' whose message lists every field at fault (`runs.start: budget.lr: must be ...`).
 */
export function parsePayload<M extends MethodName>(method: M | string, payload: unknown): ParsedPayload<M> {
  if (!isMethodName(method)) throw new ApiError('unknown-method', `unknown API method '${method}'`);
  // valibot's object schemas accept arrays (they are objects); a payload never is one.
  if (Array.isArray(payload)) throw new ApiError('invalid', `${method}: must be an object, got an array`);
  const result = validate(METHODS[method].payload, payload ?? undefined);
  if (!result.success) throw new ApiError('invalid', `${method}: ${formatIssues(result.issues)}`);
  return result.output as ParsedPayload<M>;
}
