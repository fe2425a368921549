import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { expMap } from '../../../../src-main/engine/geometry/geodesic';
import type { NeuralGeodesicFlow } from '../../../../src-main/engine/models/ngf';
import { loadReferenceModel, parseReferenceCheckpoint } from '../../../../src-main/engine/models/referenceCheckpoint';

const NGF = path.resolve('../shared/reference/ngf');
const MODELS = path.join(NGF, 'models');

/** Every shipped checkpoint with an .eqx, by the name reference_values.json uses. */
function checkpoints(): { name: string; eqx: string }[] {
  const found: { name: string; eqx: string }[] = [];
  for (const [dir, prefix] of [[MODELS, ''], [path.join(MODELS, 'master_thesis'), 'master_thesis__']] as const) {
    for (const file of readdirSync(dir)) if (file.endsWith('.eqx')) found.push({ name: prefix + file.slice(0, -4), eqx: path.join(dir, file) });
  }
  return found;
}

interface ReferenceValues {
  y_in: number[][];
  t: number[];
  num_steps: number;
  'psi(y)': number[][];
  'g(x)': number[][][];
  'Gamma(x)[k,a,b]': number[][][][];
  'geodesic_ODE_f(z)': number[][];
  'exp(z,t,n)': number[][];
  'forward phi(exp(psi(y)))': number[][];
}

/** max |a - b| / max |b|: the relative error of a whole array. */
function relError(actual: tf.Tensor, expected: unknown): number {
  const e = tf.tensor(expected as number[]);
  const err = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, e))).dataSync()[0]! / tf.max(tf.abs(e)).dataSync()[0]!);
  e.dispose();
  return err;
}

describe('reference checkpoints', () => {
  const all = checkpoints();
  const reference = JSON.parse(readFileSync(path.join(NGF, 'reference_values.json'), 'utf8')) as Record<string, ReferenceValues>;
  const models = new Map<string, NeuralGeodesicFlow>();

  beforeAll(async () => {
    await initBackend('cpu');
    for (const { name, eqx } of all) models.set(name, await loadReferenceModel(eqx));
  });
  afterAll(() => models.forEach((m) => m.dispose()));

  it('are all found (10 models, each with reference values)', () => {
    expect(all.length).toBe(10);
    for (const { name } of all) expect(reference[name], name).toBeDefined();
  });

  it('psi, g, Gamma, f, exp (fused and op-by-op) and phi(exp(psi)) match reference_values.json to 1e-4 relative', () => {
    const errors: Record<string, Record<string, number>> = {};
    for (const { name } of all) {
      const model = models.get(name)!;
      const ref = reference[name]!;
      const m = model.bundle.latentDim;
      tf.tidy(() => {
        const y = tf.tensor2d(ref.y_in);
        const t = tf.tensor1d(ref.t);
        const z = model.bundle.encode(y);
        const x = tf.slice(z, [0, 0], [-1, m]) as tf.Tensor2D;
        const e = {
          psi: relError(z, ref['psi(y)']),
          g: relError(model.bundle.metricAt(x), ref['g(x)']),
          Gamma: relError(model.bundle.christoffel(x), ref['Gamma(x)[k,a,b]']),
          f: relError(model.bundle.field(t, z), ref['geodesic_ODE_f(z)']),
          exp: relError(model.bundle.exp(z, { t, steps: ref.num_steps }), ref['exp(z,t,n)']),
          // The op-by-op TF.js graph too (bundle.exp takes the fused kernel of ../fast where it can).
          expOpByOp: relError(expMap(model.bundle.metric, z, { t, steps: ref.num_steps }), ref['exp(z,t,n)']),
          predict: relError(model.bundle.predict(y, { t, steps: ref.num_steps }), ref['forward phi(exp(psi(y)))']),
        };
        errors[name] = e;
      });
    }
    console.log(JSON.stringify(errors));
    for (const [name, e] of Object.entries(errors)) for (const [what, err] of Object.entries(e)) expect(err, `${name} ${what}`).toBeLessThan(1e-4);
  });

  it('hold the same weights as weights_json', () => {
    for (const { name } of all) {
      const json = JSON.parse(readFileSync(path.join(NGF, 'weights_json', `${name}.json`), 'utf8')) as Record<string, { W: number[][]; b: number[] }[]>;
      const params = new Map(models.get(name)!.parameters.map((p) => [p.path, p.variable]));
      let compared = 0;
      for (const role of ['psi', 'phi', 'g']) {
        json[`${role}_layers`]!.forEach((layer, l) => {
          expect(params.get(`${role}.layers.${l}.W`)!.arraySync(), `${name} ${role} ${l} W`).toEqual(layer.W.map((r) => r.map(Math.fround)));
          expect(params.get(`${role}.layers.${l}.b`)!.arraySync(), `${name} ${role} ${l} b`).toEqual(layer.b.map(Math.fround));
          compared += 2;
        });
      }
      expect(compared).toBe(params.size);
    }
  });

  it('are refused with the file named when the json and the .eqx disagree', () => {
    const eqxPath = path.join(MODELS, 'master_thesis', 'toy-problem_model-A.eqx');
    const eqx = new Uint8Array(readFileSync(eqxPath));
    const json = JSON.parse(readFileSync(eqxPath.replace('.eqx', '_high_level_params.json'), 'utf8'));
    const parse = (j: unknown, bytes = eqx) => parseReferenceCheckpoint(bytes, j, 'A.eqx', 'A.json');
    expect(parse(json).config.encoder).toBe('jacobian-split');
    expect(() => parse({ ...json, g_neural_network_classname: 'NN_MNIST_decoder' })).toThrow(/^A\.json: unknown network kind "NN_MNIST_decoder" for g/);
    expect(() => parse({ ...json, g_arguments: { dim_M: 2, hidden_sizes: [32, 32, 32] } })).toThrow(/^A\.eqx: has 32 \.npy blobs but A\.json describes 35/);
    expect(() => parse({ ...json, psi_arguments: { ...json.psi_arguments, hidden_sizes_x: [16, 32] } })).toThrow(/^A\.eqx: blob 1 \(psi layer 0 W\) should be float32 \(16, 3\)/);
    expect(() => parse(json, eqx.subarray(0, 5000))).toThrow(/A\.eqx/);
    expect(() => parse([])).toThrow(/^A\.json: expected a JSON object/);
  });

  it('need their json next to them', async () => {
    await expect(loadReferenceModel(path.join(MODELS, 'nothing-here.eqx'))).rejects.toThrow(/^nothing-here\.eqx: cannot read/);
    const dir = mkdtempSync(path.join(tmpdir(), 'ngf-ref-'));
    try {
      const lonely = path.join(dir, 'lonely.eqx');
      copyFileSync(path.join(MODELS, 'half-sphere-quick.eqx'), lonely);
      await expect(loadReferenceModel(lonely)).rejects.toThrow(/^lonely_high_level_params\.json: cannot read/);
      writeFileSync(path.join(dir, 'lonely_high_level_params.json'), '{"dim_M": 2,');
      await expect(loadReferenceModel(lonely)).rejects.toThrow(/^lonely_high_level_params\.json: is not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
