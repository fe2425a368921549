import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { createModel } from '../../../../src-main/engine/models/registry';
import type { Batch, Model } from '../../../../src-main/engine/models/types';
import { gradientsByPath } from '../../../../src-main/engine/nn/parameters';
import { Adam } from '../../../../src-main/engine/optim/adam';
import { checkHostBatch, DataParallelTrainer, shardBounds, type HostBatch } from '../../../../src-main/engine/training/dataParallel';
import { trainStep } from '../../../../src-main/engine/training/trainer';

const CONFIG = {
  dimM: 2,
  encoder: 'jacobian-split',
  encoderHidden: [8],
  decoder: 'jacobian-split',
  decoderHidden: [8],
  metric: 'cholesky',
  metricHidden: [8],
  geodesicSteps: 4,
};
const D = 6;
const SPEC = { model: 'ngf', config: CONFIG, stateDim: D, seed: 5, adam: { lr: 1e-2 }, backend: 'cpu' as const, shards: 2 };

/** B deterministic input/target pairs in R^D (targets a rotation of the inputs), times in [0.2, 0.7). */
function pairs(B: number, seed: number, dim = D): HostBatch {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const inputs = Float32Array.from({ length: B * dim }, () => 0.8 * rand());
  const targets = inputs.map((_, i) => 0.9 * inputs[i - (i % dim) + ((i + 1) % dim)]!);
  const times = Float32Array.from({ length: B }, () => 0.45 + 0.25 * rand());
  return {
    format: 'inputs-targets',
    arrays: { inputs: { shape: [B, dim], data: inputs }, targets: { shape: [B, dim], data: targets }, times: { shape: [B], data: times } },
  };
}

function tensors(batch: HostBatch): Batch {
  const a = batch.arrays;
  return {
    format: 'inputs-targets',
    inputs: tf.tensor2d(a.inputs!.data, a.inputs!.shape as [number, number]),
    targets: tf.tensor2d(a.targets!.data, a.targets!.shape as [number, number]),
    times: tf.tensor1d(a.times!.data),
  };
}

/** max |a - b| / max |b| (b the reference). */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-30;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / scale;
}

describe('shard bounds and host batches', () => {
  it('splits contiguously with sizes differing by one at most', () => {
    expect(shardBounds(45, 2)).toEqual([[0, 23], [23, 45]]);
    expect(shardBounds(3, 4)).toEqual([[0, 1], [1, 2], [2, 3], [3, 3]]);
  });

  it('names the array at fault in a bad batch', () => {
    const good = pairs(4, 1);
    expect(checkHostBatch(good)).toBe(4);
    expect(() => checkHostBatch({ format: 'inputs-targets', arrays: { inputs: good.arrays.inputs!, targets: good.arrays.targets! } })).toThrow(/missing array 'times'/);
    expect(() => checkHostBatch({ ...good, arrays: { ...good.arrays, times: { shape: [3], data: new Float32Array(3) } } })).toThrow(/'times' has 3 samples/);
    expect(() => checkHostBatch({ ...good, arrays: { ...good.arrays, targets: { shape: [4, 6], data: new Float32Array(5) } } })).toThrow(/'targets' has 5 values for shape \[4, 6\]/);
  });
});

describe('DataParallelTrainer (2 shard workers)', () => {
  let trainer: DataParallelTrainer;
  let reference: Model;
  let optimizer: Adam;

  beforeAll(async () => {
    await initBackend('cpu');
    trainer = await DataParallelTrainer.start(SPEC);
    reference = createModel(SPEC.model, SPEC.config, { stateDim: D, seed: SPEC.seed });
    optimizer = new Adam(reference.parameters, SPEC.adam);
  }, 60_000);
  afterAll(async () => {
    await trainer?.close();
    reference?.dispose();
  });

  it('gives the full-batch gradient as the sample-weighted mean of the shard gradients', async () => {
    const batch = pairs(45, 11); // shards of 23 and 22
    const { figures, grads } = await trainer.meanGradient(batch);
    const t = tensors(batch);
    const { value, grads: named } = tf.variableGrads(() => reference.loss(t).total, reference.parameters.map((p) => p.variable));
    const full = gradientsByPath(reference.parameters, named);
    expect([...grads.keys()]).toEqual(reference.parameters.map((p) => p.path));
    for (const [path, g] of full) {
      const err = relativeError(grads.get(path)!, g.dataSync());
      expect(err, path).toBeLessThan(1e-5);
    }
    expect(Math.abs(figures.loss - value.dataSync()[0]!) / value.dataSync()[0]!).toBeLessThan(1e-5);
    tf.dispose([value, ...Object.values(named), ...(Object.values(t) as tf.Tensor[])]);
  });

  it('trains like one process: same losses, identical replicas', async () => {
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let step = 0; step < 4; step++) {
      const batch = pairs(40 + step, 100 + step);
      ours.push((await trainer.step(batch)).loss);
      const t = tensors(batch);
      theirs.push(trainStep(reference, optimizer, t).loss);
      tf.dispose(Object.values(t) as tf.Tensor[]);
    }
    for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i]! - theirs[i]!) / theirs[i]!).toBeLessThan(1e-5);
    expect(ours.at(-1)!).toBeLessThan(ours[0]!);

    const [a, b] = await trainer.replicaParameters();
    expect(Buffer.from(a!.buffer).equals(Buffer.from(b!.buffer))).toBe(true);
    const flat = new Float32Array(trainer.layout.size);
    reference.parameters.forEach((p, i) => flat.set(p.variable.dataSync() as Float32Array, trainer.layout.offsets[i]));
    expect(relativeError(a!, flat)).toBeLessThan(1e-5);
  });

  it('fails the step with the worker error and closes', async () => {
    await expect(trainer.step(pairs(8, 3, D - 1))).rejects.toThrow(/data-parallel shard \d: NGF: the model has state dimension D = 6 but the batch has D = 5/);
    await expect(trainer.step(pairs(8, 3))).rejects.toThrow(/closed/);
  });
});
