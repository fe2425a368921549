import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { modelFlow, timeReversal } from '../../../../src-main/engine/analysis/flow';
import { HamiltonianNN } from '../../../../src-main/engine/models/hnn';
import { NeuralOde } from '../../../../src-main/engine/models/neuralOde';
import type { Model } from '../../../../src-main/engine/models/types';
import { asTensor, equatorialStates, sphereFlow } from './fixtures';

describe('model flows', () => {
  it('time reversal negates the second half of the state', async () => {
    await initBackend('cpu');
    expect(timeReversal(tf.tensor2d([[1, 2, 3, 4]])).arraySync()).toEqual([[1, 2, -3, -4]]);
    expect(() => timeReversal(tf.tensor2d([[1, 2, 3]]))).toThrow(/even length/);
  });

  it('HNN and neural ODE flows live in data space; only the HNN conserves something (its H)', async () => {
    await initBackend('cpu');
    const hnn = new HamiltonianNN({ hiddenSizes: [8], solver: 'midpoint', stepsPerInterval: 3 }, { stateDim: 2, seed: 0 });
    const node = new NeuralOde({ hiddenSizes: [8], timeDependent: true }, { stateDim: 2, seed: 0 });
    const y = tf.tensor2d([[0.3, -0.1], [1, 2]]);
    const h = modelFlow(hnn);
    expect(h).toMatchObject({ kind: 'hnn', dataDim: 2, flowDim: 2, conservedName: 'H', timeDependent: false, defaults: { solver: 'midpoint', stepsPerInterval: 3, pairSteps: 49 } });
    expect(h.encode(y).arraySync()).toEqual(y.arraySync());
    expect(h.conserved(y)!.arraySync()).toEqual(hnn.hamiltonian(y).arraySync());
    const n = modelFlow(node);
    expect(n).toMatchObject({ kind: 'node', conservedName: null, timeDependent: true, metric: null });
    expect(n.conserved(y)).toBeNull();
    expect(() => modelFlow({ kind: 'other' } as unknown as Model)).toThrow(/no flow is known for a model of kind 'other'/);
    hnn.dispose();
    node.dispose();
  });

  it('a tangent-bundle flow encodes to (x, v) and conserves g(v, v) = |v|^2 on the sphere', async () => {
    await initBackend('cpu');
    const flow = sphereFlow();
    const y = asTensor(equatorialStates(4), 6);
    const z = flow.encode(y);
    expect(z.shape).toEqual([4, 4]);
    const speed2 = tf.sum(tf.square(tf.slice(y, [0, 3], [-1, 3])), 1).arraySync() as number[];
    (flow.conserved(z)!.arraySync() as number[]).forEach((e, i) => expect(e).toBeCloseTo(speed2[i]!, 5));
    expect(tf.max(tf.abs(tf.sub(flow.decode(z), y))).dataSync()[0]).toBeLessThan(1e-5);
  });
});
