import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DatasetError,
  datasetFromArrays,
  encodeDataset,
  parseDataset,
  pickRows,
  sliceDataset,
  type DatasetArrays,
  type InputsTargetsDataset,
  type TrajectoriesDataset,
} from '../../../src-main/data/dataset';
import type { NdArray } from '../../../src-main/data/npy';
import { writeNpz } from '../../../src-main/data/npz';
import { Random } from '../../../src-main/data/generators/random';

const DATASETS = '../shared/reference/ngf/datasets';
const read = (file: string) => new Uint8Array(readFileSync(`${DATASETS}/${file}`));

const f64 = (shape: number[], fill: (i: number) => number): NdArray => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { dtype: 'float64', shape, data: Float64Array.from({ length: n }, (_, i) => fill(i)) };
};
/** A valid trajectories dataset (N, T, D) = (4, 5, 2) with times row i = i + 0.1 j. */
const trajectoryArrays = () => ({ trajectories: f64([4, 5, 2], (i) => i / 7), times: f64([4, 5], (i) => Math.floor(i / 5) + 0.1 * (i % 5)) });
const inputTargetArrays = () => ({ inputs: f64([3, 2], (i) => i), targets: f64([3, 2], (i) => -i), times: f64([3], () => 1) });

describe('the reference datasets', () => {
  it.each([
    ['half-sphere_inputs-targets_train.npz', 'inputs-targets', 16384, undefined, 6, 'float32'],
    ['half-sphere_inputs-targets_test.npz', 'inputs-targets', 16384, undefined, 6, 'float32'],
    ['half-sphere_long-trajectories_train.npz', 'trajectories', 16, 99, 6, 'float32'],
    ['half-sphere_long-trajectories_test.npz', 'trajectories', 16, 99, 6, 'float32'],
    ['two-body-problem_fixed-energy-trajectories_train.npz', 'trajectories', 90, 30, 8, 'float64'],
    ['two-body-problem_fixed-energy-trajectories_test.npz', 'trajectories', 15, 30, 8, 'float64'],
    ['two-body-problem_trajectories_test.npz', 'trajectories', 916, 30, 8, 'float64'],
  ])('%s loads as %s (N %i, T %s, D %i, %s)', (file, format, n, steps, dim, dtype) => {
    const ds = parseDataset(read(file), file);
    expect(ds.format).toBe(format);
    expect([ds.n, ds.dim, ds.dtype]).toEqual([n, dim, dtype]);
    if (ds.format === 'trajectories') {
      expect(ds.steps).toBe(steps);
      expect(ds.trajectories.length).toBe(n * steps! * dim);
      expect(ds.times.length).toBe(n * steps!);
    } else {
      expect(ds.inputs.length).toBe(n * dim);
      expect(ds.times.every((t) => t === 1)).toBe(true);
    }
  });

  it('holds the same numbers as the file (float64 rounded to float32)', () => {
    const ds = parseDataset(read('two-body-problem_fixed-energy-trajectories_test.npz'), 'tb') as TrajectoriesDataset;
    // dt = 20 / 249 in the reference's two-body protocol
    expect(ds.times[1]).toBeCloseTo(20 / 249, 6);
    expect(ds.trajectories.slice(0, 8).every((v, k) => (k < 4 ? Math.abs(v) > 0.3 : Math.abs(v) < 0.5))).toBe(true);
    expect(ds.trajectories[2]).toBe(-ds.trajectories[0]!); // centre-of-mass frame: rB = -rA
  });
});

