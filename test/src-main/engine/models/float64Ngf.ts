/**
 * Test oracle: a plain-JS float64 evaluator of the reference NGF model (no TF.js), written directly
 * from the maths in /work/shared/reference/README.md. Slow and simple on purpose: one sample at a
 * time, explicit loops, forward-mode derivatives by hand.
 */
import type { NeuralGeodesicFlow } from '../../../../src-main/engine/models/ngf';

export type Vec = number[];

export interface Layer64 {
  /** [out, in] row-major */
  W: Float64Array;
  b: Float64Array;
}

/** A layer from nested arrays W[out][in], b[out]. */
export function layer64(W: number[][], b: number[]): Layer64 {
  return { W: Float64Array.from(W.flat()), b: Float64Array.from(b) };
}

export interface Mlp64 {
  layers: Layer64[];
  finalTanh: boolean;
}

/** y = MLP(x) and, for each tangent direction dx, dy = J(x) dx. Plain loops: this runs millions of times. */
export function mlp64(mlp: Mlp64, x: ArrayLike<number>, dxs: ArrayLike<number>[] = []): { y: Float64Array; dys: Float64Array[] } {
  const K = dxs.length;
  let a = Float64Array.from(x);
  // Tangents side by side: da[d * width + j].
  let da = new Float64Array(K * x.length);
  dxs.forEach((dx, d) => da.set(dx, d * x.length));
  const last = mlp.layers.length - 1;
  for (let l = 0; l <= last; l++) {
    const { W, b } = mlp.layers[l]!;
    const n = b.length, k = a.length;
    const h = new Float64Array(n);
    const dh = new Float64Array(K * n);
    const activated = l < last || mlp.finalTanh;
    for (let i = 0; i < n; i++) {
      const row = i * k;
      let s = b[i]!;
      for (let j = 0; j < k; j++) s += W[row + j]! * a[j]!;
      const y = activated ? Math.tanh(s) : s;
      const slope = activated ? 1 - y * y : 1;
      h[i] = y;
      for (let d = 0; d < K; d++) {
        let t = 0;
        for (let j = 0; j < k; j++) t += W[row + j]! * da[d * k + j]!;
        dh[d * n + i] = t * slope;
      }
    }
    a = h;
    da = dh;
  }
  const n = a.length;
  return { y: a, dys: dxs.map((_, d) => da.subarray(d * n, (d + 1) * n)) };
}

export interface Ngf64 {
  psi: { mlp: Mlp64; split: boolean };
  phi: { mlp: Mlp64; split: boolean };
  g: { mlp: Mlp64; regularized: boolean; dim: number };
}

export function bundleMap64(map: { mlp: Mlp64; split: boolean }, y: Vec): Vec {
  if (!map.split) return Array.from(mlp64(map.mlp, y).y);
  const n = y.length / 2;
  const { y: N, dys } = mlp64(map.mlp, y.slice(0, n), [y.slice(n)]);
  return [...N, ...dys[0]!];
}

const softplus = (c: number) => (c > 0 ? c + Math.log1p(Math.exp(-c)) : Math.log1p(Math.exp(c)));
const sigmoid = (c: number) => 1 / (1 + Math.exp(-c));

const unitCache = new Map<number, Float64Array[]>();
/** The m unit vectors (cached: they are asked for millions of times). */
function units(m: number): Float64Array[] {
  if (!unitCache.has(m)) unitCache.set(m, Array.from({ length: m }, (_, a) => Float64Array.from({ length: m }, (_, j) => (j === a ? 1 : 0))));
  return unitCache.get(m)!;
}

/** g(x) flat [m*m] and dg flat [m*m*m] with dg[(a*m + i)*m + j] = d_a g_ij. */
export function metric64(model: Ngf64, x: ArrayLike<number>): { g: Float64Array; dg: Float64Array } {
  const m = model.g.dim;
  const { y: c, dys: dcs } = mlp64(model.g.mlp, x, units(m));
  const L = new Float64Array(m * m);
  const dL = new Float64Array(m * m * m); // dL[(a*m + i)*m + k]
  let p = 0;
  for (let i = 0; i < m; i++) {
    for (let k = 0; k <= i; k++, p++) {
      L[i * m + k] = i === k ? softplus(c[p]!) : c[p]!;
      for (let a = 0; a < m; a++) dL[(a * m + i) * m + k] = (i === k ? sigmoid(c[p]!) : 1) * dcs[a]![p]!;
    }
  }
  const g = new Float64Array(m * m);
  const dg = new Float64Array(m * m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = model.g.regularized && i === j ? 1 : 0;
      for (let k = 0; k < m; k++) s += L[i * m + k]! * L[j * m + k]!;
      g[i * m + j] = s;
      for (let a = 0; a < m; a++) {
        let t = 0;
        for (let k = 0; k < m; k++) t += dL[(a * m + i) * m + k]! * L[j * m + k]! + L[i * m + k]! * dL[(a * m + j) * m + k]!;
        dg[(a * m + i) * m + j] = t;
      }
    }
  }
  return { g, dg };
}

