/**
 * The numpy `.npy` format (versions 1.0, 2.0, 3.0), read and written without numpy.
 *
 * A blob is: the magic `\x93NUMPY`, a major and minor version byte, the header length (uint16 LE for
 * 1.0, uint32 LE for 2.0/3.0), a Python dict literal `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (32, 3), }` padded with spaces and a newline, then the raw little-endian element bytes.
 * Blobs carry their own length, so a file that is several `np.save` outputs back to back (the
 * reference `.eqx` checkpoints) is read by calling `parseNpy` in a loop on the returned `end`.
 */

/** Element types we read and write; everything else is refused with its numpy descr named. */
export type NpyDtype = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';

export type NdData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** An n-dimensional array in C (row-major) order: element (i0, ..., ik) is data[sum ij * strideCj]. */
export interface NdArray {
  dtype: NpyDtype;
  shape: number[];
  data: NdData;
}

/** A malformed or unsupported `.npy` blob; `source` names the file (or zip entry) at fault. */
export class NpyError extends Error {
  constructor(
    readonly source: string,
    readonly detail: string,
  ) {
    super(`${source}: ${detail}`);
    this.name = 'NpyError';
  }
}

interface DtypeInfo {
  descr: string;
  itemSize: number;
  storage: new (length: number) => NdData;
}

const DTYPES: Record<NpyDtype, DtypeInfo> = {
  float32: { descr: '<f4', itemSize: 4, storage: Float32Array },
  float64: { descr: '<f8', itemSize: 8, storage: Float64Array },
  int32: { descr: '<i4', itemSize: 4, storage: Int32Array },
  int64: { descr: '<i8', itemSize: 8, storage: BigInt64Array },
  bool: { descr: '|b1', itemSize: 1, storage: Uint8Array },
};

