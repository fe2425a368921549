/**
 * Test oracle: a plain-JS float64 evaluator of the reference NGF model (no TF.js), written directly
 * from the maths in /work/shared/reference/README.md. Slow and simple on purpose: one sample at a
 * time, explicit loops, forward-mode derivatives by hand.
 */
export type Vec = number[];

export interface Layer64 {
  /** [out][in] */
  W: number[][];
  b: number[];
}

export interface Mlp64 {
  layers: Layer64[];
  finalTanh: boolean;
}

/** y = MLP(x) and, for each tangent direction dx, dy = J(x) dx. */
export function mlp64(mlp: Mlp64, x: Vec, dxs: Vec[] = []): { y: Vec; dys: Vec[] } {
  let a = x;
  let das = dxs;
  mlp.layers.forEach((layer, l) => {
    const h = layer.W.map((row, i) => layer.b[i]! + row.reduce((s, w, j) => s + w * a[j]!, 0));
    const dhs = das.map((da) => layer.W.map((row) => row.reduce((s, w, j) => s + w * da[j]!, 0)));
    if (l < mlp.layers.length - 1 || mlp.finalTanh) {
      a = h.map(Math.tanh);
      das = dhs.map((dh) => dh.map((d, i) => d * (1 - a[i]! ** 2)));
    } else {
      a = h;
      das = dhs;
    }
  });
  return { y: a, dys: das };
}

export interface Ngf64 {
  psi: { mlp: Mlp64; split: boolean };
  phi: { mlp: Mlp64; split: boolean };
  g: { mlp: Mlp64; regularized: boolean; dim: number };
}

export function bundleMap64(map: { mlp: Mlp64; split: boolean }, y: Vec): Vec {
  if (!map.split) return mlp64(map.mlp, y).y;
  const n = y.length / 2;
  const { y: N, dys } = mlp64(map.mlp, y.slice(0, n), [y.slice(n)]);
  return [...N, ...dys[0]!];
}

const softplus = (c: number) => (c > 0 ? c + Math.log1p(Math.exp(-c)) : Math.log1p(Math.exp(c)));
const sigmoid = (c: number) => 1 / (1 + Math.exp(-c));

/** g(x) [m][m] and dg[a][i][j] = d_a g_ij. */
export function metric64(model: Ngf64, x: Vec): { g: number[][]; dg: number[][][] } {
  const m = model.g.dim;
  const units = Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, j) => (j === a ? 1 : 0)));
  const { y: c, dys: dcs } = mlp64(model.g.mlp, x, units);
  const L = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  const dL = Array.from({ length: m }, () => Array.from({ length: m }, () => new Array<number>(m).fill(0)));
  let p = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++, p++) {
      L[i]![j] = i === j ? softplus(c[p]!) : c[p]!;
      for (let a = 0; a < m; a++) dL[a]![i]![j] = (i === j ? sigmoid(c[p]!) : 1) * dcs[a]![p]!;
    }
  }
  const g = L.map((Li, i) => L.map((Lj, j) => Li.reduce((s, v, k) => s + v * Lj[k]!, 0) + (model.g.regularized && i === j ? 1 : 0)));
  const dg = dL.map((dLa) =>
    L.map((Li, i) => L.map((Lj, j) => dLa[i]!.reduce((s, v, k) => s + v * Lj[k]! + Li[k]! * dLa[j]![k]!, 0))),
  );
  return { g, dg };
}

/** Inverse by Gauss-Jordan with partial pivoting. */
export function inverse64(a: number[][]): number[][] {
  const m = a.length;
  const aug = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let k = 0; k < m; k++) {
    let best = k;
    for (let i = k + 1; i < m; i++) if (Math.abs(aug[i]![k]!) > Math.abs(aug[best]![k]!)) best = i;
    [aug[k], aug[best]] = [aug[best]!, aug[k]!];
    const pivot = aug[k]![k]!;
    aug[k] = aug[k]!.map((v) => v / pivot);
    for (let i = 0; i < m; i++) {
      if (i === k) continue;
      const f = aug[i]![k]!;
      aug[i] = aug[i]!.map((v, j) => v - f * aug[k]![j]!);
    }
  }
  return aug.map((row) => row.slice(m));
}

/** Gamma[k][a][b] = 1/2 g^{ki} (d_a g_ib + d_b g_ai - d_i g_ab). */
export function christoffel64(model: Ngf64, x: Vec): number[][][] {
  const { g, dg } = metric64(model, x);
  const gi = inverse64(g);
  const m = x.length;
  const idx = Array.from({ length: m }, (_, i) => i);
  return idx.map((k) =>
    idx.map((a) => idx.map((b) => idx.reduce((s, i) => s + 0.5 * gi[k]![i]! * (dg[a]![i]![b]! + dg[b]![a]![i]! - dg[i]![a]![b]!), 0))),
  );
}

export function field64(model: Ngf64, z: Vec): Vec {
  const m = z.length / 2;
  const x = z.slice(0, m), v = z.slice(m);
  const G = christoffel64(model, x);
  return [...v, ...G.map((Gk) => -Gk.reduce((s, row, a) => s + row.reduce((t, gab, b) => t + gab * v[a]! * v[b]!, 0), 0))];
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
