import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-main/engine/backend';
import { evaluationSet, rolloutGrid, truthOnGrid } from '../../../../src-main/engine/analysis/evaluationSet';
import { extrapolation } from '../../../../src-main/engine/analysis/extrapolation';
import { rolloutFlow } from '../../../../src-main/engine/analysis/rollout';
import { knownSystem } from '../../../../src-main/engine/analysis/systems';
import { sphereFlow, sphereTrajectories } from './fixtures';

describe('extrapolation', () => {
  it('the exact sphere model stays on the truth past the data; a coarse solver error grows with time', async () => {
    await initBackend('cpu');
    const set = evaluationSet(sphereTrajectories(4));
    const grid = rolloutGrid(set, 3);
    const truth = truthOnGrid(set, grid, knownSystem('sphere'));
    const fine = extrapolation(rolloutFlow(sphereFlow(), set.initial, grid, { solver: 'rk4', stepsPerInterval: 2 }), { truth, trainHorizon: 1, rows: set.rows });
    expect(fine.summary.mse).toBeLessThan(1e-8);
    expect(fine.summary.duration).toBeCloseTo(3, 6);
    expect(fine.summary.at.map((a) => a.t)).toEqual([0.75, 1, 1.5, 2.25, 3].map((t) => expect.closeTo(t, 6)));
    expect(fine.series[0]!.name).toBe('extrapolation.mse');
    expect(fine.series[0]!.x).toHaveLength(13);
    const coarse = extrapolation(rolloutFlow(sphereFlow(), set.initial, grid, { solver: 'euler', stepsPerInterval: 1 }), { truth, trainHorizon: 1 });
    expect(coarse.summary.mseBeyondHorizon!).toBeGreaterThan(coarse.summary.mseWithinHorizon!);
    expect(coarse.summary.at[4]!.mse).toBeGreaterThan(coarse.summary.at[0]!.mse);
    // Best, median and worst samples, in the report's PredictionSample shape.
    expect(coarse.samples.map((s) => s.label)).toEqual(['best', 'median', 'worst']);
    expect(coarse.samples[0]!.mse).toBeLessThanOrEqual(coarse.samples[2]!.mse);
    expect(coarse.samples[0]!.truth).toHaveLength(13);
    expect(coarse.samples[0]!.predicted[0]).toHaveLength(6);
  });

  it('without the system, the error stops where the data does; no truth at all is an error', async () => {
    await initBackend('cpu');
    const set = evaluationSet(sphereTrajectories(2));
    const grid = rolloutGrid(set, 2);
    const rollout = rolloutFlow(sphereFlow(), set.initial, grid, { solver: 'rk4', stepsPerInterval: 1 });
    const x = extrapolation(rollout, { truth: truthOnGrid(set, grid, null) });
    expect(x.summary.duration).toBeCloseTo(1, 6);
    expect(x.summary.trainHorizon).toBeNull();
    expect(x.summary.mseBeyondHorizon).toBeNull();
    expect(() => extrapolation(rollout, { truth: { states: new Float64Array(0), known: grid.times.map(() => false) } })).toThrow(/no true states/);
  });
});