/** Inverse of a flat m x m matrix by Gauss-Jordan with partial pivoting. */
export function inverse64(flat: Float64Array, m: number): Float64Array {
  const w = 2 * m;
  const aug = new Float64Array(m * w);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) aug[i * w + j] = flat[i * m + j]!;
    aug[i * w + m + i] = 1;
  }
  for (let k = 0; k < m; k++) {
    let best = k;
    for (let i = k + 1; i < m; i++) if (Math.abs(aug[i * w + k]!) > Math.abs(aug[best * w + k]!)) best = i;
    for (let j = 0; j < w; j++) [aug[k * w + j], aug[best * w + j]] = [aug[best * w + j]!, aug[k * w + j]!];
    const pivot = aug[k * w + k]!;
    for (let j = 0; j < w; j++) aug[k * w + j]! /= pivot;
    for (let i = 0; i < m; i++) {
      if (i === k) continue;
      const f = aug[i * w + k]!;
      for (let j = 0; j < w; j++) aug[i * w + j]! -= f * aug[k * w + j]!;
    }
  }
  const inv = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) inv[i * m + j] = aug[i * w + m + j]!;
  return inv;
}

/** Gamma[k][a][b] = 1/2 g^{ki} (d_a g_ib + d_b g_ai - d_i g_ab). */
export function christoffel64(model: Ngf64, x: Vec): number[][][] {
  const m = x.length;
  const { g, dg } = metric64(model, x);
  const gi = inverse64(g, m);
  const d = (a: number, i: number, j: number) => dg[(a * m + i) * m + j]!;
  return Array.from({ length: m }, (_, k) =>
    Array.from({ length: m }, (_, a) =>
      Array.from({ length: m }, (_, b) => {
        let s = 0;
        for (let i = 0; i < m; i++) s += gi[k * m + i]! * (d(a, i, b) + d(b, a, i) - d(i, a, b));
        return 0.5 * s;
      }),
    ),
  );
}

/** f(z) = (v, -Gamma(v, v)) with Gamma(v, v)^k = g^{ki} (sum d_a g_ij v^a v^j - 1/2 sum d_i g_aj v^a v^j). */
export function field64(model: Ngf64, z: Vec): Vec {
  const m = z.length / 2;
  const { g, dg } = metric64(model, z.slice(0, m));
  const gi = inverse64(g, m);
  const v = z.slice(m);
  const rhs = new Float64Array(m);
  for (let a = 0; a < m; a++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        const q = dg[(a * m + i) * m + j]! * v[a]! * v[j]!; // d_a g_ij v^a v^j
        rhs[i]! += q;
        rhs[a]! -= 0.5 * dg[(a * m + i) * m + j]! * v[i]! * v[j]!; // d_a g_ij v^i v^j, into a
      }
  const out = [...v];
  for (let k = 0; k < m; k++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += gi[k * m + i]! * rhs[i]!;
    out.push(-s);
  }
  return out;
}

/** Classical RK4, n steps of t / n; the whole path (n + 1 points). */
export function geodesic64(model: Ngf64, z0: Vec, t: number, n: number): Vec[] {
  const dt = t / n;
  const path = [z0];
  let z = z0;
  const axpy = (u: Vec, s: number, w: Vec) => u.map((ui, i) => ui + s * w[i]!);
  for (let s = 0; s < n; s++) {
    const k1 = field64(model, z);
    const k2 = field64(model, axpy(z, dt / 2, k1));
    const k3 = field64(model, axpy(z, dt / 2, k2));
    const k4 = field64(model, axpy(z, dt, k3));
    z = z.map((zi, i) => zi + (dt / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
    path.push(z);
  }
  return path;
}

const sqDist = (a: Vec, b: Vec) => a.reduce((s, ai, i) => s + (ai - b[i]!) ** 2, 0);

/** The three terms of the reference input/target loss over the given samples, n steps each. */
export function inputTargetTerms64(model: Ngf64, inputs: Vec[], targets: Vec[], times: number[], n: number) {
  let rec = 0, pred = 0, lat = 0;
  const D = inputs[0]!.length, m2 = 2 * model.g.dim;
  inputs.forEach((y, s) => {
    const tg = targets[s]!;
    const zIn = bundleMap64(model.psi, y);
    const zTg = bundleMap64(model.psi, tg);
    rec += sqDist(bundleMap64(model.phi, zIn), y) + sqDist(bundleMap64(model.phi, zTg), tg);
    const path = geodesic64(model, zIn, times[s]!, n);
    const zT = path[path.length - 1]!;
    pred += sqDist(bundleMap64(model.phi, zT), tg);
    lat += sqDist(zT, zTg);
  });
  const N = inputs.length;
  return { reconstruction: rec / (N * D), prediction: pred / (N * D), latent: lat / (N * m2) };
}

/** The float64 twin of a TF.js NGF model (weights read from its variables). */
export function ngf64FromModel(model: NeuralGeodesicFlow): Ngf64 {
  const layers = (role: string): Layer64[] => {
    const byPath = new Map(model.parameters.map((p) => [p.path, p.variable]));
    const out: Layer64[] = [];
    for (let l = 0; byPath.has(`${role}.layers.${l}.W`); l++) {
      out.push({ W: Float64Array.from(byPath.get(`${role}.layers.${l}.W`)!.dataSync()), b: Float64Array.from(byPath.get(`${role}.layers.${l}.b`)!.dataSync()) });
    }
    return out;
  };
  const { encoder, decoder, metric, dimM } = model.config;
  return {
    psi: { mlp: { layers: layers('psi'), finalTanh: encoder.endsWith('chart') }, split: encoder.startsWith('jacobian-split') },
    phi: { mlp: { layers: layers('phi'), finalTanh: decoder.endsWith('chart') }, split: decoder.startsWith('jacobian-split') },
    g: { mlp: { layers: layers('g'), finalTanh: metric === 'regularized' }, regularized: metric === 'regularized', dim: dimM },
  };
}