describe('validation', () => {
  const cases: [string, Record<string, NdArray>, RegExp, string | undefined][] = [
    ['missing times', { trajectories: trajectoryArrays().trajectories }, /missing key 'times' \(keys found: 'trajectories'\)/, 'times'],
    ['mismatched T', { ...trajectoryArrays(), times: f64([4, 4], (i) => i) }, /key 'times' has shape \(4, 4\) but 'trajectories' has \(4, 5, 2\): expected times \(N, T\) = \(4, 5\)/, 'times'],
    ['wrong rank', { trajectories: f64([4, 10], (i) => i), times: f64([4, 5], (i) => i) }, /key 'trajectories' has shape \(4, 10\): expected \(N, T, D\)/, 'trajectories'],
    ['T = 1', { trajectories: f64([4, 1, 2], (i) => i), times: f64([4, 1], (i) => i) }, /at least 2 time points/, 'trajectories'],
    ['NaN', { ...trajectoryArrays(), trajectories: f64([4, 5, 2], (i) => (i === 23 ? NaN : i)) }, /key 'trajectories' has a non-finite value NaN at index \[2, 1, 1\]/, 'trajectories'],
    ['float32 overflow', { ...trajectoryArrays(), trajectories: f64([4, 5, 2], (i) => (i === 1 ? 1e300 : i)) }, /value 1e\+300 \(too large for float32\) at index \[0, 0, 1\]/, 'trajectories'],
    ['non-increasing times', { ...trajectoryArrays(), times: f64([4, 5], (i) => (i === 13 ? 1.2 : Math.floor(i / 5) + 0.1 * (i % 5))) }, /key 'times' is not strictly increasing: times\[2, 3\] = 1.2 <= times\[2, 2\] = 2.2/, 'times'],
    ['int trajectories', { ...trajectoryArrays(), trajectories: { dtype: 'int32', shape: [4, 5, 2], data: new Int32Array(40) } }, /key 'trajectories' has dtype int32: expected float32 or float64/, 'trajectories'],
    ['empty', { trajectories: f64([0, 5, 2], () => 0), times: f64([0, 5], () => 0) }, /key 'trajectories' is empty: shape \(0, 5, 2\)/, 'trajectories'],
    ['no dataset keys', { x: f64([2], (i) => i) }, /no dataset arrays: expected keys 'inputs', 'targets', 'times' or 'trajectories', 'times'; found 'x'/, undefined],
    ['both formats', { ...trajectoryArrays(), ...inputTargetArrays() }, /both 'trajectories' and 'inputs'/, undefined],
    ['targets shape', { ...inputTargetArrays(), targets: f64([3, 3], (i) => i) }, /key 'targets' has shape \(3, 3\) but 'inputs' has \(3, 2\): expected the same shape/, 'targets'],
    ['times (N,)', { ...inputTargetArrays(), times: f64([3, 1], () => 1) }, /key 'times' has shape \(3, 1\) but 'inputs' has \(3, 2\): expected times \(N,\) = \(3,\)/, 'times'],
    ['bool targets', { ...inputTargetArrays(), targets: { dtype: 'bool', shape: [3, 2], data: new Uint8Array(6) } }, /key 'targets' has dtype bool/, 'targets'],
    ['infinite time', { ...inputTargetArrays(), times: f64([3], (i) => (i === 2 ? -Infinity : 1)) }, /key 'times' has a non-finite value -Infinity at index \[2\]/, 'times'],
  ];
  it.each(cases)('%s -> DatasetError naming file and key', (_, arrays, message, key) => {
    const bytes = writeNpz(arrays);
    let caught: unknown;
    try {
      parseDataset(bytes, 'two-body.npz');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DatasetError);
    const error = caught as DatasetError;
    expect(error.message).toMatch(/^two-body\.npz: /);
    expect(error.message).toMatch(message);
    expect(error.file).toBe('two-body.npz');
    expect(error.key).toBe(key);
  });

  it('turns archive problems into DatasetErrors', () => {
    expect(() => parseDataset(new TextEncoder().encode('garbage'), 'g.npz')).toThrow(DatasetError);
    expect(() => parseDataset(new TextEncoder().encode('garbage'), 'g.npz')).toThrow(/^g\.npz: not a zip archive/);
  });

  it('accepts a shared time grid (T,) and ignores, but lists, extra keys', () => {
    const ds = datasetFromArrays({ ...trajectoryArrays(), times: f64([5], (j) => j / 4), note: f64([1], () => 3) }, 'x') as TrajectoriesDataset;
    expect(Array.from(ds.times.slice(5, 10))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ds.keys.map((k) => [k.name, k.used])).toEqual([
      ['trajectories', true],
      ['times', true],
      ['note', false],
    ]);
  });
});

