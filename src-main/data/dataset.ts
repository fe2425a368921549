/**
 * Datasets in the two `.npz` formats of the reference NGF implementation, validated.
 *
 * - inputs/targets: `inputs` (N, D), `targets` (N, D), `times` (N,): target i is the flow of input i
 *   for time times[i].
 * - trajectories: `trajectories` (N, T, D), `times` (N, T) (a shared grid (T,) is accepted too):
 *   sample i is observed at the strictly increasing times times[i, :].
 *
 * Numerics run in float32, so the arrays are held as Float32Array (row-major) and `dtype` remembers
 * what the file stored. Every problem found is a `DatasetError` naming the file, the key and what
 * was expected.
 */
import { elementCount, formatShape, NpyError, type NdArray, type NpyDtype } from './npy';
import { readNpz, writeNpz } from './npz';

export type DatasetFormat = 'inputs-targets' | 'trajectories';

/** One array of the file as found: key, shape, dtype, and whether the dataset uses it. */
export interface DatasetKey {
  name: string;
  shape: number[];
  dtype: NpyDtype;
  used: boolean;
}

export interface InputsTargetsDataset {
  format: 'inputs-targets';
  /** File name (or other label) the data came from, used in messages. */
  source: string;
  n: number;
  dim: number;
  /** dtype of `inputs` in the file. */
  dtype: NpyDtype;
  keys: DatasetKey[];
  /** (N, D) row-major. */
  inputs: Float32Array;
  /** (N, D) row-major. */
  targets: Float32Array;
  /** (N,): flow time of each sample. */
  times: Float32Array;
}

export interface TrajectoriesDataset {
  format: 'trajectories';
  source: string;
  n: number;
  /** T: time points per trajectory. */
  steps: number;
  dim: number;
  /** dtype of `trajectories` in the file. */
  dtype: NpyDtype;
  keys: DatasetKey[];
  /** (N, T, D) row-major. */
  trajectories: Float32Array;
  /** (N, T) row-major, each row strictly increasing. */
  times: Float32Array;
}

export type Dataset = InputsTargetsDataset | TrajectoriesDataset;

/** The raw arrays of a dataset file, any float dtype (what generators produce and files hold). */
export type DatasetArrays =
  | { inputs: NdArray; targets: NdArray; times: NdArray }
  | { trajectories: NdArray; times: NdArray };

/** A dataset file that cannot be used; `key` is the array at fault when there is one. */
export class DatasetError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly key?: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'DatasetError';
  }
}

/** Parses and validates the bytes of an `.npz` dataset file; `source` names it in errors. */
export function parseDataset(bytes: Uint8Array, source: string): Dataset {
  let arrays: Map<string, NdArray>;
  try {
    arrays = readNpz(bytes, source);
  } catch (err) {
    if (err instanceof NpyError) throw new DatasetError(source, err.detail);
    throw err;
  }
  return datasetFromArrays(arrays, source);
}

/**
 * Validates arrays keyed as in a dataset file and converts them to a `Dataset`. Unknown keys are
 * kept in `keys` (used: false) and otherwise ignored.
 */
