/**
 * Synchronous data-parallel training over K worker threads (one per core), deterministic.
 *
 * Every shard worker (./shardWorker.ts) holds a replica of the model built from the same kind,
 * config and seed, and the same Adam. One step on a batch of n samples:
 *   1. the batch is split into K contiguous shards of n_k samples (sizes differ by one at most);
 *   2. worker k computes its shard's loss L_k and gradients g_k (every parameter present) and
 *      writes g_k into its own SharedArrayBuffer;
 *   3. the coordinator forms the batch-mean gradient g = sum_k (n_k / n) g_k (float64 sums, rounded
 *      once to float32) in a buffer shared with every worker;
 *   4. every worker applies the same Adam update with the same g.
 * Every NGF/HNN/NODE loss term is a plain mean over the batch, so g is the full-batch gradient and
 * the reported loss sum_k (n_k / n) L_k the full-batch loss, up to float32 rounding. The replicas
 * stay bitwise identical without ever shipping weights: same start, same updates, same kernels.
 *
 * The coordinator holds no TF.js state: batches reach it as host arrays (`HostBatch`) and it only
 * slices them and averages gradients. A failing worker (its error, or its thread dying) fails the
 * step with the worker's message and closes the whole trainer, since the replicas can no longer be
 * trusted to agree.
 */
import type { Worker } from 'node:worker_threads';
import type { BackendChoice } from '../backend';
import type { BatchFormat } from '../models/types';
import type { AdamOptions } from '../optim/adam';
import type { LossFigures } from './trainer';
import { startWorker, workerEntry, type WorkerEntry } from './workerPool';

/** A row-major float32 array with its shape; axis 0 is the sample axis. */
export interface HostArray {
  shape: number[];
  data: Float32Array;
}

/** A mini-batch on the host: the arrays of one of the model batch formats (see ../models/types.ts). */
export interface HostBatch {
  format: BatchFormat;
  arrays: Record<string, HostArray>;
}

/** The arrays each batch format carries (the keys of its tensors). */
export const HOST_BATCH_KEYS: Record<BatchFormat, readonly string[]> = {
  'inputs-targets': ['inputs', 'targets', 'times'],
  trajectories: ['trajectories', 'times'],
  derivatives: ['states', 'derivatives'],
};

export interface DataParallelSpec {
  /** Model kind ('ngf' | 'hnn' | 'node') and its JSON config, as for createModel. */
  model: string;
  config?: unknown;
  stateDim: number;
  seed: number;
  adam: AdamOptions;
  backend?: BackendChoice | 'auto';
  /** Number of shard workers (default 2). */
  shards?: number;
}

/** The parameter layout every replica shares: paths, shapes and offsets into a flat float32 vector. */
export interface ParameterLayout {
  paths: string[];
  shapes: number[][];
  offsets: number[];
  /** Total number of scalars. */
  size: number;
}

export type ShardRequest =
  | { type: 'init'; spec: DataParallelSpec }
  | { type: 'gradient'; batch: HostBatch }
  /** mean: the batch-mean gradient, flat in layout order, shared with every worker. */
  | { type: 'apply'; mean: SharedArrayBuffer }
  | { type: 'parameters' };

export type ShardReply =
  /** grads: where the worker writes its shard's gradient, flat in layout order. */
  | { type: 'ready'; paths: string[]; shapes: number[][]; grads: SharedArrayBuffer }
  | { type: 'gradient'; figures: LossFigures }
  | { type: 'applied' }
  | { type: 'parameters'; values: Float32Array }
  | { type: 'error'; message: string };

/** The mean gradient of one batch, per parameter path, and the batch's loss figures. */
export interface MeanGradient {
  figures: LossFigures;
  grads: Map<string, Float32Array>;
}

