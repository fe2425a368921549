/**
 * The dataset side of the service: registering files (by path, by uploaded bytes, by generating
 * them), listing, and inspecting them with a small preview.
 *
 * Files are validated with the data module before anything is registered, so a bad file never
 * reaches the store. Uploaded and generated files are written under `<dataDir>/datasets/` with the
 * first 12 hex digits of their sha256 in the name (the same bytes land on the same file); the store
 * deduplicates datasets on content hash, so registering the same data twice returns the first row.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { DatasetInfo, DatasetInspection, DatasetPreview, GeneratorInfo, GeneratorParameter } from '../../src-shared/api';
import { ApiError } from '../../src-shared/errors';
import { DatasetError, encodeDataset, parseDataset, type Dataset, type DatasetArrays } from '../data/dataset';
import { loadDataset } from '../data/datasetFile';
import { describeDataset } from '../data/describeDataset';
import type { RunStore } from '../store/runStore';
import type { DatasetRow } from '../store/types';

/** A dataset generator as the data module's GENERATORS registry lists it. */
export interface DatasetGenerator {
  name: string;
  description: string;
  stateLabels: string[];
  params: GeneratorParameter[];
  /** Missing params take their defaults; a bad one throws naming the parameter. */
  generate(params?: Partial<Record<string, number | boolean | string>>): DatasetArrays;
}

export function datasetInfo(row: DatasetRow): DatasetInfo {
  return { ...row, name: basename(row.path) };
}

/** DatasetError (a bad file or key) is the caller's input at fault: 'invalid', with its message. */
function asApiError(error: unknown): unknown {
  return error instanceof DatasetError ? new ApiError('invalid', error.message) : error;
}

function shapesOf(ds: Dataset): Record<string, number[]> {
  return Object.fromEntries(ds.keys.map((k) => [k.name, k.shape]));
}

function safeFileName(name: string): string {
  const base = basename(name).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '');
  return (base || 'dataset').slice(0, 120);
}

export class DatasetLibrary {
  private readonly folder: string;

  constructor(
    private readonly store: RunStore,
    dataDir: string,
    private readonly registry: Readonly<Record<string, DatasetGenerator>>,
    /** Called with each newly registered dataset (not for a deduplicated one). */
    private readonly onAdded: (dataset: DatasetInfo) => void,
  ) {
    this.folder = join(dataDir, 'datasets');
  }

  list(): DatasetInfo[] {
    return this.store.listDatasets().map(datasetInfo);
  }

  /** The row of a dataset id, or ApiError 'not-found' naming the id and the field it came from. */
  require(id: string, field = 'id'): DatasetRow {
    const row = this.store.getDataset(id);
    if (!row) throw new ApiError('not-found', `${field}: no dataset with id '${id}'`);
    return row;
  }

  async open(path: string): Promise<DatasetInfo> {
    const absolute = resolve(path);
    if (!existsSync(absolute)) throw new ApiError('not-found', `path: no file at ${absolute}`);
    let ds: Dataset;
    try {
      ds = await loadDataset(absolute);
    } catch (error) {
      throw asApiError(error);
    }
    return this.register(absolute, ds, null);
  }

  upload(name: string, bytes: Uint8Array): DatasetInfo {
    let ds: Dataset;
    try {
      ds = parseDataset(bytes, name);
    } catch (error) {
      throw asApiError(error);
    }
    return this.register(this.writeFile(safeFileName(name), bytes), ds, null);
  }

  generators(): GeneratorInfo[] {
    return Object.values(this.registry).map(({ name, description, stateLabels, params }) => ({ name, description, stateLabels, params }));
  }

  generate(kind: string, params: Record<string, number | boolean | string>, name?: string): DatasetInfo {
    const generator = this.registry[kind];
    if (!generator) {
      throw new ApiError('invalid', `kind: no dataset generator '${kind}' (known: ${Object.keys(this.registry).join(', ') || 'none'})`);
    }
    let arrays: DatasetArrays;
    try {
      arrays = generator.generate(params);
    } catch (error) {
      // The generator checks its parameters and names the one at fault.
      throw new ApiError('invalid', `params: ${error instanceof Error ? error.message : String(error)}`);
    }
    const bytes = encodeDataset(arrays, { compress: true, source: kind });
    const ds = parseDataset(bytes, kind);
    const fileName = safeFileName(name ? (name.endsWith('.npz') ? name : `${name}.npz`) : `${kind}.npz`);
    return this.register(this.writeFile(fileName, bytes), ds, kind);
  }

  async inspect(id: string, coordinates: number[] | undefined, trajectories: number): Promise<DatasetInspection> {
    const row = this.require(id);
    if (!existsSync(row.path)) throw new ApiError('not-found', `id: the file of dataset '${id}' is gone: ${row.path}`);
    let ds: Dataset;
    try {
      ds = await loadDataset(row.path);
    } catch (error) {
      throw asApiError(error);
    }
    const chosen = coordinates ?? Array.from({ length: Math.min(ds.dim, 8) }, (_, i) => i);
    chosen.forEach((c, i) => {
      if (c >= ds.dim) throw new ApiError('invalid', `coordinates[${i}]: ${c} is out of range: dataset '${id}' has ${ds.dim} coordinates (0 to ${ds.dim - 1})`);
    });
    return { dataset: datasetInfo(row), summary: describeDataset(ds) as unknown as DatasetInspection['summary'], preview: preview(ds, chosen, trajectories) };
  }

  private register(path: string, ds: Dataset, systemKind: string | null): DatasetInfo {
    const before = this.store.listDatasets().length;
    const row = this.store.addDataset({ path, format: ds.format, shapes: shapesOf(ds), systemKind });
    const info = datasetInfo(row);
    if (this.store.listDatasets().length > before) this.onAdded(info);
    return info;
  }

  /** Stores the bytes as <folder>/<content hash>/<name>: files never clash, and the name stays the user's. */
  private writeFile(name: string, bytes: Uint8Array): string {
    const folder = join(this.folder, createHash('sha256').update(bytes).digest('hex').slice(0, 12));
    mkdirSync(folder, { recursive: true });
    const path = join(folder, name);
    if (!existsSync(path)) writeFileSync(path, bytes);
    return path;
  }
}

/**
 * `count` samples spread evenly over the dataset (first and last included), each as times and
 * values[coordinate][time]. An input/target pair is a two-point trajectory: input at t = 0, target
 * at its flow time.
 */
export function preview(ds: Dataset, coordinates: number[], count: number): DatasetPreview {
  const k = Math.min(count, ds.n);
  const indices = Array.from({ length: k }, (_, j) => (k === 1 ? 0 : Math.round((j * (ds.n - 1)) / (k - 1))));
  const trajectories = indices.map((index) => {
    if (ds.format === 'trajectories') {
      const times = Array.from(ds.times.subarray(index * ds.steps, (index + 1) * ds.steps));
      const values = coordinates.map((c) => times.map((_, t) => ds.trajectories[(index * ds.steps + t) * ds.dim + c]!));
      return { index, times, values };
    }
    const values = coordinates.map((c) => [ds.inputs[index * ds.dim + c]!, ds.targets[index * ds.dim + c]!]);
    return { index, times: [0, ds.times[index]!], values };
  });
  return { coordinates, trajectories };
}
