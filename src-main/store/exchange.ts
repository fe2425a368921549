/**
 * The offline exchange file: runs exported from one database to be imported into another.
 *
 * A zip archive (fflate) holding
 *   manifest.json                  {format: 'ngf-workbench-runs', version, exportedAt, datasets, runs}
 *   artifacts/<run id>/<name>      the artifact files' bytes (stored, not recompressed: checkpoints are
 *                                  dense floats that deflate barely shrinks)
 * Each run in the manifest carries its row, its metric series and its artifact rows; datasets carry
 * their metadata only, never their data. Non-finite metric values, which JSON cannot hold, are written
 * as the strings 'NaN', 'Infinity', '-Infinity'.
 *
 * Reading checks everything before anything is imported: zip structure, format name and version,
 * every field of the manifest, artifact sizes and sha256 digests.
 */
import { createHash } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import * as v from 'valibot';
import {
  ARTIFACT_KINDS,
  ARTIFACT_NAME_PATTERN,
  ID_PATTERN,
  MODEL_KINDS,
  RUN_STATUSES,
  type ArtifactRow,
  type DatasetRow,
  type JsonObject,
  type RunRow,
} from './types';

export const EXPORT_FORMAT = 'ngf-workbench-runs';
export const EXPORT_VERSION = 1;

/** One metric of an exported run, in step order. */
export interface ExportedSeries {
  name: string;
  steps: number[];
  values: number[];
  wallTimes: number[];
}

export interface ExportedRun {
  run: RunRow;
  metrics: ExportedSeries[];
  artifacts: ArtifactRow[];
}

export interface RunExport {
  exportedAt: number;
  datasets: DatasetRow[];
  runs: ExportedRun[];
  /** Artifact path (`<run id>/<name>`, as in ArtifactRow.path) -> the file's bytes. */
  files: Map<string, Uint8Array>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

type EncodedNumber = number | 'NaN' | 'Infinity' | '-Infinity';

function encodeNumber(x: number): EncodedNumber {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

function decodeNumber(x: EncodedNumber): number {
  return typeof x === 'number' ? x : Number(x);
}

/** The zip archive's bytes. */
export function writeRunExport(data: RunExport): Uint8Array {
  const manifest = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: data.exportedAt,
    datasets: data.datasets,
    runs: data.runs.map((r) => ({
      ...r,
      metrics: r.metrics.map((s) => ({ ...s, values: s.values.map(encodeNumber) })),
    })),
  };
  const zippable: Zippable = { 'manifest.json': [strToU8(JSON.stringify(manifest)), { level: 6 }] };
  for (const [artifactPath, bytes] of data.files) zippable[`artifacts/${artifactPath}`] = [bytes, { level: 0 }];
  return zipSync(zippable);
}

const Id = v.pipe(v.string(), v.regex(ID_PATTERN, 'expected a UUID'));
const Time = v.pipe(v.number(), v.finite());
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'expected a sha256 hex digest'));
const JsonRecord = v.record(v.string(), v.unknown());

const DatasetSchema = v.object({
  id: Id,
  path: v.string(),
  contentHash: Sha256,
  format: v.pipe(v.string(), v.nonEmpty()),
  shapes: v.record(v.string(), v.array(Count)),
  systemKind: v.nullable(v.string()),
  notes: v.string(),
  createdAt: Time,
});

const RunSchema = v.object({
  id: Id,
  groupId: v.nullable(v.string()),
  modelKind: v.picklist(MODEL_KINDS),
  config: JsonRecord,
  trainDatasetId: v.nullable(Id),
  testDatasetId: v.nullable(Id),
  seed: v.pipe(v.number(), v.integer()),
  status: v.picklist(RUN_STATUSES),
  createdAt: Time,
  startedAt: v.nullable(Time),
  finishedAt: v.nullable(Time),
  backend: v.nullable(v.string()),
  versions: v.nullable(v.record(v.string(), v.string())),
  error: v.nullable(v.string()),
  tags: v.array(v.string()),
  notes: v.string(),
  summary: v.nullable(JsonRecord),
});

const SeriesSchema = v.pipe(
  v.object({
    name: v.pipe(v.string(), v.nonEmpty()),
    steps: v.array(Count),
    values: v.array(v.union([v.number(), v.picklist(['NaN', 'Infinity', '-Infinity'])])),
    wallTimes: v.array(Time),
  }),
  v.check(
    (s) => s.steps.length === s.values.length && s.steps.length === s.wallTimes.length,
    'steps, values and wallTimes must have the same length',
  ),
);

const ArtifactSchema = v.object({
  runId: Id,
  kind: v.picklist(ARTIFACT_KINDS),
  name: v.pipe(v.string(), v.regex(ARTIFACT_NAME_PATTERN, 'expected a plain file name')),
  path: v.string(),
  bytes: Count,
  sha256: Sha256,
  createdAt: Time,
});

const ManifestSchema = v.object({
  format: v.literal(EXPORT_FORMAT),
  version: v.literal(EXPORT_VERSION),
  exportedAt: Time,
  datasets: v.array(DatasetSchema),
  runs: v.array(v.object({ run: RunSchema, metrics: v.array(SeriesSchema), artifacts: v.array(ArtifactSchema) })),
});

/** Parses and checks an export file's bytes; `file` names it in errors. */
export function readRunExport(bytes: Uint8Array, file: string): RunExport {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (err) {
    throw new Error(`${file}: not an NGF Workbench run export (unreadable as a zip archive: ${message(err)})`);
  }
  const manifestBytes = entries['manifest.json'];
  if (!manifestBytes) throw new Error(`${file}: not an NGF Workbench run export (no manifest.json)`);
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(manifestBytes));
  } catch (err) {
    throw new Error(`${file}: manifest.json is not valid JSON (${message(err)})`);
  }
  const head = raw as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== EXPORT_FORMAT) {
    throw new Error(`${file}: not an NGF Workbench run export (manifest.json format is not '${EXPORT_FORMAT}')`);
  }
  if (typeof head.version === 'number' && head.version > EXPORT_VERSION) {
    throw new Error(
      `${file}: export format version ${head.version} is newer than this workbench reads (${EXPORT_VERSION})`,
    );
  }
  const parsed = v.safeParse(ManifestSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new Error(`${file}: manifest.json: ${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
  }
  const manifest = parsed.output;

  const files = new Map<string, Uint8Array>();
  for (const [i, { run, artifacts }] of manifest.runs.entries()) {
    for (const artifact of artifacts) {
      const where = `${file}: runs.${i} artifact '${artifact.name}'`;
      if (artifact.runId !== run.id || artifact.path !== `${run.id}/${artifact.name}`) {
        throw new Error(`${where}: runId/path do not match run ${run.id}`);
      }
      const data = entries[`artifacts/${artifact.path}`];
      if (!data) throw new Error(`${where}: file artifacts/${artifact.path} is missing from the archive`);
      if (data.length !== artifact.bytes || sha256Hex(data) !== artifact.sha256) {
        throw new Error(`${where}: file artifacts/${artifact.path} is corrupt (size or sha256 mismatch)`);
      }
      files.set(artifact.path, data);
    }
  }
  return {
    exportedAt: manifest.exportedAt,
    datasets: manifest.datasets,
    runs: manifest.runs.map(({ run, metrics, artifacts }) => ({
      run: { ...run, config: run.config as JsonObject, summary: run.summary as JsonObject | null },
      metrics: metrics.map((s) => ({ ...s, values: s.values.map(decodeNumber) })),
      artifacts,
    })),
    files,
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
