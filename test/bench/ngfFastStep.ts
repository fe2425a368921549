/**
 * One configuration of the NGF training-throughput bench (./ngfFast.bench.ts), run in its own
 * process so that its peak RSS is its own:
 *
 *   tsx test/bench/ngfFastStep.ts BACKEND PATH [REPEATS [SHARDS]]   # BACKEND cpu|wasm, PATH fast|op-by-op
 *
 * Trains toy model A's architecture (Jacobian-split psi/phi [32, 32], NN_metric [32, 32], m = 2,
 * 49 RK4 steps) with Adam on half-sphere inputs/targets at batch 512 and prints one JSON line:
 * median step time over REPEATS timed steps after one warm-up step, samples/s and peak RSS.
 * SHARDS > 1 trains data-parallel over that many worker threads (../../src-main/engine/training/
 * dataParallel.ts); this thread then holds no model, and the peak RSS counts every worker.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerTfjsNodeResolution } from '../../src-main/engine/tfjsNodeResolution';
import { medianMs } from './harness';

// TF.js's unbundled gradient registrations need the resolve hook before they are linked.
registerTfjsNodeResolution();
const tf = await import('@tensorflow/tfjs-core');
const { loadDataset } = await import('../../src-main/data/datasetFile');
const { initBackend } = await import('../../src-main/engine/backend');
const { NeuralGeodesicFlow } = await import('../../src-main/engine/models/ngf');
const { Adam } = await import('../../src-main/engine/optim/adam');
const { samplesFor } = await import('../../src-main/engine/training/samples');
const { trainStep } = await import('../../src-main/engine/training/trainer');
const { DataParallelTrainer } = await import('../../src-main/engine/training/dataParallel');

const TOY_MODEL_A = {
  dimM: 2,
  encoder: 'jacobian-split',
  decoder: 'jacobian-split',
  encoderHidden: [32, 32],
  decoderHidden: [32, 32],
  metric: 'cholesky',
  metricHidden: [32, 32],
  geodesicSteps: 49,
};
const BATCH = 512;

const [backend, pathName, repeats = '3', shardArg = '1'] = process.argv.slice(2);
const shards = Number(shardArg);
if (pathName !== 'fast' && pathName !== 'op-by-op') throw new Error(`ngfFastStep: PATH must be fast or op-by-op, got ${pathName}`);
if (backend !== 'cpu' && backend !== 'wasm') throw new Error(`ngfFastStep: BACKEND must be cpu or wasm, got ${backend}`);
if (!Number.isInteger(shards) || shards < 1) throw new Error(`ngfFastStep: SHARDS must be a whole number >= 1, got ${shardArg}`);
if (pathName === 'op-by-op') process.env.NGF_FAST = '0';

const here = path.dirname(fileURLToPath(import.meta.url));
const data = await loadDataset(path.resolve(here, '../../../shared/reference/ngf/datasets/half-sphere_inputs-targets_train.npz'));
if (shards > 1) {
  if (data.format !== 'inputs-targets') throw new Error('ngfFastStep: the half-sphere file should hold inputs/targets');
  const rows = { shape: [BATCH, data.dim], n: BATCH * data.dim };
  const hostBatch = {
    format: 'inputs-targets' as const,
    arrays: {
      inputs: { shape: rows.shape, data: data.inputs.subarray(0, rows.n) },
      targets: { shape: rows.shape, data: data.targets.subarray(0, rows.n) },
      times: { shape: [BATCH], data: data.times.subarray(0, BATCH) },
    },
  };
  const trainer = await DataParallelTrainer.start({ model: 'ngf', config: TOY_MODEL_A, stateDim: 6, seed: 0, adam: { lr: 1e-3 }, backend, shards });
  let loss = NaN;
  const ms = await medianMs(async () => (loss = (await trainer.step(hostBatch)).loss), Number(repeats), 1);
  await trainer.close();
  console.log(
    JSON.stringify({ backend, path: pathName, shards, step_ms: ms, samples_per_s: (BATCH / ms) * 1000, peak_rss_mb: process.resourceUsage().maxRSS / 1024, loss }),
  );
  process.exit(0);
}
await initBackend(backend);
const batch = samplesFor('inputs-targets', data).batch(Int32Array.from({ length: BATCH }, (_, i) => i));
const model = new NeuralGeodesicFlow(TOY_MODEL_A, { stateDim: 6, seed: 0 });
const optimizer = new Adam(model.parameters, { lr: 1e-3 });
let loss = NaN;
const ms = await medianMs(() => (loss = trainStep(model, optimizer, batch).loss), Number(repeats), 1);
console.log(
  JSON.stringify({
    backend: tf.getBackend(),
    path: pathName,
    kernel_threads: pathName === 'fast' ? Number(process.env.NGF_FAST_THREADS ?? 1) : null,
    step_ms: ms,
    samples_per_s: (BATCH / ms) * 1000,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    loss,
  }),
);