/** Checks that every array of the batch is present, fills its shape and has the same sample count. */
export function checkHostBatch(batch: HostBatch): number {
  const keys = HOST_BATCH_KEYS[batch.format];
  if (!keys) throw new Error(`data-parallel batch: unknown format '${String(batch.format)}'`);
  let n = -1;
  for (const key of keys) {
    const a = batch.arrays[key];
    if (!a) throw new Error(`data-parallel batch (${batch.format}): missing array '${key}'`);
    const size = a.shape.reduce((p, d) => p * d, 1);
    if (a.shape.length === 0 || !a.shape.every((d) => Number.isInteger(d) && d >= 0) || a.data.length !== size) {
      throw new Error(`data-parallel batch: '${key}' has ${a.data.length} values for shape [${a.shape.join(', ')}]`);
    }
    if (n >= 0 && a.shape[0] !== n) throw new Error(`data-parallel batch: '${key}' has ${a.shape[0]} samples, '${keys[0]}' has ${n}`);
    n = a.shape[0]!;
  }
  if (n < 1) throw new Error('data-parallel batch: no samples');
  return n;
}

/** Samples [start, end) of every array of the batch (views, no copies). */
export function sliceHostBatch(batch: HostBatch, start: number, end: number): HostBatch {
  const arrays: Record<string, HostArray> = {};
  for (const key of HOST_BATCH_KEYS[batch.format]) {
    const a = batch.arrays[key]!;
    const width = a.shape.slice(1).reduce((p, d) => p * d, 1);
    arrays[key] = { shape: [end - start, ...a.shape.slice(1)], data: a.data.subarray(start * width, end * width) };
  }
  return { format: batch.format, arrays };
}

/** Contiguous shard bounds of n samples over k shards: the first n mod k shards get one more. */
export function shardBounds(n: number, k: number): [number, number][] {
  const base = Math.floor(n / k);
  const extra = n % k;
  const bounds: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    bounds.push([start, end]);
    start = end;
  }
  return bounds;
}

interface Shard {
  worker: Worker;
  grads: Float32Array;
  pending: { resolve: (reply: ShardReply) => void; reject: (error: Error) => void } | null;
}

const DEFAULT_ENTRY = (): WorkerEntry => workerEntry(import.meta.url, './shardWorker.ts', './shardWorker.js');

export class DataParallelTrainer {
  private closed = false;

  private readonly mean: Float32Array;

  private constructor(
    private readonly shards: Shard[],
    private readonly meanBuffer: SharedArrayBuffer,
    readonly layout: ParameterLayout,
  ) {
    this.mean = new Float32Array(meanBuffer);
  }

  /** Starts `spec.shards` workers, builds a replica in each, and checks that their layouts agree. */
  static async start(spec: DataParallelSpec, entry: WorkerEntry = DEFAULT_ENTRY()): Promise<DataParallelTrainer> {
    const k = spec.shards ?? 2;
    if (!Number.isInteger(k) || k < 1) throw new Error(`data-parallel: shards must be a whole number >= 1, got ${k}`);
    const shards = Array.from({ length: k }, () => DataParallelTrainer.spawn(entry));
    try {
      const replies = await Promise.all(shards.map((shard, i) => DataParallelTrainer.request(shard, { type: 'init', spec }, i)));
      const ready = replies.map((r) => r as Extract<ShardReply, { type: 'ready' }>);
      const layout = layoutOf(ready[0]!.paths, ready[0]!.shapes);
      for (const [i, reply] of ready.entries()) {
        if (reply.paths.join() !== layout.paths.join() || reply.grads.byteLength !== layout.size * 4) {
          throw new Error(`data-parallel: shard ${i} built a different model`);
        }
        shards[i]!.grads = new Float32Array(reply.grads);
      }
      return new DataParallelTrainer(shards, new SharedArrayBuffer(layout.size * 4), layout);
    } catch (err) {
      await Promise.all(shards.map((s) => s.worker.terminate()));
      throw err;
    }
  }

  get shardCount(): number {
    return this.shards.length;
  }

