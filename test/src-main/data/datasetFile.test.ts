import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, type TrajectoriesDataset } from '../../../src-main/data/dataset';
import { loadDataset, writeDataset } from '../../../src-main/data/datasetFile';

const REFERENCE = '../shared/reference/ngf/datasets/half-sphere_long-trajectories_test.npz';

describe('loadDataset / writeDataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ngf-dataset-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a reference file and writes it back to identical arrays (stored and deflated)', async () => {
    const ds = (await loadDataset(REFERENCE)) as TrajectoriesDataset;
    expect(ds.source).toBe('half-sphere_long-trajectories_test.npz');
    for (const compress of [false, true]) {
      const path = join(dir, `copy-${compress}.npz`);
      await writeDataset(ds, path, { compress });
      const back = (await loadDataset(path)) as TrajectoriesDataset;
      expect(back.trajectories).toEqual(ds.trajectories);
      expect(back.times).toEqual(ds.times);
    }
    // The reference is float32 and stored: writing it uncompressed reproduces the same array bytes.
    expect(readFileSync(join(dir, 'copy-false.npz')).length).toBeGreaterThan(readFileSync(join(dir, 'copy-true.npz')).length);
  });

  it('names the file when it cannot be read', async () => {
    await expect(loadDataset(join(dir, 'missing.npz'))).rejects.toThrow(DatasetError);
    await expect(loadDataset(join(dir, 'missing.npz'))).rejects.toThrow(/^missing\.npz: cannot read .*ENOENT/);
  });

  it('refuses to write invalid raw arrays, naming the target file', async () => {
    const bad = { trajectories: { dtype: 'float64' as const, shape: [1, 2, 1], data: Float64Array.from([0, 1]) }, times: { dtype: 'float64' as const, shape: [1, 2], data: Float64Array.from([1, 1]) } };
    await expect(writeDataset(bad, join(dir, 'bad.npz'))).rejects.toThrow(/^bad\.npz: key 'times' is not strictly increasing/);
  });
});
