/**
 * The fused geodesic RK4 kernel alone (src-main/engine/fast/kernel.ts) at toy model A's metric
 * network ([2, 32, 32, 3], NN_metric), batch 512, 49 steps, on 1 and 2 threads: the forward pass,
 * the backward pass re-using the activations its forward pass kept (a training step), and the
 * backward pass re-running the network (another forward call came in between). Medians of 7
 * rounds after one warm-up round.
 */
import { GeodesicRk4Kernel, keptActivationBytes, weightCount } from '../../src-main/engine/fast/kernel';
import { seededRandom } from '../../src-main/engine/nn/random';
import type { Benchmark } from './harness';

const SHAPE = { sizes: [2, 32, 32, 3], regularized: false };
const BATCH = 512;
const STEPS = 49;
const ROUNDS = 7;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeKernel(threads: number): Record<string, number> {
  const random = seededRandom(0);
  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (2 * random() - 1) * scale);
  const weights = uniform(weightCount(SHAPE.sizes), 0.3);
  const [z0, other, bar] = [uniform(BATCH * 4, 0.5), uniform(BATCH * 4, 0.5), uniform(BATCH * 4, 1)];
  const h = new Float32Array(BATCH).fill(1 / STEPS);
  const kernel = new GeodesicRk4Kernel(threads);
  const timed = <T>(times: number[], f: () => T): T => {
    const start = performance.now();
    const result = f();
    times.push(performance.now() - start);
    return result;
  };
  const [forward, kept, recomputing]: number[][] = [[], [], []];
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      const run = timed(forward, () => kernel.forward(SHAPE, weights, z0, h, STEPS, false));
      timed(kept, () => kernel.backward(SHAPE, weights, h, STEPS, run, bar, null));
      kernel.forward(SHAPE, weights, other, h, STEPS, false);
      timed(recomputing, () => kernel.backward(SHAPE, weights, h, STEPS, run, bar, null));
    }
  } finally {
    kernel.dispose();
  }
  const [f, k, r] = [forward, kept, recomputing].map((times) => median(times.slice(1)));
  return { forward_ms: f!, backward_kept_ms: k!, backward_recomputing_ms: r!, kept_mb: (keptActivationBytes(SHAPE, BATCH / threads, STEPS) * threads) / 2 ** 20 };
}

const bench: Benchmark = {
  name: 'ngfKernel',
  async run() {
    return { batch: BATCH, steps: STEPS, sizes: SHAPE.sizes, threads_1: timeKernel(1), threads_2: timeKernel(2) };
  },
};
export default bench;
