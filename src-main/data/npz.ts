/**
 * The numpy `.npz` format: a zip archive with one `.npy` blob per array, entry `KEY.npy`.
 *
 * `np.savez` stores the entries uncompressed, `np.savez_compressed` deflates them; we write both,
 * with a fixed modification time so the same arrays always give the same bytes. Reading checks every
 * entry's CRC-32 against the zip's central directory (as Python's zipfile does), so a corrupted file
 * is refused instead of loading silently altered numbers.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { NpyError, readNpy, writeNpy, type NdArray } from './npy';

/** DOS timestamps start in 1980; any fixed date makes the output reproducible. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** Deflate cannot expand data by more than about 1032:1; a larger declared size is corruption. */
const MAX_DEFLATE_RATIO = 1100;

/**
 * Reads an `.npz` archive into a map from key (entry name without `.npy`) to array, in archive order.
 * Entries not ending in `.npy` are ignored. Throws `NpyError` naming `source` (and the entry) for a
 * non-zip or truncated file, a corrupted entry, an archive without `.npy` entries or a bad blob.
 */
export function readNpz(bytes: Uint8Array, source = '<bytes>'): Map<string, NdArray> {
  const fail = (detail: string): never => {
    throw new NpyError(source, detail);
  };
  if (bytes.length >= 6 && bytes[0] === 0x93 && bytes[1] === 0x4e && bytes[2] === 0x55) {
    fail('this is a single .npy array, not an .npz archive');
  }
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) fail('not a zip archive (an .npz file starts with "PK")');
  const expectedCrc = centralDirectoryCrcs(bytes, fail);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        const plausible =
          file.compression === 0 ? file.originalSize === file.size : file.originalSize <= file.size * MAX_DEFLATE_RATIO + 1024;
        if (!plausible) fail(`entry '${file.name}' declares ${file.originalSize} bytes from ${file.size}: the archive is corrupt`);
        return file.name.endsWith('.npy');
      },
    });
  } catch (err) {
    if (err instanceof NpyError) throw err;
    return fail(`unreadable zip archive (${err instanceof Error ? err.message : String(err)}): truncated or corrupt file?`);
  }
  const arrays = new Map<string, NdArray>();
  for (const [name, data] of Object.entries(entries)) {
    if (crc32(data) !== expectedCrc.get(name)) fail(`entry '${name}' is corrupt (CRC-32 mismatch)`);
    arrays.set(name.slice(0, -'.npy'.length), readNpy(data, `${source}, entry ${name}`));
  }
  if (arrays.size === 0) {
    const names = [...expectedCrc.keys()];
    fail(`the zip archive has no .npy entries (entries: ${names.length ? names.join(', ') : 'none'})`);
  }
  return arrays;
}

/**
 * Writes arrays as an `.npz` archive, readable by `np.load`: entries `KEY.npy` stored as by
 * `np.savez`, or deflated as by `np.savez_compressed` when `compress` is set.
 */
export function writeNpz(arrays: Record<string, NdArray>, options: { compress?: boolean } = {}): Uint8Array {
  const level = options.compress ? 6 : 0;
  const files: Zippable = {};
  for (const [key, array] of Object.entries(arrays)) {
    if (key === '') throw new Error('writeNpz: array keys must be non-empty');
    try {
      files[`${key}.npy`] = [writeNpy(array), { level }];
    } catch (err) {
      throw new Error(`writeNpz: key '${key}': ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return zipSync(files, { mtime: FIXED_MTIME });
}

/**
 * Entry name -> CRC-32 from the zip's central directory (zip64 aware: numpy writes zip64 records).
 * Names decode as UTF-8 when flag bit 11 is set, else as latin1, matching fflate.
 */
function centralDirectoryCrcs(bytes: Uint8Array, fail: (detail: string) => never): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => u32(at) + u32(at + 4) * 2 ** 32;
  const inBounds = (at: number, length: number) => at >= 0 && at + length <= bytes.length;

  let end = bytes.length - 22;
  const lowest = Math.max(0, end - 0xffff);
  while (end >= lowest && u32(end) !== 0x06054b50) end--;
  if (end < lowest) fail('truncated zip archive (no end-of-central-directory record)');
  let count = u16(end + 10);
  let offset = u32(end + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = end - 20;
    if (!inBounds(locator, 20) || u32(locator) !== 0x07064b50) fail('corrupt zip64 archive (no zip64 locator)');
    const record = u64(locator + 8);
    if (!inBounds(record, 56) || u32(record) !== 0x06064b50) fail('corrupt zip64 archive (bad zip64 end record)');
    count = u64(record + 32);
    offset = u64(record + 48);
  }
  const crcs = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    if (!inBounds(offset, 46) || u32(offset) !== 0x02014b50) fail(`corrupt zip central directory (entry ${i} of ${count})`);
    const utf8 = (u16(offset + 8) & 0x800) !== 0;
    const nameLength = u16(offset + 28);
    if (!inBounds(offset + 46, nameLength)) fail(`corrupt zip central directory (entry ${i} name)`);
    const name = new TextDecoder(utf8 ? 'utf-8' : 'latin1').decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    crcs.set(name, u32(offset + 16));
    offset += 46 + nameLength + u16(offset + 30) + u16(offset + 32);
  }
  return crcs;
}

/** CRC-32 of every byte value: the lookup table of the bytewise algorithm. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) as zip uses it. */
function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
