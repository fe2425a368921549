import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NpyError, parseNpy, readNpy, writeNpy, type NdArray } from '../../../src-main/data/npy';
import { hasNumpy, runPython } from './numpy-python';

const MODELS = '../shared/reference/ngf/models';

function sample(dtype: NdArray['dtype'], shape: number[]): NdArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => (i * 7919) % 23 - 11 + i / 8);
  switch (dtype) {
    case 'float32':
      return { dtype, shape, data: Float32Array.from(values) };
    case 'float64':
      return { dtype, shape, data: Float64Array.from(values.map((v) => v + 1e-12)) };
    case 'int32':
      return { dtype, shape, data: Int32Array.from(values.map(Math.round)) };
    case 'int64':
      return { dtype, shape, data: BigInt64Array.from(values.map((v) => BigInt(Math.round(v)) * 10000000000n)) };
    case 'bool':
      return { dtype, shape, data: Uint8Array.from(values.map((v) => (v > 0 ? 1 : 0))) };
  }
}

/** An .npy v1.0 blob with an arbitrary header dict, built by hand. */
function npyBytes(header: string, payload: Uint8Array, version = 1): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const padded = header + ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(prefix + padded.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), prefix);
  out.set(payload, prefix + padded.length);
  return out;
}

const DTYPES: NdArray['dtype'][] = ['float32', 'float64', 'int32', 'int64', 'bool'];
const SHAPES = [[], [0], [5], [3, 4], [2, 3, 4]];

describe('writeNpy / readNpy', () => {
  it.each(DTYPES)('round-trips %s bit-identically for every rank', (dtype) => {
    for (const shape of SHAPES) {
      const array = sample(dtype, shape);
      const bytes = writeNpy(array);
      expect((bytes.length - array.data.byteLength) % 64).toBe(0);
      const back = readNpy(bytes, 'x.npy');
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual(shape);
      expect(new Uint8Array(back.data.buffer)).toEqual(new Uint8Array(array.data.buffer));
    }
  });

  it('converts fortran_order True to C order', () => {
    // C-order values of a (2,3,4) array are 0..23; its Fortran-order bytes list them first index fastest.
    const shape = [2, 3, 4];
    const fortran = new Float64Array(24);
    let k = 0;
    for (let c = 0; c < 4; c++) for (let b = 0; b < 3; b++) for (let a = 0; a < 2; a++) fortran[k++] = a * 12 + b * 4 + c;
    const bytes = npyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }", new Uint8Array(fortran.buffer));
    const array = readNpy(bytes, 'f.npy');
    expect(array.shape).toEqual(shape);
    expect(Array.from(array.data as Float64Array)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    const matrix = npyBytes("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", new Uint8Array(Int32Array.from([1, 4, 2, 5, 3, 6]).buffer));
    expect(Array.from(readNpy(matrix).data as Int32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads format versions 2.0 and 3.0', () => {
    const payload = new Uint8Array(Float32Array.from([1.5, -2]).buffer);
    for (const version of [2, 3]) {
      const array = readNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", payload, version));
      expect(Array.from(array.data as Float32Array)).toEqual([1.5, -2]);
    }
  });

  it('rejects bad input with errors that name the source and the fault', () => {
    const good = writeNpy(sample('float32', [3, 4]));
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array([1, 2, 3]), /w\.npy: truncated/],
      [new Uint8Array(64), /w\.npy: not an \.npy blob/],
      [good.subarray(0, 70), /w\.npy: truncated: header/],
      [good.subarray(0, good.length - 1), /w\.npy: truncated: shape \(3, 4\) of <f4 needs 48 data bytes but only 47/],
      [npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)), /big-endian data is not supported '>f4'/],
      [npyBytes("{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(20)), /unsupported dtype '<U5'/],
      [npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)), /structured/],
      [npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1, x), }", new Uint8Array(4)), /bad dimension 'x'/],
      [npyBytes("{'descr': '<f4', 'shape': (1,), }", new Uint8Array(4)), /no 'fortran_order'/],
      [Uint8Array.from([...good, 0]), /1 unexpected bytes/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => readNpy(bytes, 'w.npy')).toThrow(NpyError);
      expect(() => readNpy(bytes, 'w.npy')).toThrow(message);
    }
    const bumped = good.slice();
    bumped[6] = 9;
    expect(() => readNpy(bumped, 'w.npy')).toThrow(/version 9\.0/);
  });

  it('refuses to write data that does not match dtype and shape', () => {
    expect(() => writeNpy({ dtype: 'float32', shape: [2], data: new Float32Array(3) })).toThrow(/\(2,\) has 2 elements but the data has 3/);
    expect(() => writeNpy({ dtype: 'float32', shape: [2], data: new Float64Array(2) })).toThrow(/float32 needs a Float32Array, got Float64Array/);
  });
});

describe('parseNpy on concatenated blobs (.eqx checkpoints)', () => {
  it('reads a reference checkpoint as 32 blobs ending exactly at the end of the file', () => {
    const bytes = new Uint8Array(readFileSync(join(MODELS, 'master_thesis/toy-problem_model-A.eqx')));
    const arrays: NdArray[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const { array, end } = parseNpy(bytes, offset, 'toy-problem_model-A.eqx');
      arrays.push(array);
      offset = end;
    }
    expect(offset).toBe(bytes.length);
    expect(arrays).toHaveLength(32);
    expect(arrays[0]!.shape).toEqual([32, 3]);
    expect(arrays[0]!.dtype).toBe('float32');
    const scalars = arrays.filter((a) => a.shape.length === 0);
    expect(scalars.every((a) => a.dtype === 'int64')).toBe(true);
  });

  it('reads a blob starting at an odd offset', () => {
    const blob = writeNpy(sample('float64', [3]));
    const shifted = new Uint8Array(blob.length + 3);
    shifted.set(blob, 3);
    const { array, end } = parseNpy(shifted, 3);
    expect(end).toBe(shifted.length);
    expect(array.data).toEqual(sample('float64', [3]).data);
  });
});

describe.skipIf(!hasNumpy)('numpy interoperability (python3 present)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ngf-npy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes byte-identical to np.save and reads what np.save writes', () => {
    for (const dtype of DTYPES) writeFileSync(join(dir, `${dtype}.npy`), writeNpy(sample(dtype, [2, 3, 4])));
    const out = runPython(
      `
import numpy as np
for name in ['float32','float64','int32','int64','bool']:
    a = np.load(name + '.npy')
    assert a.shape == (2, 3, 4) and a.dtype == np.dtype(name), (name, a.shape, a.dtype)
    np.save('py_' + name + '.npy', a)
np.save('py_fortran.npy', np.asfortranarray(np.arange(24, dtype='<f8').reshape(2, 3, 4)))
print('ok')`,
      dir,
    );
    expect(out.trim()).toBe('ok');
    for (const dtype of DTYPES) {
      expect(readFileSync(join(dir, `py_${dtype}.npy`))).toEqual(readFileSync(join(dir, `${dtype}.npy`)));
    }
    const fortran = readNpy(new Uint8Array(readFileSync(join(dir, 'py_fortran.npy'))));
    expect(Array.from(fortran.data as Float64Array)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });
});
