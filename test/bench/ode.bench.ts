/**
 * Fixed-step RK4 cost: 50 steps of a batch of 512 through a tanh MLP field 4-64-64-4, forward
 * (trajectory out) and forward + backward (gradients of a trajectory loss with respect to all six MLP
 * parameters), on every backend that loads here (tfjs-node-gpu, tfjs-node, wasm, cpu). Times are medians in ms.
 *
 * TF.js is imported dynamically after the Node resolve hook is registered: its gradient registrations
 * are unbundled ESM that plain Node cannot link on its own (see src-main/engine/tfjsNodeResolution.ts).
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { VectorField } from '../../src-main/engine/ode';
import { registerTfjsNodeResolution } from '../../src-main/engine/tfjsNodeResolution';
import { medianMs, type Benchmark } from './harness';

const BATCH = 512;
const STEPS = 50;
const SIZES = [4, 64, 64, 4];
const BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;

const bench: Benchmark = {
  name: 'ode',
  async run() {
    registerTfjsNodeResolution();
    const tf = await import('@tensorflow/tfjs-core');
    const { initBackend } = await import('../../src-main/engine/backend');
    const { integrateFixed } = await import('../../src-main/engine/ode');

    const figures: Record<string, unknown> = { batch: BATCH, steps: STEPS, solver: 'rk4', field: `tanh MLP ${SIZES.join('-')}` };
    for (const choice of BACKENDS) {
      let info;
      try {
        info = await initBackend(choice);
      } catch (err) {
        figures[choice] = { available: false, reason: err instanceof Error ? err.message : String(err) };
        continue;
      }
      const params: TF.Variable[] = [];
      let seed = 1;
      const uniform = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
      for (let l = 0; l + 1 < SIZES.length; l++) {
        const [fanIn, fanOut] = [SIZES[l]!, SIZES[l + 1]!];
        const bound = Math.sqrt(6 / (fanIn + fanOut));
        params.push(tf.variable(tf.tensor2d(Float32Array.from({ length: fanIn * fanOut }, () => bound * uniform()), [fanIn, fanOut])));
        params.push(tf.variable(tf.zeros([fanOut])));
      }
      const field: VectorField = (_t, z) =>
        tf.tidy(() => {
          let h: TF.Tensor2D = z;
          for (let l = 0; l < params.length; l += 2) {
            h = tf.add(tf.matMul(h, params[l] as TF.Tensor2D), params[l + 1]!);
            if (l + 2 < params.length) h = tf.tanh(h);
          }
          return h;
        });
      const z0 = tf.randomNormal([BATCH, SIZES[0]!], 0, 1, 'float32', 7) as TF.Tensor2D;
      const forward = () => {
        const z = integrateFixed(field, z0, { t1: 1, steps: STEPS });
        z.dataSync();
        z.dispose();
      };
      const forwardBackward = () => {
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(integrateFixed(field, z0, { t1: 1, steps: STEPS }))) as TF.Scalar, params);
        if (Object.keys(grads).length !== params.length) throw new Error(`ode bench: variableGrads returned ${Object.keys(grads).length} of ${params.length} parameter gradients`);
        tf.dispose(Object.values(grads));
        value.dispose();
      };
      const repeats = choice === 'cpu' ? 3 : 5;
      figures[choice] = {
        available: true,
        tfBackend: info.tfBackend,
        gpu: info.gpu,
        forwardMs: await medianMs(forward, repeats),
        forwardBackwardMs: await medianMs(forwardBackward, repeats),
      };
      tf.dispose([z0, ...params]);
    }
    return figures;
  },
};

export default bench;
