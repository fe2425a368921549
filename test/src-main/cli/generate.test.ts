import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src-main/cli/commands/generate';
import { loadDataset } from '../../../src-main/data/datasetFile';
import type { TrajectoriesDataset } from '../../../src-main/data/dataset';
import { captureConsole } from './captureConsole';
import { runCli } from './runCli';

describe('ngf generate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ngf-generate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { logged, errors } = captureConsole();

  it('writes a file that loadDataset reads, with the requested options', async () => {
    const out = join(dir, 'nested', 'tb.npz');
    expect(await run(['two-body', '--out', out, '--n', '12', '--points', '7', '--t-end', '3', '--seed', '5', '--compress'])).toBe(0);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^wrote .*tb\.npz: two-body, trajectories \(n 12, T 7, D 8, float64, deflated\) in \d+ ms$/);
    const ds = (await loadDataset(out)) as TrajectoriesDataset;
    expect([ds.format, ds.n, ds.steps, ds.dim, ds.dtype]).toEqual(['trajectories', 12, 7, 8, 'float64']);
    expect(ds.times[6]).toBeCloseTo(3, 6);
  });

  it('prints a JSON summary with --json and handles boolean flags', async () => {
    const out = join(dir, 'sphere.npz');
    expect(await run(['sphere-geodesics', '--out', out, '--n', '64', '--full-sphere', '--json'])).toBe(0);
    const report = JSON.parse(logged[0]!);
    expect(report).toMatchObject({ generator: 'sphere-geodesics', params: { n: 64, fullSphere: true }, summary: { format: 'inputs-targets', n: 64, dim: 6 } });
    expect(report.summary.coordinates[2].min).toBeLessThan(0); // full sphere: some z < 0
    expect((await loadDataset(out)).n).toBe(64);
  });

  it.each([
    [['nope', '--out', 'x.npz'], /unknown kind 'nope' \(one of sphere-geodesics, torus-geodesics, two-body, spring, pendulum\)/],
    [['spring'], /--out FILE\.npz is required/],
    [['spring', '--out', 'x.npz', '--bogus', '3'], /unknown option '--bogus' for spring/],
    [['spring', '--out', 'x.npz', '--n', 'ten'], /option --n needs a number, got 'ten'/],
    [['spring', '--out', 'x.npz', '--n'], /option --n needs a value/],
    [['spring', '--out', 'x.npz', '--n', '0'], /spring: parameter 'n' must be an integer in \[1, 1000000\], got 0/],
    [['pendulum', '--out', 'x.npz', '--format', 'csv'], /parameter 'format' must be one of inputs-targets, trajectories/],
    [[], /missing KIND/],
  ])('exits 2 with a clear message for %j', async (args, message) => {
    expect(await run(args)).toBe(2);
    expect(errors.join('\n')).toMatch(message);
  });

  it('is wired into the ngf dispatcher (exit codes through npm run ngf)', async () => {
    const out = join(dir, 'spring.npz');
    const ok = await runCli(['generate', 'spring', '--out', out, '--n', '3']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/wrote .*spring\.npz: spring, trajectories \(n 3, T 30, D 2/);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
    const bad = await runCli(['generate', 'comet', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown kind 'comet'/);
  });
});
