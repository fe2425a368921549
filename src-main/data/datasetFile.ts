/**
 * Dataset files on disk (Node only; the parsing itself in ./dataset.ts needs no file system).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { DatasetError, encodeDataset, parseDataset, type Dataset, type DatasetArrays } from './dataset';

/** Reads and validates an `.npz` dataset file; errors name the file by its base name. */
export async function loadDataset(path: string): Promise<Dataset> {
  const source = basename(path);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    throw new DatasetError(source, `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseDataset(bytes, source);
}

/** Writes a dataset (or validated raw arrays) as an `.npz` file, deflated when `compress` is set. */
export async function writeDataset(data: Dataset | DatasetArrays, path: string, options: { compress?: boolean } = {}): Promise<void> {
  await writeFile(path, encodeDataset(data, { ...options, source: basename(path) }));
}