export function datasetFromArrays(arrays: Map<string, NdArray> | Record<string, NdArray>, source: string): Dataset {
  const map = arrays instanceof Map ? arrays : new Map(Object.entries(arrays));
  const fail = (detail: string, key?: string): never => {
    throw new DatasetError(source, detail, key);
  };
  const found = () => (map.size ? [...map.keys()].map((k) => `'${k}'`).join(', ') : 'none');
  const isTrajectories = map.has('trajectories');
  if (isTrajectories && (map.has('inputs') || map.has('targets'))) {
    fail(`has both 'trajectories' and 'inputs'/'targets': a dataset is one format or the other (keys: ${found()})`);
  }
  if (!isTrajectories && !map.has('inputs') && !map.has('targets')) {
    fail(`no dataset arrays: expected keys 'inputs', 'targets', 'times' or 'trajectories', 'times'; found ${found()}`);
  }
  const get = (key: string): NdArray => {
    const array = map.get(key);
    if (!array) return fail(`missing key '${key}' (keys found: ${found()})`, key);
    if (array.dtype !== 'float32' && array.dtype !== 'float64') {
      fail(`key '${key}' has dtype ${array.dtype}: expected float32 or float64`, key);
    }
    if (elementCount(array.shape) === 0) fail(`key '${key}' is empty: shape ${formatShape(array.shape)}`, key);
    return array;
  };
  const rank = (key: string, array: NdArray, expected: number, meaning: string) => {
    if (array.shape.length !== expected) fail(`key '${key}' has shape ${formatShape(array.shape)}: expected ${meaning}`, key);
  };
  const keys = (used: string[]): DatasetKey[] =>
    [...map].map(([name, a]) => ({ name, shape: [...a.shape], dtype: a.dtype, used: used.includes(name) }));

  if (isTrajectories) {
    const trajectories = get('trajectories');
    rank('trajectories', trajectories, 3, '(N, T, D)');
    const [n, steps, dim] = trajectories.shape as [number, number, number];
    if (steps < 2) fail(`key 'trajectories' has shape ${formatShape(trajectories.shape)}: need at least 2 time points (T >= 2)`, 'trajectories');
    const times = get('times');
    const shared = times.shape.length === 1 && times.shape[0] === steps;
    if (!shared && !(times.shape.length === 2 && times.shape[0] === n && times.shape[1] === steps)) {
      fail(
        `key 'times' has shape ${formatShape(times.shape)} but 'trajectories' has ${formatShape(trajectories.shape)}: ` +
          `expected times (N, T) = ${formatShape([n, steps])}`,
        'times',
      );
    }
    const trajectoryValues = toFloat32(trajectories, 'trajectories', fail);
    const timeRow = toFloat32(times, 'times', fail);
    const timeValues = shared ? tile(timeRow, n) : timeRow;
    checkIncreasing(timeValues, n, steps, shared, fail);
    return {
      format: 'trajectories',
      source,
      n,
      steps,
      dim,
      dtype: trajectories.dtype,
      keys: keys(['trajectories', 'times']),
      trajectories: trajectoryValues,
      times: timeValues,
    };
  }

  const inputs = get('inputs');
  rank('inputs', inputs, 2, '(N, D)');
  const [n, dim] = inputs.shape as [number, number];
  const targets = get('targets');
  if (targets.shape.length !== 2 || targets.shape[0] !== n || targets.shape[1] !== dim) {
    fail(`key 'targets' has shape ${formatShape(targets.shape)} but 'inputs' has ${formatShape(inputs.shape)}: expected the same shape`, 'targets');
  }
  const times = get('times');
  if (times.shape.length !== 1 || times.shape[0] !== n) {
    fail(`key 'times' has shape ${formatShape(times.shape)} but 'inputs' has ${formatShape(inputs.shape)}: expected times (N,) = ${formatShape([n])}`, 'times');
  }
  return {
    format: 'inputs-targets',
    source,
    n,
    dim,
    dtype: inputs.dtype,
    keys: keys(['inputs', 'targets', 'times']),
    inputs: toFloat32(inputs, 'inputs', fail),
    targets: toFloat32(targets, 'targets', fail),
    times: toFloat32(times, 'times', fail),
  };
}

/**
 * Encodes a dataset as `.npz` bytes. Raw arrays are validated first (errors name `source`) and keep
 * their dtype; a `Dataset` is written as the float32 arrays it holds.
 */
export function encodeDataset(
  data: Dataset | DatasetArrays,
  options: { compress?: boolean; source?: string } = {},
): Uint8Array {
  if ('format' in data) return writeNpz({ ...datasetArrays(data) }, options);
  datasetFromArrays({ ...data }, options.source ?? '<arrays to write>');
  return writeNpz({ ...data }, options);
}

