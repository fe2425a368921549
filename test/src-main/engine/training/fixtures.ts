/** Small datasets for the training tests: harmonic-oscillator trajectories with known answers. */
import type { InputsTargetsDataset, TrajectoriesDataset } from '../../../../src-main/data/dataset';

/** n orbits of z = (q, p), q = a cos(t + c), p = -a sin(t + c), at T times 0, dt, ..., (dt = 0.2). */
export function oscillatorTrajectories(n: number, T: number, dt = 0.2): TrajectoriesDataset {
  const trajectories = new Float32Array(n * T * 2);
  const times = new Float32Array(n * T);
  for (let i = 0; i < n; i++) {
    const a = 0.5 + i / n;
    for (let j = 0; j < T; j++) {
      const t = j * dt;
      times[i * T + j] = t;
      trajectories[(i * T + j) * 2] = a * Math.cos(t + i);
      trajectories[(i * T + j) * 2 + 1] = -a * Math.sin(t + i);
    }
  }
  return { format: 'trajectories', source: 'oscillator', n, steps: T, dim: 2, dtype: 'float32', keys: [], trajectories, times };
}

/** n oscillator states and their flow for time 0.5. */
export function oscillatorPairs(n: number): InputsTargetsDataset {
  const inputs = new Float32Array(n * 2);
  const targets = new Float32Array(n * 2);
  const times = new Float32Array(n).fill(0.5);
  for (let i = 0; i < n; i++) {
    const a = 0.5 + i / n;
    inputs.set([a * Math.cos(i), -a * Math.sin(i)], 2 * i);
    targets.set([a * Math.cos(i + 0.5), -a * Math.sin(i + 0.5)], 2 * i);
  }
  return { format: 'inputs-targets', source: 'oscillator-pairs', n, dim: 2, dtype: 'float32', keys: [], inputs, targets, times };
}