describe('encodeDataset, sliceDataset, pickRows', () => {
  it('round-trips raw arrays keeping their dtype, and a Dataset as float32', () => {
    const raw: DatasetArrays = trajectoryArrays();
    const ds = parseDataset(encodeDataset(raw, { compress: true }), 'a.npz') as TrajectoriesDataset;
    expect(ds.dtype).toBe('float64');
    expect(Array.from(ds.trajectories)).toEqual(Array.from(Float32Array.from(raw.trajectories.data as Float64Array)));
    const again = parseDataset(encodeDataset(ds), 'b.npz') as TrajectoriesDataset;
    expect(again.dtype).toBe('float32');
    expect(again.trajectories).toEqual(ds.trajectories);
    expect(again.times).toEqual(ds.times);
    expect(() => encodeDataset({ ...raw, times: f64([4], (i) => i) }, { source: 'out.npz' })).toThrow(/^out\.npz: key 'times' has shape \(4,\)/);
  });

  it('slices and picks rows of both formats', () => {
    const traj = datasetFromArrays(trajectoryArrays(), 't') as TrajectoriesDataset;
    const first = sliceDataset(traj, 0, 2);
    expect(first.n).toBe(2);
    expect(Array.from(first.times)).toEqual(Array.from(traj.times.slice(0, 10)));
    expect(first.trajectories).toEqual(traj.trajectories.slice(0, 20));
    expect(sliceDataset(traj, 3, 100).n).toBe(1);
    const picked = pickRows(traj, [3, 0]);
    expect(Array.from(picked.times.slice(0, 5))).toEqual(Array.from(traj.times.slice(15, 20)));
    expect(Array.from(picked.trajectories.slice(10, 20))).toEqual(Array.from(traj.trajectories.slice(0, 10)));
    const it3 = datasetFromArrays(inputTargetArrays(), 'it') as InputsTargetsDataset;
    const last = sliceDataset(it3, 2);
    expect([last.n, Array.from(last.inputs), Array.from(last.targets), Array.from(last.times)]).toEqual([1, [4, 5], [-4, -5], [1]]);
    expect(() => pickRows(it3, [3])).toThrow(/^it: row 3 is outside 0\.\.2/);
  });
});

describe('fuzz: truncated and corrupted files', () => {
  it('every damaged file parses to valid data or throws an Error naming the file', () => {
    const original = read('two-body-problem_fixed-energy-trajectories_test.npz');
    const compressed = encodeDataset(parseDataset(original, 'o'), { compress: true });
    const random = new Random(20240611);
    const damaged: Uint8Array[] = [];
    for (const base of [original, compressed]) {
      for (let k = 0; k < 100; k++) damaged.push(base.subarray(0, random.integer(base.length)));
      for (let k = 0; k < 150; k++) {
        const bytes = base.slice();
        const flips = 1 + random.integer(4);
        // Half the flips hit the headers at either end, where the structure is.
        for (let f = 0; f < flips; f++) {
          const at = random.next() < 0.5 ? random.integer(bytes.length) : random.next() < 0.5 ? random.integer(300) : bytes.length - 1 - random.integer(300);
          bytes[at] ^= 1 + random.integer(255);
        }
        damaged.push(bytes);
      }
    }
    let parsed = 0;
    for (const bytes of damaged) {
      try {
        const ds = parseDataset(bytes, 'fuzzed.npz');
        parsed++;
        expect(ds.format).toBe('trajectories');
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).toMatch(/^fuzzed\.npz[:,]/);
      }
    }
    expect(damaged.length).toBe(500);
    // Flips the format does not depend on (e.g. inside local-header fields the reader skips) still parse.
    expect(parsed).toBeLessThan(damaged.length);
  });
});
