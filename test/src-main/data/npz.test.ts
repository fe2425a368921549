import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { NpyError, writeNpy, type NdArray } from '../../../src-main/data/npy';
import { readNpz, writeNpz } from '../../../src-main/data/npz';
import { hasNumpy, runPython } from './numpy-python';

const ARRAYS: Record<string, NdArray> = {
  f4: { dtype: 'float32', shape: [3, 2], data: Float32Array.from([1, -2.5, 3e-8, 4, 5, 6]) },
  f8: { dtype: 'float64', shape: [4], data: Float64Array.from([Math.PI, -0, 1e300, 5e-324]) },
  i4: { dtype: 'int32', shape: [2, 1, 2], data: Int32Array.from([-1, 2, 2147483647, -2147483648]) },
  i8: { dtype: 'int64', shape: [], data: BigInt64Array.from([-(2n ** 62n)]) },
  b1: { dtype: 'bool', shape: [3], data: Uint8Array.from([1, 0, 1]) },
};

function bytesOf(array: NdArray): Uint8Array {
  return new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
}

describe('readNpz / writeNpz', () => {
  it.each([false, true])('round-trips every dtype bit-identically (compress %s)', (compress) => {
    const bytes = writeNpz(ARRAYS, { compress });
    const back = readNpz(bytes, 'r.npz');
    expect([...back.keys()]).toEqual(Object.keys(ARRAYS));
    for (const [key, array] of Object.entries(ARRAYS)) {
      expect(back.get(key)!.dtype).toBe(array.dtype);
      expect(back.get(key)!.shape).toEqual(array.shape);
      expect(bytesOf(back.get(key)!)).toEqual(bytesOf(array));
    }
  });

  it('writes the same bytes for the same arrays (fixed timestamps), and deflate shrinks repetitive data', () => {
    expect(writeNpz(ARRAYS)).toEqual(writeNpz(ARRAYS));
    const zeros: Record<string, NdArray> = { z: { dtype: 'float64', shape: [1000], data: new Float64Array(1000) } };
    expect(writeNpz(zeros, { compress: true }).length).toBeLessThan(writeNpz(zeros).length / 10);
  });

  it('reads the reference (numpy-written, zip64) files', () => {
    const bytes = new Uint8Array(readFileSync('../shared/reference/ngf/datasets/two-body-problem_fixed-energy-trajectories_test.npz'));
    const arrays = readNpz(bytes, 'two-body.npz');
    expect(arrays.get('trajectories')!.shape).toEqual([15, 30, 8]);
    expect(arrays.get('times')!.dtype).toBe('float64');
  });

  it('refuses bad archives with errors that name the file', () => {
    const good = writeNpz(ARRAYS);
    const corrupt = good.slice();
    corrupt[170] ^= 0xff; // inside the first entry's data: the CRC no longer matches
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /^bad\.npz: not a zip archive/],
      [new TextEncoder().encode('hello world, not a zip'), /^bad\.npz: not a zip archive/],
      [writeNpy(ARRAYS.f4!), /^bad\.npz: this is a single \.npy array/],
      [good.subarray(0, good.length - 30), /^bad\.npz: truncated zip archive/],
      [good.subarray(0, 300), /^bad\.npz: truncated zip archive/],
      [corrupt, /^bad\.npz: entry 'f4\.npy' is corrupt \(CRC-32 mismatch\)/],
      [zipSync({ 'readme.txt': new Uint8Array([65]) }), /^bad\.npz: the zip archive has no \.npy entries \(entries: readme\.txt\)/],
      [zipSync({ 'x.npy': new Uint8Array([1, 2, 3]) }), /^bad\.npz, entry x\.npy: truncated/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => readNpz(bytes, 'bad.npz')).toThrow(NpyError);
      expect(() => readNpz(bytes, 'bad.npz')).toThrow(message);
    }
  });

  it('rejects keys whose data does not fit the dtype', () => {
    expect(() => writeNpz({ w: { dtype: 'int32', shape: [1], data: new Float32Array(1) } })).toThrow(/key 'w': dtype int32 needs a Int32Array/);
  });
});

describe.skipIf(!hasNumpy)('numpy interoperability (python3 present)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ngf-npz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('numpy reads what we write (stored and deflated) and we read np.savez / np.savez_compressed', () => {
    writeFileSync(join(dir, 'ours.npz'), writeNpz(ARRAYS));
    writeFileSync(join(dir, 'ours_z.npz'), writeNpz(ARRAYS, { compress: true }));
    const out = runPython(
      `
import numpy as np, zipfile
for name, method in [('ours.npz', zipfile.ZIP_STORED), ('ours_z.npz', zipfile.ZIP_DEFLATED)]:
    assert all(i.compress_type == method for i in zipfile.ZipFile(name).infolist()), name
    d = np.load(name)
    assert list(d.files) == ['f4', 'f8', 'i4', 'i8', 'b1'], d.files
    assert d['f4'].dtype == np.float32 and d['f4'].shape == (3, 2) and d['f4'][0, 1] == -2.5
    assert d['f8'][2] == 1e300 and d['i4'][0, 0, 1] == 2 and d['i8'] == -(2 ** 62) and d['b1'].tolist() == [True, False, True]
    np.savez('theirs_' + name, **{k: d[k] for k in d.files})
    np.savez_compressed('theirsz_' + name, **{k: d[k] for k in d.files})
print('ok')`,
      dir,
    );
    expect(out.trim()).toBe('ok');
    for (const file of ['theirs_ours.npz', 'theirsz_ours.npz', 'theirs_ours_z.npz', 'theirsz_ours_z.npz']) {
      const back = readNpz(new Uint8Array(readFileSync(join(dir, file))), file);
      for (const [key, array] of Object.entries(ARRAYS)) expect(bytesOf(back.get(key)!)).toEqual(bytesOf(array));
    }
  });
});
