/**
 * Adam (Kingma & Ba 2015) in the form of optax.adam, which the reference implementation trains with:
 *     m <- b1 m + (1 - b1) g,   v <- b2 v + (1 - b2) g^2,
 *     w <- w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
 * (tf.train.adam puts eps inside the bias correction differently and keys its state by TF.js
 * variable names, which are not stable across processes; here the state is keyed by parameter path
 * so that a checkpoint restores it into a freshly built model.)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NdArray } from '../../data/npy';
import type { Parameter } from '../nn/parameters';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface AdamHyperparameters {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export class Adam {
  readonly hyper: AdamHyperparameters;
  /** Number of updates applied so far (t in the bias correction). */
  step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(
    readonly parameters: readonly Parameter[],
    options: AdamOptions,
  ) {
    const hyper = { beta1: 0.9, beta2: 0.999, eps: 1e-8, ...options };
    if (!(hyper.lr > 0) || !Number.isFinite(hyper.lr)) throw new Error(`adam: learning rate must be a positive number, got ${hyper.lr}`);
    if (!(hyper.beta1 >= 0 && hyper.beta1 < 1 && hyper.beta2 >= 0 && hyper.beta2 < 1)) {
      throw new Error(`adam: beta1 and beta2 must be in [0, 1), got ${hyper.beta1}, ${hyper.beta2}`);
    }
    this.hyper = hyper;
    // tidy frees the zero tensors the variables were made from (the variables keep their data).
    tf.tidy(() => {
      for (const p of parameters) {
        this.m.set(p.path, tf.variable(tf.zerosLike(p.variable), false));
        this.v.set(p.path, tf.variable(tf.zerosLike(p.variable), false));
      }
    });
  }

  /** One update from gradients keyed by parameter path (every parameter must have one). */
  apply(grads: Map<string, tf.Tensor>): void {
    const { lr, beta1, beta2, eps } = this.hyper;
    this.step += 1;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    tf.tidy(() => {
      for (const p of this.parameters) {
        const g = grads.get(p.path);
        if (!g) throw new Error(`adam: no gradient for parameter ${p.path}`);
        const m = this.m.get(p.path)!;
        const v = this.v.get(p.path)!;
        const mNew = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const vNew = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(mNew);
        v.assign(vNew);
        const update = tf.div(tf.mul(mNew, lr / c1), tf.add(tf.sqrt(tf.div(vNew, c2)), eps));
        p.variable.assign(tf.sub(p.variable, update));
      }
    });
  }

  /** The moments as arrays keyed `PATH.m` / `PATH.v`, plus `step` (for checkpoints). */
  stateArrays(): Record<string, NdArray> {
    const out: Record<string, NdArray> = { step: { dtype: 'int32', shape: [], data: Int32Array.of(this.step) } };
    for (const p of this.parameters) {
      for (const [suffix, store] of [['m', this.m], ['v', this.v]] as const) {
        const t = store.get(p.path)!;
        out[`${p.path}.${suffix}`] = { dtype: 'float32', shape: [...t.shape], data: t.dataSync() as Float32Array };
      }
    }
    return out;
  }

  /** Restores `stateArrays()` output; `source` names the file in errors. */
  loadStateArrays(arrays: Map<string, NdArray>, source: string): void {
    const step = arrays.get('step');
    if (!step || step.shape.length !== 0) throw new Error(`${source}: key 'step' missing or not a scalar`);
    const stepValue = Number(step.data[0]);
    if (!Number.isInteger(stepValue) || stepValue < 0) throw new Error(`${source}: key 'step' must be a whole number >= 0, got ${stepValue}`);
    const updates: [tf.Variable, NdArray][] = [];
    for (const p of this.parameters) {
      for (const [suffix, store] of [['m', this.m], ['v', this.v]] as const) {
        const key = `${p.path}.${suffix}`;
        const a = arrays.get(key);
        const want = p.variable.shape;
        if (!a) throw new Error(`${source}: key '${key}' is missing`);
        if (a.shape.join(',') !== want.join(',')) throw new Error(`${source}: key '${key}' has shape [${a.shape}], expected [${want}]`);
        updates.push([store.get(p.path)!, a]);
      }
    }
    tf.tidy(() => {
      for (const [variable, a] of updates) variable.assign(tf.tensor(Float32Array.from(a.data as Float32Array), variable.shape));
    });
    this.step = stepValue;
  }

  dispose(): void {
    tf.dispose([...this.m.values(), ...this.v.values()]);
  }
}
