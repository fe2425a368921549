import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { initBackend } from '../../../../src-main/engine/backend';
import { datasetFromArrays } from '../../../../src-main/data/dataset';
import { GENERATORS } from '../../../../src-main/data/generators/index';
import { analyzeModel } from '../../../../src-main/engine/analysis/analyzeModel';
import { NeuralOde } from '../../../../src-main/engine/models/neuralOde';
import { metricHeatmap, predictionSamples, reversibilityFigures, seriesNamed } from '../../../../src-shared/analysisReport';
import type { AnalysisReport } from '../../../../src-shared/api';
import { sphereFlow, sphereTrajectories } from './fixtures';

const asReport = (figures: ReturnType<typeof analyzeModel>): AnalysisReport =>
  JSON.parse(JSON.stringify({ runId: 'r', datasetId: null, createdAt: 0, options: { sections: [], maxSamples: 0, horizon: 2 }, ...figures }));

describe('analyzeModel', () => {
  it('the exact sphere model: every section, in the shapes the report readers accept', async () => {
    await initBackend('cpu');
    const figures = analyzeModel(sphereFlow(), sphereTrajectories(4), { horizon: 2, system: 'sphere', trainHorizon: 1, gridResolution: 5, reversibility: { solvers: ['rk4', 'dopri5'] } });
    const report = asReport(figures);
    expect(report.scalars.predictionMse).toBeLessThan(1e-6);
    expect(report.scalars['energy.conserved.maxDrift']).toBeLessThan(1e-5);
    expect(report.scalars['reversibility.reversal.rk4']).toBeLessThan(1e-4);
    expect(report.scalars['reconstructionMse']).toBeLessThan(1e-10);
    expect(report.scalars['geometry.curvature.median']).toBeCloseTo(1, 3);
    expect(seriesNamed(report, 'energy.true')!.x.at(-1)).toBeCloseTo(2, 5);
    expect(seriesNamed(report, 'extrapolation.mse')!.y).toHaveLength(9);
    expect(reversibilityFigures(report).map((f) => `${f.kind}.${f.solver}`).sort()).toEqual(['reversal.dopri5', 'reversal.rk4', 'roundTrip.dopri5', 'roundTrip.rk4']);
    expect(predictionSamples(report).map((s) => s.label)).toEqual(['best', 'median', 'worst']);
    expect(metricHeatmap(report)).toMatchObject({ quantity: 'det g', x: expect.any(Array) });
    expect(report.sections.geodesics).toMatchObject({ curves: expect.any(Array) });
    expect(report.sections.resolution).toMatchObject({ pointClouds: expect.stringMatching(/not applicable/) });
  });

  it('a neural ODE: no conserved quantity, no latent sections; only the sections asked for', async () => {
    await initBackend('cpu');
    const ds = datasetFromArrays(GENERATORS['spring']!.generate({ n: 3, format: 'trajectories', points: 4, tEnd: 1, seed: 2 }) as never, 'spring.npz');
    const node = new NeuralOde({ hiddenSizes: [8] }, { stateDim: 2, seed: 1 });
    const figures = analyzeModel(node, ds, { sections: ['energy', 'metric', 'resolution'], system: 'spring' });
    expect(Object.keys(figures.sections).sort()).toEqual(['energy', 'metric', 'resolution']);
    expect(figures.sections.energy).toMatchObject({ conserved: null, notes: [expect.stringMatching(/conserves no quantity/)] });
    expect(figures.sections.metric).toEqual({ skipped: expect.stringMatching(/2-dimensional latent chart/) });
    expect(v.is(v.record(v.string(), v.number()), figures.scalars)).toBe(true);
    expect(figures.scalars['energy.conserved.maxDrift']).toBeUndefined();
    expect(figures.scalars['energy.true.maxDrift']).toBeGreaterThan(0);
    expect((figures.sections.resolution as { figures: { method: string }[] }).figures.map((f) => f.method)).toEqual(['model.predict', 'dopri5 (dense output)']);
    expect(() => analyzeModel(node, ds, { sections: ['nonsense' as never] })).toThrow(/unknown section 'nonsense'/);
    expect(() => analyzeModel(node, sphereTrajectories(1))).toThrow(/circles\.npz: the dataset has D = 6 but the model expects D = 2/);
    node.dispose();
  });
});
