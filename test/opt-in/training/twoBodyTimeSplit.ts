/**
 * The Hamiltonian-NN acceptance data: 1000 two-body orbits x 50 points over t in [0, 20] (seed 0);
 * per orbit the first 20 % of the points (10) form the test set, the last 80 % (40) the training set.
 * Usage: npx tsx test/opt-in/training/twoBodyTimeSplit.ts OUT_DIR
 */
import path from 'node:path';
import { datasetFromArrays, type TrajectoriesDataset } from '../../../src-main/data/dataset';
import { writeDataset } from '../../../src-main/data/datasetFile';
import { GENERATORS } from '../../../src-main/data/generators';

const out = process.argv[2];
if (!out) throw new Error('usage: twoBodyTimeSplit.ts OUT_DIR');
const arrays = GENERATORS['two-body']!.generate({ n: 1000, points: 50, tEnd: 20, seed: 0, format: 'trajectories' });
const ds = datasetFromArrays({ ...arrays }, 'two-body') as TrajectoriesDataset;

/** Time points from..to-1 of every orbit. */
function timeSlice(from: number, to: number): TrajectoriesDataset {
  const T = to - from;
  const trajectories = new Float32Array(ds.n * T * ds.dim);
  const times = new Float32Array(ds.n * T);
  for (let i = 0; i < ds.n; i++) {
    trajectories.set(ds.trajectories.subarray((i * ds.steps + from) * ds.dim, (i * ds.steps + to) * ds.dim), i * T * ds.dim);
    times.set(ds.times.subarray(i * ds.steps + from, i * ds.steps + to), i * T);
  }
  return { ...ds, steps: T, trajectories, times };
}

const split = Math.round(0.2 * ds.steps);
await writeDataset(timeSlice(split, ds.steps), path.join(out, 'two-body-hnn_train.npz'));
await writeDataset(timeSlice(0, split), path.join(out, 'two-body-hnn_test.npz'));