const DTYPE_BY_DESCR: Record<string, NpyDtype> = {
  '<f4': 'float32',
  '<f8': 'float64',
  '<i4': 'int32',
  '<i8': 'int64',
  '|b1': 'bool',
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy pads magic + length + header to a multiple of this, so the data starts aligned. */
const HEADER_ALIGN = 64;

/** Number of elements of an array of this shape (1 for a scalar, shape []). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((count, dim) => count * dim, 1);
}

/** Bytes per element of a dtype. */
export function itemSize(dtype: NpyDtype): number {
  return DTYPES[dtype].itemSize;
}

/** The shape as numpy prints it: (), (5,), (32, 3). */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Reads one `.npy` blob that starts at `offset` in `bytes`.
 *
 * Returns the array (always C order: a Fortran-order blob is transposed on reading) and the offset
 * just past its data. Throws `NpyError` naming `source` for a bad magic, truncated header or data,
 * an unparseable header, a big-endian or unsupported dtype.
 */
export function parseNpy(bytes: Uint8Array, offset = 0, source = '<bytes>'): { array: NdArray; end: number } {
  const fail = (detail: string): never => {
    throw new NpyError(source, detail);
  };
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) fail(`offset ${offset} is outside the ${bytes.length} bytes`);
  if (bytes.length - offset < 10) fail(`truncated: ${bytes.length - offset} bytes at offset ${offset}, too short for an .npy header`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[offset + i] !== MAGIC[i]) fail(`not an .npy blob at offset ${offset} (magic \\x93NUMPY missing)`);
  }
  const major = bytes[offset + 6]!;
  const minor = bytes[offset + 7]!;
  if (major < 1 || major > 3 || minor !== 0) fail(`unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerLength = view.getUint16(offset + 8, true);
    headerStart = offset + 10;
  } else {
    if (bytes.length - offset < 12) fail(`truncated: .npy ${major}.0 header length cut off at offset ${offset}`);
    headerLength = view.getUint32(offset + 8, true);
    headerStart = offset + 12;
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) fail(`truncated: header says ${headerLength} bytes but only ${bytes.length - headerStart} remain`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { dtype, fortranOrder, shape } = parseHeader(header, fail);

  const count = elementCount(shape);
  const size = DTYPES[dtype].itemSize;
  const available = bytes.length - dataStart;
  if (count * size > available) {
    fail(`truncated: shape ${formatShape(shape)} of ${DTYPES[dtype].descr} needs ${count * size} data bytes but only ${available} remain`);
  }
  // Copy into a fresh buffer: the blob may start at any byte, typed arrays need aligned offsets.
  const data = new DTYPES[dtype].storage(count);
  new Uint8Array(data.buffer).set(bytes.subarray(dataStart, dataStart + count * size));
  const array: NdArray = { dtype, shape, data };
  return { array: fortranOrder ? fortranToC(array) : array, end: dataStart + count * size };
}

/** Reads a whole `.npy` file; trailing bytes after the blob are an error. */
export function readNpy(bytes: Uint8Array, source = '<bytes>'): NdArray {
  const { array, end } = parseNpy(bytes, 0, source);
  if (end !== bytes.length) throw new NpyError(source, `${bytes.length - end} unexpected bytes after the array data`);
  return array;
}

/**
 * Serialises an array as numpy's `np.save` does: format 1.0, `fortran_order: False`, header padded
 * with spaces so that the data starts at a multiple of 64 bytes.
 */
export function writeNpy(array: NdArray): Uint8Array {
  checkNdArray(array);
  const info = DTYPES[array.dtype];
  let header = `{'descr': '${info.descr}', 'fortran_order': False, 'shape': ${formatShape(array.shape)}, }`;
  const unpadded = MAGIC.length + 4 + header.length + 1;
  header += ' '.repeat((HEADER_ALIGN - (unpadded % HEADER_ALIGN)) % HEADER_ALIGN) + '\n';
  if (header.length > 0xffff) throw new Error(`writeNpy: header of shape ${formatShape(array.shape)} is too long for format 1.0`);
  const dataBytes = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Uint8Array(MAGIC.length + 4 + header.length + dataBytes.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(dataBytes, 10 + header.length);
  return out;
}

/** Throws if the data's type or length does not match the dtype and shape. */
export function checkNdArray(array: NdArray): void {
  if (!Object.hasOwn(DTYPES, array.dtype)) throw new Error(`unknown dtype '${String(array.dtype)}'`);
  for (const dim of array.shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) throw new Error(`bad shape ${formatShape(array.shape)}: dimensions must be non-negative integers`);
  }
  const storage = DTYPES[array.dtype].storage;
  if (!(array.data instanceof storage)) {
    throw new Error(`dtype ${array.dtype} needs a ${storage.name}, got ${array.data?.constructor?.name ?? typeof array.data}`);
  }
  if (array.data.length !== elementCount(array.shape)) {
    throw new Error(`shape ${formatShape(array.shape)} has ${elementCount(array.shape)} elements but the data has ${array.data.length}`);
  }
}

/** Parses the header dict; only the three keys numpy writes matter. */
function parseHeader(
  header: string,
  fail: (detail: string) => never,
): { dtype: NpyDtype; fortranOrder: boolean; shape: number[] } {
  const trimmed = header.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) fail(`unparseable .npy header ${JSON.stringify(header.slice(0, 80))}`);
  const descrMatch = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(trimmed);
  if (!descrMatch) {
    const structured = /['"]descr['"]\s*:\s*\[/.test(trimmed);
    fail(structured ? 'structured (record) dtypes are not supported' : `.npy header has no 'descr': ${JSON.stringify(trimmed.slice(0, 80))}`);
  }
  const descr = descrMatch![2]!;
  const dtype = DTYPE_BY_DESCR[descr];
  if (!dtype) {
    const hint = descr.startsWith('>') ? 'big-endian data is not supported' : 'unsupported dtype';
    fail(`${hint} '${descr}' (supported: ${Object.keys(DTYPE_BY_DESCR).join(' ')})`);
  }
  const orderMatch = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(trimmed);
  if (!orderMatch) fail(`.npy header has no 'fortran_order' True/False: ${JSON.stringify(trimmed.slice(0, 80))}`);
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(trimmed);
  if (!shapeMatch) fail(`.npy header has no 'shape' tuple: ${JSON.stringify(trimmed.slice(0, 80))}`);
  const shape = shapeMatch![1]!
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const digits = /^(\d+)L?$/.exec(part);
      const dim = digits ? Number(digits[1]) : NaN;
      if (!Number.isSafeInteger(dim)) fail(`bad dimension '${part}' in shape (${shapeMatch![1]})`);
      return dim;
    });
  return { dtype: dtype!, fortranOrder: orderMatch![1] === 'True', shape };
}

/** Reorders Fortran-order (column-major) data into C order, same shape. */
function fortranToC(array: NdArray): NdArray {
  const { shape, data } = array;
  if (shape.length < 2) return array;
  const count = data.length;
  const out = new DTYPES[array.dtype].storage(count);
  const rank = shape.length;
  // Column-major strides: the first index varies fastest.
  const fStrides = new Array<number>(rank);
  let stride = 1;
  for (let axis = 0; axis < rank; axis++) {
    fStrides[axis] = stride;
    stride *= shape[axis]!;
  }
  // Walk the C-order index (i0, ..., ik) like an odometer, tracking the Fortran flat offset.
  const index = new Array<number>(rank).fill(0);
  let source = 0;
  const src = data as unknown as ArrayLike<number | bigint>;
  const dst = out as unknown as (number | bigint)[];
  for (let flat = 0; flat < count; flat++) {
    dst[flat] = src[source]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]!++;
      source += fStrides[axis]!;
      if (index[axis]! < shape[axis]!) break;
      source -= fStrides[axis]! * shape[axis]!;
      index[axis] = 0;
    }
  }
  return { dtype: array.dtype, shape: [...shape], data: out };
}
