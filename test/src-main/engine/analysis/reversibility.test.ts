import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import type { ModelFlow } from '../../../../src-main/engine/analysis/flow';
import { modelFlow } from '../../../../src-main/engine/analysis/flow';
import { reversibility } from '../../../../src-main/engine/analysis/reversibility';
import { loadReferenceModel } from '../../../../src-main/engine/models/referenceCheckpoint';
import { loadDataset } from '../../../../src-main/data/datasetFile';
import { asTensor, equatorialStates, sphereFlow } from './fixtures';

const SOLVERS = [
  { solver: 'euler', stepsPerInterval: 10 },
  { solver: 'midpoint', stepsPerInterval: 10 },
  { solver: 'rk4', stepsPerInterval: 10 },
  { solver: 'dopri5', rtol: 1e-6, atol: 1e-8 },
] as const;

/** A damped oscillator dq/dt = p, dp/dt = -q - 0.3 p: no time-reversal symmetry. */
function dampedFlow(): ModelFlow {
  return {
    kind: 'damped',
    dataDim: 2,
    flowDim: 2,
    field: (_t, z) => tf.tidy(() => {
      const [q, p] = tf.split(z, 2, 1);
      return tf.concat([p!, tf.sub(tf.neg(q!), tf.mul(0.3, p!))], 1) as tf.Tensor2D;
    }),
    timeDependent: false,
    encode: (y) => tf.clone(y),
    decode: (z) => tf.clone(z),
    conserved: () => null,
    conservedName: null,
    metric: null,
    defaults: { solver: 'rk4', stepsPerInterval: 1, pairSteps: 49 },
  };
}

describe('time reversibility', () => {
  it('analytic sphere, float32 RK4: round trip and reversal errors < 1e-4; errors fall with the order', async () => {
    await initBackend('cpu');
    const figures = reversibility(sphereFlow(), asTensor(equatorialStates(8), 6), { time: 2, integrators: [...SOLVERS] });
    const by = Object.fromEntries(figures.map((f) => [f.solver, f]));
    expect(by.rk4!.reversal.max).toBeLessThan(1e-4);
    expect(by.rk4!.roundTrip.max).toBeLessThan(1e-4);
    expect(by.dopri5!.reversal.max).toBeLessThan(1e-4);
    expect(by.euler!.roundTrip.median).toBeGreaterThan(by.midpoint!.roundTrip.median);
    expect(by.midpoint!.roundTrip.median).toBeGreaterThan(by.rk4!.roundTrip.median);
    expect(by.rk4!.integrator).toBe('rk4 x 10');
    expect(by.rk4!.fevals).toBe(3 * 10 * 4);
  });

  it('a field without reversal symmetry: round trip at solver level, reversal error at model level', async () => {
    await initBackend('cpu');
    const figures = reversibility(dampedFlow(), tf.tensor2d([[1, 0], [0.3, -0.8]]), { time: 1, integrators: [SOLVERS[2], SOLVERS[3]] });
    for (const f of figures) {
      expect(f.roundTrip.max).toBeLessThan(1e-5);
      expect(f.reversal.min).toBeGreaterThan(0.1);
    }
  });

  it('reference two-body NGF (model A): reversal error at solver level (< 1e-4)', async () => {
    await initBackend('cpu');
    const ngf = await loadReferenceModel('../shared/reference/ngf/models/master_thesis/two-body-problem_model-A.eqx');
    const ds = await loadDataset('../shared/reference/ngf/datasets/two-body-problem_fixed-energy-trajectories_test.npz');
    if (ds.format !== 'trajectories') throw new Error('expected trajectories');
    const T = ds.steps;
    const x0 = tf.tensor2d(Array.from({ length: ds.n }, (_, b) => Array.from(ds.trajectories.subarray(b * T * 8, b * T * 8 + 8))));
    const span = ds.times[T - 1]! - ds.times[0]!;
    const [rk4] = reversibility(modelFlow(ngf), x0, { time: span, integrators: [{ solver: 'rk4', stepsPerInterval: T - 1 }] });
    expect(rk4!.reversal.max).toBeLessThan(1e-4);
    ngf.dispose();
  });

  it('rejects a bad flow time or no integrators', async () => {
    await initBackend('cpu');
    const x0 = tf.tensor2d([[1, 0]]);
    expect(() => reversibility(dampedFlow(), x0, { time: 0, integrators: [SOLVERS[2]] })).toThrow(/flow time T must be a positive number/);
    expect(() => reversibility(dampedFlow(), x0, { time: 1, integrators: [] })).toThrow(/no integrators/);
  });
});
