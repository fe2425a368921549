import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-main/engine/backend';
import { energyConservation } from '../../../../src-main/engine/analysis/energy';
import { modelFlow } from '../../../../src-main/engine/analysis/flow';
import { rolloutFlow } from '../../../../src-main/engine/analysis/rollout';
import { knownSystem } from '../../../../src-main/engine/analysis/systems';
import { NeuralOde } from '../../../../src-main/engine/models/neuralOde';
import { equatorialStates, sphereFlow } from './fixtures';

const gridTo = (end: number, points: number) => {
  const times = Array.from({ length: points }, (_, k) => (end * k) / (points - 1));
  return { times, dataIndex: times.map((_, k) => (k === 0 ? 0 : -1)) };
};

describe('energy conservation', () => {
  it('analytic sphere, float32 RK4: geodesic energy drift < 1e-5 over 10 time units, true energy alike', async () => {
    await initBackend('cpu');
    const initial = equatorialStates(8);
    const grid = gridTo(10, 21);
    const rollout = rolloutFlow(sphereFlow(), initial, grid, { solver: 'rk4', stepsPerInterval: 4 });
    const { summary, series } = energyConservation(rollout, { system: knownSystem('sphere'), truth: null });
    expect(summary.conserved!.quantity).toBe('g(v, v)');
    expect(summary.conserved!.max).toBeLessThan(1e-5);
    expect(summary.conserved!.max).toBeGreaterThan(0);
    expect(summary.conserved!.diverged).toBe(0);
    expect(summary.trueEnergy!.max).toBeLessThan(1e-5);
    // No true states on the grid: the energy MSE is taken against E_true(x0), and is tiny.
    expect(summary.trueEnergy!.mseReference).toBe('initial state');
    expect(summary.trueEnergy!.mse).toBeLessThan(1e-10);
    expect(series.map((s) => s.name)).toEqual(expect.arrayContaining(['energy.conserved', 'energy.conserved.median', 'energy.true', 'energy.true.q1', 'energy.true.q3']));
    const mean = series.find((s) => s.name === 'energy.conserved')!;
    expect(mean.x).toEqual(grid.times);
    expect(mean.y[0]).toBe(0);
  });

  it('euler visibly breaks the conservation that rk4 keeps: the drift is solver error', async () => {
    await initBackend('cpu');
    const initial = equatorialStates(4);
    const grid = gridTo(5, 11);
    const drift = (solver: 'euler' | 'rk4') =>
      energyConservation(rolloutFlow(sphereFlow(), initial, grid, { solver, stepsPerInterval: 2 }), { system: null, truth: null }).summary.conserved!.max;
    expect(drift('euler')).toBeGreaterThan(100 * drift('rk4'));
  });

  it('a neural ODE has no conserved quantity; the true-energy MSE uses the true states where the grid has them', async () => {
    await initBackend('cpu');
    const node = new NeuralOde({ hiddenSizes: [8] }, { stateDim: 2, seed: 3 });
    const initial = Float32Array.from([1, 0, 0, 0.5]);
    const grid = { times: [0, 0.5, 1], dataIndex: [0, 1, -1] };
    // Truth at t = 0.5 deliberately off, so the MSE must see it.
    const truth = { states: Float64Array.from([1, 0, 2, 0, NaN, NaN, 0, 0.5, 0, 2, NaN, NaN]), known: [true, true, false] };
    const rollout = rolloutFlow(modelFlow(node), initial, grid, { solver: 'rk4', stepsPerInterval: 2 });
    const { summary, series } = energyConservation(rollout, { system: knownSystem('spring'), truth });
    expect(summary.conserved).toBeNull();
    expect(series.some((s) => s.name.startsWith('energy.conserved'))).toBe(false);
    const spring = knownSystem('spring')!.energy;
    let expected = 0;
    for (let b = 0; b < 2; b++) {
      const e0 = spring(initial.subarray(2 * b, 2 * b + 2));
      const refs = [e0, spring(truth.states.subarray((3 * b + 1) * 2, (3 * b + 2) * 2)), e0];
      for (let k = 0; k < 3; k++) expected += (refs[k]! - spring(rollout.decoded.subarray((3 * b + k) * 2, (3 * b + k + 1) * 2))) ** 2;
    }
    expect(summary.trueEnergy!.mseReference).toBe('both');
    expect(summary.trueEnergy!.mse).toBeCloseTo(expected / 6, 6);
    node.dispose();
  });
});
