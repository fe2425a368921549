import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, parseBackendChoice } from '../../../src-main/engine/backend';

/**
 * H(x) = w3 . tanh(W2 tanh(W1 x + b1) + b2) + b3, a scalar tanh MLP. The loss
 * L = mean over the batch of |grad_x H(x)|^2 needs a second derivative through tanh, which is what
 * TF.js 4.22 gets wrong without the re-registered gradients.
 */
const sizes = [3, 5, 4, 1];

function makeParams(seed: number): Float64Array[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const params: Float64Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    params.push(Float64Array.from({ length: sizes[l + 1]! * sizes[l]! }, () => rand()));
    params.push(Float64Array.from({ length: sizes[l + 1]! }, () => 0.3 * rand()));
  }
  return params;
}

/** float64 closed form of mean |grad_x H|^2: forward pass, then the input gradient by the chain rule. */
function lossFloat64(params: Float64Array[], xs: number[][]): number {
  let total = 0;
  for (const x of xs) {
    const acts: number[][] = [x];
    const derivs: number[][] = [];
    let a = x;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const W = params[2 * l]!, b = params[2 * l + 1]!;
      const n = sizes[l + 1]!, m = sizes[l]!;
      const z = Array.from({ length: n }, (_, i) => b[i]! + a.reduce((acc, aj, j) => acc + W[i * m + j]! * aj, 0));
      const last = l + 2 === sizes.length;
      a = last ? z : z.map(Math.tanh);
      derivs.push(last ? z.map(() => 1) : z.map((zi) => 1 - Math.tanh(zi) ** 2));
      acts.push(a);
    }
    // Back-propagate the seed 1 from the scalar output to the input.
    let g = [1];
    for (let l = sizes.length - 2; l >= 0; l--) {
      const W = params[2 * l]!, m = sizes[l]!;
      const gz = g.map((gi, i) => gi * derivs[l]![i]!);
      g = Array.from({ length: m }, (_, j) => gz.reduce((acc, gzi, i) => acc + gzi * W[i * m + j]!, 0));
    }
    total += g.reduce((acc, gi) => acc + gi * gi, 0);
  }
  return total / xs.length;
}

function lossTf(params: tf.Tensor[], x: tf.Tensor2D): tf.Scalar {
  const H = (xIn: tf.Tensor2D) => {
    let a: tf.Tensor2D = xIn;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const z = tf.add(tf.matMul(a, params[2 * l] as tf.Tensor2D, false, true), params[2 * l + 1]!) as tf.Tensor2D;
      a = l + 2 === sizes.length ? z : tf.tanh(z);
    }
    return tf.sum(a);
  };
  const gradX = tf.grad((xIn: tf.Tensor) => H(xIn as tf.Tensor2D))(x);
  return tf.mean(tf.sum(tf.square(gradX), 1));
}

describe('compute backend', () => {
  it('parses backend choices and rejects unknown names', () => {
    expect(parseBackendChoice(undefined)).toBe('auto');
    expect(parseBackendChoice('wasm')).toBe('wasm');
    expect(() => parseBackendChoice('metal')).toThrow(/Unknown backend 'metal'/);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`second derivatives through tanh match float64 finite differences on ${backend}`, async () => {
      const info = await initBackend(backend);
      expect(info.choice).toBe(backend);
      expect(tf.getBackend()).toBe(backend);

      const params64 = makeParams(7);
      const xs = [[0.3, -0.7, 1.1], [-0.2, 0.5, 0.05], [0.9, 0.1, -1.3], [0.0, 0.4, 0.6]];
      const params = params64.map((p, i) => {
        const l = Math.floor(i / 2);
        const shape = i % 2 === 0 ? [sizes[l + 1]!, sizes[l]!] : [sizes[l + 1]!];
        return tf.variable(tf.tensor(Array.from(p), shape, 'float32'), true, `${backend}-p${i}`);
      });
      const x = tf.tensor2d(xs, undefined, 'float32');
      // The output bias b3 shifts H by a constant and cannot reach grad_x H; every other parameter must
      // get a gradient (variableGrads silently drops the ones it cannot reach).
      const trainable = params.slice(0, -1) as tf.Variable[];
      const { value, grads } = tf.variableGrads(() => lossTf(params, x), trainable);
      expect(Object.keys(grads).sort()).toEqual(trainable.map((p) => p.name).sort());
      expect(value.dataSync()[0]).toBeCloseTo(lossFloat64(params64, xs), 4);

      const h = 1e-6;
      let errSq = 0, refSq = 0;
      params64.slice(0, -1).forEach((p, i) => {
        const g = grads[`${backend}-p${i}`]!.dataSync();
        for (let k = 0; k < p.length; k++) {
          const orig = p[k]!;
          p[k] = orig + h;
          const up = lossFloat64(params64, xs);
          p[k] = orig - h;
          const down = lossFloat64(params64, xs);
          p[k] = orig;
          const fd = (up - down) / (2 * h);
          errSq += (g[k]! - fd) ** 2;
          refSq += fd ** 2;
        }
      });
      expect(Math.sqrt(errSq / refSq)).toBeLessThan(1e-4);
      tf.dispose([...params, x, value, ...Object.values(grads)]);
    });
  }
});
