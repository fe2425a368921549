/**
 * Entry of a data-parallel shard worker (see ./dataParallel.ts): one model replica and its Adam.
 *
 * 'init' builds the replica and answers with its parameter layout and a SharedArrayBuffer in which
 * each 'gradient' request leaves the shard's gradient (flat, layout order); 'apply' takes the
 * batch-mean gradient from the coordinator's shared buffer and updates with Adam. Any failure is
 * answered as an error message naming what failed; the worker itself stays alive.
 */
import { parentPort } from 'node:worker_threads';
import { registerTfjsNodeResolution } from '../tfjsNodeResolution';
import type { HostBatch, ShardReply, ShardRequest } from './dataParallel';

if (!parentPort) throw new Error('shard worker: must run in a worker thread');
const port = parentPort;
registerTfjsNodeResolution();
const tf = await import('@tensorflow/tfjs-core');
const { initBackend } = await import('../backend');
const { createModel } = await import('../models/registry');
const { gradientsByPath } = await import('../nn/parameters');
const { Adam } = await import('../optim/adam');
const { HOST_BATCH_KEYS } = await import('./dataParallel');
type Tensor = import('@tensorflow/tfjs-core').Tensor;
type Scalar = import('@tensorflow/tfjs-core').Scalar;
type Model = import('../models/types').Model;
type Batch = import('../models/types').Batch;

interface Replica {
  model: Model;
  optimizer: InstanceType<typeof Adam>;
  offsets: number[];
  grads: Float32Array;
}

let replica: Replica | null = null;

function ready(): Replica {
  if (!replica) throw new Error('shard worker: no model yet (init first)');
  return replica;
}

function tensorBatch(batch: HostBatch): Batch {
  const tensors: Record<string, unknown> = { format: batch.format };
  for (const key of HOST_BATCH_KEYS[batch.format]) {
    const a = batch.arrays[key]!;
    tensors[key] = tf.tensor(a.data, a.shape, 'float32');
  }
  return tensors as unknown as Batch;
}

async function handle(request: ShardRequest): Promise<{ reply: ShardReply; transfer?: ArrayBuffer[] }> {
  switch (request.type) {
    case 'init': {
      const { spec } = request;
      await initBackend(spec.backend ?? 'auto');
      const model = createModel(spec.model, spec.config, { stateDim: spec.stateDim, seed: spec.seed });
      const optimizer = new Adam(model.parameters, spec.adam);
      const shapes = model.parameters.map((p) => [...p.variable.shape]);
      const offsets: number[] = [];
      let size = 0;
      for (const p of model.parameters) {
        offsets.push(size);
        size += p.variable.size;
      }
      const buffer = new SharedArrayBuffer(size * 4);
      replica = { model, optimizer, offsets, grads: new Float32Array(buffer) };
      return { reply: { type: 'ready', paths: model.parameters.map((p) => p.path), shapes, grads: buffer } };
    }
    case 'gradient': {
      const { model, offsets, grads } = ready();
      const batch = tensorBatch(request.batch);
      let terms: Record<string, Scalar> = {};
      try {
        const { value, grads: named } = tf.variableGrads(() => {
          const result = model.loss(batch);
          terms = Object.fromEntries(Object.entries(result.terms).map(([k, t]) => [k, tf.keep(t.clone())]));
          return result.total;
        }, model.parameters.map((p) => p.variable));
        try {
          const byPath = gradientsByPath(model.parameters, named);
          model.parameters.forEach((p, i) => grads.set(byPath.get(p.path)!.dataSync() as Float32Array, offsets[i]));
          const figures = { loss: value.dataSync()[0]!, terms: Object.fromEntries(Object.entries(terms).map(([k, t]) => [k, t.dataSync()[0]!])) };
          return { reply: { type: 'gradient', figures } };
        } finally {
          tf.dispose([value, ...Object.values(named)]);
        }
      } finally {
        tf.dispose([...Object.values(batch).filter((t): t is Tensor => t instanceof tf.Tensor), ...Object.values(terms)]);
      }
    }
    case 'apply': {
      const { model, optimizer, offsets } = ready();
      const mean = new Float32Array(request.mean);
      const grads = new Map<string, Tensor>();
      model.parameters.forEach((p, i) => grads.set(p.path, tf.tensor(mean.slice(offsets[i], offsets[i]! + p.variable.size), p.variable.shape, 'float32')));
      try {
        optimizer.apply(grads);
      } finally {
        tf.dispose([...grads.values()]);
      }
      return { reply: { type: 'applied' } };
    }
    case 'parameters': {
      const { model, offsets } = ready();
      const values = new Float32Array(offsets.length ? offsets.at(-1)! + model.parameters.at(-1)!.variable.size : 0);
      model.parameters.forEach((p, i) => values.set(p.variable.dataSync() as Float32Array, offsets[i]));
      return { reply: { type: 'parameters', values }, transfer: [values.buffer] };
    }
  }
}

port.on('message', (request: ShardRequest) => {
  handle(request).then(
    ({ reply, transfer }) => port.postMessage(reply, transfer),
    (err: unknown) => port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies ShardReply),
  );
});