  /** The batch-mean loss and gradient, without updating (see the module comment, steps 1-3). */
  async meanGradient(batch: HostBatch): Promise<MeanGradient> {
    const figures = await this.gradientStep(batch);
    const grads = new Map<string, Float32Array>();
    this.layout.paths.forEach((p, i) => {
      const at = this.layout.offsets[i]!;
      grads.set(p, this.mean.slice(at, at + sizeOf(this.layout.shapes[i]!)));
    });
    return { figures, grads };
  }

  /** One synchronous optimizer step on the batch; returns the batch's loss figures. */
  async step(batch: HostBatch): Promise<LossFigures> {
    const figures = await this.gradientStep(batch);
    await this.all(() => ({ type: 'apply', mean: this.meanBuffer }));
    return figures;
  }

  /** Every replica's parameters, flat in layout order (for checks that they agree). */
  async replicaParameters(): Promise<Float32Array[]> {
    const replies = await this.all(() => ({ type: 'parameters' }));
    return replies.map((r) => (r as Extract<ShardReply, { type: 'parameters' }>).values);
  }

  /** Terminates the workers; later calls fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.shards.map((s) => s.worker.terminate()));
  }

  private async gradientStep(batch: HostBatch): Promise<LossFigures> {
    const n = checkHostBatch(batch);
    const bounds = shardBounds(n, this.shards.length);
    const replies = await this.all((i) => {
      const [start, end] = bounds[i]!;
      return end > start ? { type: 'gradient', batch: sliceHostBatch(batch, start, end) } : null;
    });
    const figures: LossFigures = { loss: 0, terms: {} };
    const sum = new Float64Array(this.layout.size);
    replies.forEach((reply, i) => {
      if (!reply || reply.type !== 'gradient') return;
      const weight = (bounds[i]![1] - bounds[i]![0]) / n;
      const g = this.shards[i]!.grads;
      for (let j = 0; j < sum.length; j++) sum[j] += weight * g[j]!;
      figures.loss += weight * reply.figures.loss;
      for (const [term, value] of Object.entries(reply.figures.terms)) figures.terms[term] = (figures.terms[term] ?? 0) + weight * value;
    });
    this.mean.set(sum);
    return figures;
  }

  /** Sends each shard its request (null: none) and waits for all; any failure closes the trainer. */
  private async all(request: (shard: number) => ShardRequest | null): Promise<(ShardReply | null)[]> {
    if (this.closed) throw new Error('data-parallel trainer: closed');
    try {
      return await Promise.all(
        this.shards.map((shard, i) => {
          const r = request(i);
          return r ? DataParallelTrainer.request(shard, r, i) : null;
        }),
      );
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  private static spawn(entry: WorkerEntry): Shard {
    const shard: Shard = { worker: startWorker(entry), grads: new Float32Array(0), pending: null };
    const fail = (error: Error) => {
      const pending = shard.pending;
      shard.pending = null;
      pending?.reject(error);
    };
    shard.worker.on('message', (reply: ShardReply) => {
      const pending = shard.pending;
      shard.pending = null;
      if (reply.type === 'error') pending?.reject(new Error(reply.message));
      else pending?.resolve(reply);
    });
    shard.worker.on('error', (err) => fail(err));
    shard.worker.on('exit', (code) => fail(new Error(`worker stopped (exit code ${code})`)));
    return shard;
  }

  private static request(shard: Shard, request: ShardRequest, index: number): Promise<ShardReply> {
    if (shard.pending) throw new Error(`data-parallel: shard ${index} is busy`);
    return new Promise<ShardReply>((resolve, reject) => {
      shard.pending = { resolve, reject: (e) => reject(new Error(`data-parallel shard ${index}: ${e.message}`)) };
      shard.worker.postMessage(request);
    });
  }
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

function layoutOf(paths: string[], shapes: number[][]): ParameterLayout {
  const offsets: number[] = [];
  let size = 0;
  for (const shape of shapes) {
    offsets.push(size);
    size += sizeOf(shape);
  }
  return { paths, shapes, offsets, size };
}