/** The arrays of a dataset as float32 `NdArray`s keyed as in the file format (shared, not copied). */
export function datasetArrays(ds: Dataset): DatasetArrays {
  const f32 = (shape: number[], data: Float32Array): NdArray => ({ dtype: 'float32', shape, data });
  if (ds.format === 'trajectories') {
    return { trajectories: f32([ds.n, ds.steps, ds.dim], ds.trajectories), times: f32([ds.n, ds.steps], ds.times) };
  }
  return { inputs: f32([ds.n, ds.dim], ds.inputs), targets: f32([ds.n, ds.dim], ds.targets), times: f32([ds.n], ds.times) };
}

/** Samples start..end-1 (like Array.slice: end defaults to n and is clamped), copied. */
export function sliceDataset<D extends Dataset>(ds: D, start: number, end = ds.n): D {
  const from = Math.max(0, Math.min(ds.n, start));
  const to = Math.max(from, Math.min(ds.n, end));
  return pickRows(ds, Array.from({ length: to - from }, (_, i) => from + i));
}

/** The samples at the given row indices, in that order (repeats allowed), copied. */
export function pickRows<D extends Dataset>(ds: D, rows: ArrayLike<number>): D {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (!Number.isInteger(row) || row < 0 || row >= ds.n) throw new RangeError(`${ds.source}: row ${row} is outside 0..${ds.n - 1}`);
  }
  const take = (data: Float32Array, width: number): Float32Array => {
    const out = new Float32Array(rows.length * width);
    for (let i = 0; i < rows.length; i++) out.set(data.subarray(rows[i]! * width, (rows[i]! + 1) * width), i * width);
    return out;
  };
  if (ds.format === 'trajectories') {
    return { ...ds, n: rows.length, trajectories: take(ds.trajectories, ds.steps * ds.dim), times: take(ds.times, ds.steps) };
  }
  return { ...ds, n: rows.length, inputs: take(ds.inputs, ds.dim), targets: take(ds.targets, ds.dim), times: take(ds.times, 1) };
}

/** Float32 copy of a float array; non-finite values (also float64 values beyond float32) are errors. */
function toFloat32(array: NdArray, key: string, fail: (detail: string, key?: string) => never): Float32Array {
  const out = Float32Array.from(array.data as Float32Array | Float64Array);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) {
      const value = (array.data as Float32Array | Float64Array)[i]!;
      const what = Number.isFinite(value) ? `value ${value} (too large for float32)` : `non-finite value ${value}`;
      fail(`key '${key}' has a ${what} at index ${formatIndex(i, array.shape)}`, key);
    }
  }
  return out;
}

/** Times must increase strictly along every trajectory. */
function checkIncreasing(
  times: Float32Array,
  n: number,
  steps: number,
  shared: boolean,
  fail: (detail: string, key?: string) => never,
): void {
  for (let i = 0; i < (shared ? 1 : n); i++) {
    for (let j = 1; j < steps; j++) {
      const previous = times[i * steps + j - 1]!;
      const current = times[i * steps + j]!;
      if (!(current > previous)) {
        const at = (k: number) => (shared ? `times[${k}]` : `times[${i}, ${k}]`);
        // Float32 values print with the 7 significant digits they hold.
        const show = (v: number) => Number(v.toPrecision(7));
        fail(`key 'times' is not strictly increasing: ${at(j)} = ${show(current)} <= ${at(j - 1)} = ${show(previous)}`, 'times');
      }
    }
  }
}

function tile(row: Float32Array, count: number): Float32Array {
  const out = new Float32Array(row.length * count);
  for (let i = 0; i < count; i++) out.set(row, i * row.length);
  return out;
}

/** Flat C-order index -> "[i, j, k]". */
function formatIndex(flat: number, shape: readonly number[]): string {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = flat % shape[axis]!;
    flat = Math.floor(flat / shape[axis]!);
  }
  return `[${index.join(', ')}]`;
}
