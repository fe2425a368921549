import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src-main/cli/commands/analyze';
import { captureConsole } from './captureConsole';

const MODEL = '../shared/reference/ngf/models/master_thesis/two-body-problem_model-A.eqx';
const DATA = '../shared/reference/ngf/datasets/two-body-problem_fixed-energy-trajectories_test.npz';

describe('ngf analyze', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ngf-analyze-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { logged, errors } = captureConsole();

  it('analyses a reference checkpoint: JSON summaries on stdout, series for plotting in --out', async () => {
    const out = join(dir, 'nested', 'series.json');
    const code = await run(['--reference-model', MODEL, '--dataset', DATA, '--max-samples', '3', '--horizon', '4', '--sections', 'prediction,energy,reversibility', '--backend', 'cpu', '--out', out, '--json']);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    const printed = JSON.parse(logged[0]!);
    // The system is guessed from the file name; the anchor of model A on this file is 2.23e-5 over the data's span.
    expect(printed).toMatchObject({ kind: 'ngf', system: 'two-body', horizon: 4, samples: 3 });
    expect(printed.scalars['reversibility.reversal.rk4']).toBeLessThan(1e-4);
    expect(printed.scalars.energyMse).toBeGreaterThan(0);
    expect(printed.summaries.prediction.at.length).toBeGreaterThan(2);
    expect(printed.summaries.prediction.samples).toBeUndefined();
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.series.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['extrapolation.mse', 'energy.true', 'energy.conserved']));
    expect(saved.sections.prediction.samples).toHaveLength(3);
  });

  it('bad usage exits 2 with a message naming the option', async () => {
    expect(await run(['--dataset', DATA])).toBe(2);
    expect(errors[0]).toMatch(/exactly one of --checkpoint DIR and --reference-model/);
    expect(await run(['--reference-model', MODEL, '--dataset', DATA, '--solver', 'rk5'])).toBe(2);
    expect(errors[2]).toMatch(/--solver must be one of euler, midpoint, rk4, dopri5, got 'rk5'/);
    expect(await run(['--reference-model', MODEL, '--dataset', DATA, '--system', 'kepler'])).toBe(2);
    expect(errors[4]).toMatch(/--system must be one of two-body/);
    expect(await run(['--reference-model', MODEL, '--dataset', DATA, '--horizon', '-1'])).toBe(2);
    expect(errors[6]).toMatch(/--horizon must be positive/);
    expect(await run(['--reference-model', MODEL, '--dataset', DATA, '--sections', 'prediction,magic'])).toBe(2);
    expect(errors[8]).toMatch(/unknown section 'magic'/);
    expect(await run(['--help'])).toBe(0);
    expect(logged[0]).toMatch(/--reference-model EQX/);
  });

  it('a missing checkpoint or dataset is an error naming the file', async () => {
    await expect(run(['--reference-model', join(dir, 'nope.eqx'), '--dataset', DATA, '--backend', 'cpu'])).rejects.toThrow(/nope.*cannot read|nope_high_level_params\.json/);
    await expect(run(['--checkpoint', join(dir, 'missing'), '--dataset', join(dir, 'missing.npz'), '--backend', 'cpu'])).rejects.toThrow(/missing\.npz/);
  });
});
