/**
 * Fused geodesic RK4 for a metric network, forward and discrete adjoint, in WebAssembly SIMD.
 * AssemblyScript source; built by ../build.ts into ../geodesicRk4Wasm.ts (see the README's "Fast path").
 *
 * One sample per f32x4 lane: a "group" is 4 samples and every scalar of the maths below is a v128.
 *
 * Metric network: a tanh MLP with layers l = 0..NL-1, W_l [n_{l+1}, n_l], maps x (m) to c (P =
 * m(m+1)/2); tanh on every hidden layer, and on the last one when REG (NN_metric_regularized). The m
 * unit directions are pushed through with it (dc[a] = dc/dx^a). L is lower triangular, filled
 * row-major from c, with softplus on the diagonal; g = L L^T (NN_metric) or I + L L^T (regularized).
 *
 * Geodesic field f(x, v) = (v, -y) with g y = r and (u = L^T v, dLv = sum_a v^a dL_a, q = dLv^T v)
 *   r_i = (D_v g v)_i - 1/2 v^T (d_i g) v = (dLv u + L q)_i - v^T dL_i u,
 * which is Gamma^i_ab v^a v^b lowered by g, written through L so that no d g is formed.
 * The solve uses a Cholesky factor F of g: F = L itself for NN_metric, chol(I + L L^T) otherwise.
 *
 * RK4 (the reference's classical tableau) with per-sample step h: k1 = f(z), k2 = f(z + h/2 k1),
 * k3 = f(z + h/2 k2), k4 = f(z + h k3), z' = z + h (k1/6 + k2/3 + k3/3 + k4/6). The forward pass stores
 * every stage input; the backward pass walks the steps in reverse, re-evaluating each stage's field
 * and applying its hand-written vector-Jacobian product (the discrete adjoint of RK4), accumulating
 * d/dz0 and d/d(weights) exactly for the float32 forward computation. When configured to keep
 * activations, the forward pass also leaves every stage's network activations (values and
 * tangents of layers 1..NL) in memory and the backward pass re-uses them, so that it only redoes
 * the cheap geometry: the network is most of the arithmetic.
 *
 * Memory is laid out by the caller (../kernel.ts) except for the work area, which `configure` lays
 * out from `work` upwards (growing the memory as needed). No managed objects are used (stub runtime).
 */

// ---------------------------------------------------------------------------------------------
// Configuration (set by `configure`; every pointer is into linear memory)
let M: i32 = 0; // latent dimension m
let NL: i32 = 0; // number of linear layers
let REG: i32 = 0; // 1 for NN_metric_regularized (final tanh, g = I + L L^T)
let P: i32 = 0; // m (m + 1) / 2
let K: i32 = 0; // 1 + m: a layer's value and its m tangents
let tSizes: usize = 0; // i32[NL + 1] layer widths
let tW: usize = 0; // per layer: splatted W, v128[n_out * n_in]
let tB: usize = 0; // per layer: splatted b, v128[n_out]
let tGW: usize = 0; // per layer: gradient accumulators for W, v128 (one partial sum per lane)
let tGB: usize = 0;
let tX: usize = 0; // per layer l = 0..NL: values and tangents after activation, v128[K * n_l]
let tDH: usize = 0; // per layer l = 1..NL: tangents before activation, v128[m * n_l]
let tXB: usize = 0; // per layer l = 1..NL: adjoints of tX, v128[K * n_l]
let pHB: usize = 0; // adjoints before activation, v128[K * n_max]
// Geometry scratch, v128 each: matrices m*m row-major (lower triangle used), dL and dLB m*m*m.
let pL: usize = 0;
let pDL: usize = 0;
let pSG: usize = 0; // sigmoid of the diagonal entries of c, [m]
let pDLV: usize = 0;
let pU: usize = 0;
let pQ: usize = 0;
let pR: usize = 0;
let pY: usize = 0;
let pF: usize = 0; // Cholesky factor of g (pL itself for NN_metric)
let pFS: usize = 0; // storage for F when it is not L
let pT: usize = 0; // solve temporary [m]
let pLB: usize = 0;
let pDLB: usize = 0;
let pDLVB: usize = 0;
let pUB: usize = 0;
let pRB: usize = 0;
let pLY: usize = 0;
let pLR: usize = 0;
let pVB: usize = 0;
let pXBin: usize = 0; // x adjoint [m]
// RK4 scratch, v128[2m] each.
let pZ: usize = 0;
let pK1: usize = 0;
let pK2: usize = 0;
let pK3: usize = 0;
let pK4: usize = 0;
let pZB: usize = 0;
let pZN: usize = 0;
let pSB: usize = 0;
let pFX: usize = 0;
let pStages: usize = 0; // v128[groups][steps][4][2m]
let pActs: usize = 0; // v128[groups][steps][4][ACT] when activations are kept, else 0
let ACT: i32 = 0; // v128 per evaluation: per layer l = 1..NL, X_l (K n_l) then DH_l (m n_l, if activated)
let tXScratch: usize = 0; // per layer: the scratch X and DH (used when activations are not kept)
let tDHScratch: usize = 0;

@inline function ld(p: usize, i: i32): v128 {
  return v128.load(p + (<usize>i << 4));
}
@inline function st(p: usize, i: i32, v: v128): void {
  v128.store(p + (<usize>i << 4), v);
}
@inline function ptrAt(table: usize, l: i32): usize {
  return <usize>load<u32>(table + (<usize>l << 2));
}
@inline function width(l: i32): i32 {
  return load<i32>(tSizes + (<usize>l << 2));
}
@inline function splat(x: f32): v128 {
  return f32x4.splat(x);
}
@inline function isActivated(l: i32): bool {
  return l < NL - 1 || REG != 0;
}

// ---------------------------------------------------------------------------------------------
// Memory

/** First 16-aligned byte after the module's static data. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** Grows the memory so that bytes [0, end) exist. */
export function ensureMemory(end: usize): void {
  const need = <i32>((end + 0xffff) >> 16);
  const have = memory.size();
  if (need > have && memory.grow(need - have) < 0) unreachable();
}

let cursor: usize = 0;
function take(vectors: i32): usize {
  const p = cursor;
  cursor += <usize>vectors << 4;
  return p;
}
function takeTable(n: i32): usize {
  const p = cursor;
  cursor += ((<usize>n << 2) + 15) & ~(<usize>15);
  return p;
}

/** v128 of one evaluation's kept activations for these widths (see ACT). */
function activationVectors(m: i32, nl: i32, reg: i32, sizes: usize): i32 {
  let n = 0;
  for (let l = 1; l <= nl; l++) {
    const w = load<i32>(sizes + (<usize>l << 2));
    n += (1 + m) * w;
    if (l < nl || reg != 0) n += m * w;
  }
  return n;
}

/**
 * Lays out the work area from `work` (16-aligned) for `groups` groups of 4 samples and `steps` RK4
 * steps, copies the layer widths (`sizes`, i32[nl + 1]) and splats the weights (`params`, f32: for each
 * layer W row-major [out, in] then b). With `keep` != 0 it also reserves room for every evaluation's
 * activations (see `forward`). Returns the end of the work area, of which the stage inputs are the
 * last groups * steps * 4 * 2m vectors. Laying out the same configuration again moves nothing.
 */
export function configure(m: i32, nl: i32, reg: i32, sizes: usize, params: usize, work: usize, groups: i32, steps: i32, keep: i32): usize {
  M = m;
  NL = nl;
  REG = reg;
  P = (m * (m + 1)) >> 1;
  K = 1 + m;
  cursor = work;
  tSizes = takeTable(nl + 1);
  tW = takeTable(nl);
  tB = takeTable(nl);
  tGW = takeTable(nl);
  tGB = takeTable(nl);
  tX = takeTable(nl + 1);
  tDH = takeTable(nl + 1);
  tXB = takeTable(nl + 1);
  tXScratch = takeTable(nl + 1);
  tDHScratch = takeTable(nl + 1);
  let nmax = 0;
  for (let l = 0; l <= nl; l++) {
    const n = load<i32>(sizes + (<usize>l << 2));
    if (n > nmax) nmax = n;
  }
  // Tables first (they are small), so that everything below can be laid out before memory grows.
  let end = cursor;
  for (let l = 0; l < nl; l++) {
    const nin = load<i32>(sizes + (<usize>l << 2));
    const nout = load<i32>(sizes + (<usize>(l + 1) << 2));
    end += (<usize>(2 * nout * nin + 2 * nout)) << 4;
  }
  for (let l = 0; l <= nl; l++) end += (<usize>((3 * K) * load<i32>(sizes + (<usize>l << 2)))) << 4;
  end += (<usize>(K * nmax + 16 * m * m * m + 64 * m)) << 4;
  end += (<usize>groups * <usize>steps * 4 * <usize>(2 * m)) << 4;
  ACT = activationVectors(m, nl, reg, sizes);
  if (keep != 0) end += (<usize>groups * <usize>steps * 4 * <usize>ACT) << 4;
  ensureMemory(end);

  for (let l = 0; l <= nl; l++) store<i32>(tSizes + (<usize>l << 2), load<i32>(sizes + (<usize>l << 2)));
  let src = params;
  for (let l = 0; l < nl; l++) {
    const nin = width(l);
    const nout = width(l + 1);
    const w = take(nout * nin);
    const b = take(nout);
    store<u32>(tW + (<usize>l << 2), <u32>w);
    store<u32>(tB + (<usize>l << 2), <u32>b);
    store<u32>(tGW + (<usize>l << 2), <u32>take(nout * nin));
    store<u32>(tGB + (<usize>l << 2), <u32>take(nout));
    for (let i = 0; i < nout * nin; i++) {
      st(w, i, splat(load<f32>(src)));
      src += 4;
    }
    for (let i = 0; i < nout; i++) {
      st(b, i, splat(load<f32>(src)));
      src += 4;
    }
  }
  for (let l = 0; l <= nl; l++) {
    const n = width(l);
    store<u32>(tXScratch + (<usize>l << 2), <u32>take(K * n));
    store<u32>(tDHScratch + (<usize>l << 2), <u32>take(m * n));
    store<u32>(tXB + (<usize>l << 2), <u32>take(K * n));
  }
  unbindActivations();
  pHB = take(K * nmax);
  const mm = m * m;
  pL = take(mm);
  pDL = take(m * mm);
  pSG = take(m);
  pDLV = take(mm);
  pU = take(m);
  pQ = take(m);
  pR = take(m);
  pY = take(m);
  pFS = take(mm);
  pF = reg != 0 ? pFS : pL;
  pT = take(m);
  pLB = take(mm);
  pDLB = take(m * mm);
  pDLVB = take(mm);
  pUB = take(m);
  pRB = take(m);
  pLY = take(m);
  pLR = take(m);
  pVB = take(m);
  pXBin = take(m);
  pZ = take(2 * m);
  pK1 = take(2 * m);
  pK2 = take(2 * m);
  pK3 = take(2 * m);
  pK4 = take(2 * m);
  pZB = take(2 * m);
  pZN = take(2 * m);
  pSB = take(2 * m);
  pFX = take(2 * m);
  pActs = keep != 0 ? take(groups * steps * 4 * ACT) : 0;
  pStages = take(groups * steps * 4 * 2 * m);
  if (cursor > end) unreachable();
  return cursor;
}

/** Points the layer tables at the scratch X and DH. */
function unbindActivations(): void {
  for (let l = 0; l <= NL; l++) {
    store<u32>(tX + (<usize>l << 2), load<u32>(tXScratch + (<usize>l << 2)));
    store<u32>(tDH + (<usize>l << 2), load<u32>(tDHScratch + (<usize>l << 2)));
  }
}

/** Points the tables of layers 1..NL at the kept activations of stage s of step n of group g. */
function bindActivations(g: i32, steps: i32, n: i32, s: i32): void {
  let p = pActs + ((<usize>(((g * steps + n) * 4 + s) * ACT)) << 4);
  for (let l = 1; l <= NL; l++) {
    const w = width(l);
    store<u32>(tX + (<usize>l << 2), <u32>p);
    p += (<usize>(K * w)) << 4;
    if (l < NL || REG != 0) {
      store<u32>(tDH + (<usize>l << 2), <u32>p);
      p += (<usize>(M * w)) << 4;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Elementwise functions on 4 lanes

/**
 * tanh(x) as a rational function of x (Eigen's float tanh: odd degree-13 numerator, even degree-6
 * denominator) on x clamped to +-7.9, where tanh is 1 to float precision; ~1e-7 absolute error. Far
 * cheaper than going through exp, and tanh is a third of the network's arithmetic.
 */
@inline function tanhv(x0: v128): v128 {
  const x = f32x4.min(f32x4.max(x0, splat(-7.90531110763549805)), splat(7.90531110763549805));
  const x2 = f32x4.mul(x, x);
  let p = splat(-2.76076847742355e-16);
  p = f32x4.add(f32x4.mul(p, x2), splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(p, x2), splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(p, x2), splat(5.12229709037114e-8));
  p = f32x4.add(f32x4.mul(p, x2), splat(1.48572235717979e-5));
  p = f32x4.add(f32x4.mul(p, x2), splat(6.37261928875436e-4));
  p = f32x4.add(f32x4.mul(p, x2), splat(4.89352455891786e-3));
  p = f32x4.mul(p, x);
  let q = splat(1.19825839466702e-6);
  q = f32x4.add(f32x4.mul(q, x2), splat(1.18534705686654e-4));
  q = f32x4.add(f32x4.mul(q, x2), splat(2.26843463243900e-3));
  q = f32x4.add(f32x4.mul(q, x2), splat(4.89352518554385e-3));
  return f32x4.div(p, q);
}

/** e^x for x <= 0 (Cephes expf: x = n ln2 + r, e^r by a degree-6 polynomial, 2^n through the exponent bits). */
@inline function expNonPositive(x0: v128): v128 {
  const x1 = f32x4.max(x0, splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(x1, splat(1.44269504088896341)));
  let x = f32x4.sub(x1, f32x4.mul(n, splat(0.693359375)));
  x = f32x4.sub(x, f32x4.mul(n, splat(-2.12194440e-4)));
  let y = splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, x), splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, x), splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, x), splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, x), splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, x), splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, x), x), x), splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, scale);
}

/**
 * softplus(c) into *sp and sigmoid(c) into *sg. With e = exp(-|c|) in (0, 1]:
 * softplus = max(c, 0) + log(1 + e), log(1 + e) = 2 atanh(s) with s = e / (2 + e) <= 1/3 (an odd
 * series to s^15, accurate to float precision, and exact in relative terms for tiny e);
 * sigmoid = 1 / (1 + e) for c >= 0, e / (1 + e) otherwise.
 */
function softplusSigmoid(c: v128, sp: usize, sg: usize): void {
  const e = expNonPositive(f32x4.neg(f32x4.abs(c)));
  const s = f32x4.div(e, f32x4.add(splat(2.0), e));
  const s2 = f32x4.mul(s, s);
  let p = splat(<f32>(1.0 / 15.0));
  p = f32x4.add(f32x4.mul(p, s2), splat(<f32>(1.0 / 13.0)));
  p = f32x4.add(f32x4.mul(p, s2), splat(<f32>(1.0 / 11.0)));
  p = f32x4.add(f32x4.mul(p, s2), splat(<f32>(1.0 / 9.0)));
  p = f32x4.add(f32x4.mul(p, s2), splat(<f32>(1.0 / 7.0)));
  p = f32x4.add(f32x4.mul(p, s2), splat(<f32>(1.0 / 5.0)));
  p = f32x4.add(f32x4.mul(p, s2), splat(<f32>(1.0 / 3.0)));
  p = f32x4.add(f32x4.mul(p, s2), splat(1.0));
  const log1pe = f32x4.mul(f32x4.add(s, s), p);
  v128.store(sp, f32x4.add(f32x4.max(c, splat(0)), log1pe));
  const r = f32x4.div(splat(1.0), f32x4.add(splat(1.0), e));
  v128.store(sg, v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(c, splat(0))));
}

// ---------------------------------------------------------------------------------------------
// Metric network with tangents

/**
 * Layer l: X_{l+1}[0] = act(W X_l[0] + b), X_{l+1}[1 + a] = act'(.) W X_l[1 + a] (for l = 0 the input
 * tangents are the unit vectors, so W X_0[1 + a] is column a of W). DH_{l+1} keeps the tangents
 * before the activation for the backward pass.
 */
function layerForward(l: i32): void {
  const nin = width(l);
  const nout = width(l + 1);
  const W = ptrAt(tW, l);
  const b = ptrAt(tB, l);
  const Xin = ptrAt(tX, l);
  const Xout = ptrAt(tX, l + 1);
  // Four output rows at a time share each load of the input (the loads, not the arithmetic, bound this).
  let o = 0;
  for (; o + 3 < nout; o += 4) {
    const r0 = W + (<usize>(o * nin) << 4);
    const r1 = r0 + (<usize>nin << 4);
    const r2 = r1 + (<usize>nin << 4);
    const r3 = r2 + (<usize>nin << 4);
    for (let k = 0; k < K; k++) {
      const out = Xout + (<usize>(k * nout + o) << 4);
      if (l == 0 && k > 0) {
        st(out, 0, ld(r0, k - 1));
        st(out, 1, ld(r1, k - 1));
        st(out, 2, ld(r2, k - 1));
        st(out, 3, ld(r3, k - 1));
        continue;
      }
      const xin = Xin + (<usize>(k * nin) << 4);
      let a0 = k == 0 ? ld(b, o) : splat(0);
      let a1 = k == 0 ? ld(b, o + 1) : splat(0);
      let a2 = k == 0 ? ld(b, o + 2) : splat(0);
      let a3 = k == 0 ? ld(b, o + 3) : splat(0);
      for (let i = 0; i < nin; i++) {
        const x = ld(xin, i);
        a0 = f32x4.add(a0, f32x4.mul(ld(r0, i), x));
        a1 = f32x4.add(a1, f32x4.mul(ld(r1, i), x));
        a2 = f32x4.add(a2, f32x4.mul(ld(r2, i), x));
        a3 = f32x4.add(a3, f32x4.mul(ld(r3, i), x));
      }
      st(out, 0, a0);
      st(out, 1, a1);
      st(out, 2, a2);
      st(out, 3, a3);
    }
  }
  for (; o < nout; o++) {
    const row = W + (<usize>(o * nin) << 4);
    for (let k = 0; k < K; k++) {
      let acc: v128;
      if (l == 0 && k > 0) {
        acc = ld(row, k - 1);
      } else {
        const xin = Xin + (<usize>(k * nin) << 4);
        acc = k == 0 ? ld(b, o) : splat(0);
        for (let i = 0; i < nin; i++) acc = f32x4.add(acc, f32x4.mul(ld(row, i), ld(xin, i)));
      }
      st(Xout, k * nout + o, acc);
    }
  }
  if (!isActivated(l)) return;
  const DH = ptrAt(tDH, l + 1);
  for (let o = 0; o < nout; o++) {
    const a = tanhv(ld(Xout, o));
    st(Xout, o, a);
    const s = f32x4.sub(splat(1.0), f32x4.mul(a, a));
    for (let k = 1; k < K; k++) {
      const dh = ld(Xout, k * nout + o);
      st(DH, (k - 1) * nout + o, dh);
      st(Xout, k * nout + o, f32x4.mul(s, dh));
    }
  }
}

/**
 * Backward of layer l: from the adjoints of X_{l+1} (XB_{l+1}) to the adjoints of X_l (XB_l, for
 * l > 0, or of x into pXBin for l = 0), accumulating the weight gradients. With a = tanh(h) and
 * s = 1 - a^2: dA = s dH, so  Hbar = s (Abar - 2 a sum_k dAbar_k dH_k),  dHbar_k = s dAbar_k.
 */
function layerBackward(l: i32): void {
  const nin = width(l);
  const nout = width(l + 1);
  const W = ptrAt(tW, l);
  const GW = ptrAt(tGW, l);
  const GB = ptrAt(tGB, l);
  const Xin = ptrAt(tX, l);
  const Xout = ptrAt(tX, l + 1);
  const XBo = ptrAt(tXB, l + 1);
  let HB = XBo;
  if (isActivated(l)) {
    HB = pHB;
    const DH = ptrAt(tDH, l + 1);
    for (let o = 0; o < nout; o++) {
      const a = ld(Xout, o);
      const s = f32x4.sub(splat(1.0), f32x4.mul(a, a));
      let sbar = splat(0);
      for (let k = 1; k < K; k++) {
        const dab = ld(XBo, k * nout + o);
        sbar = f32x4.add(sbar, f32x4.mul(dab, ld(DH, (k - 1) * nout + o)));
        st(HB, k * nout + o, f32x4.mul(s, dab));
      }
      st(HB, o, f32x4.mul(s, f32x4.sub(ld(XBo, o), f32x4.mul(f32x4.add(a, a), sbar))));
    }
  }
  // Weight gradients: Wbar[o, i] += Hbar_o x_i + sum_a dHbar_a,o dx_a,i (dx_a = e_a on layer 0).
  for (let o = 0; o < nout; o++) {
    const hb = ld(HB, o);
    st(GB, o, f32x4.add(ld(GB, o), hb));
    const grow = GW + (<usize>(o * nin) << 4);
    if (l == 0) {
      for (let i = 0; i < nin; i++) {
        st(grow, i, f32x4.add(ld(grow, i), f32x4.add(f32x4.mul(hb, ld(Xin, i)), ld(HB, (i + 1) * nout + o))));
      }
    } else if (K == 3) {
      // m = 2, the common case: the tangents' adjoints held in registers.
      const h1 = ld(HB, nout + o);
      const h2 = ld(HB, 2 * nout + o);
      const x1 = Xin + (<usize>nin << 4);
      const x2 = x1 + (<usize>nin << 4);
      for (let i = 0; i < nin; i++) {
        const acc = f32x4.add(f32x4.mul(hb, ld(Xin, i)), f32x4.add(f32x4.mul(h1, ld(x1, i)), f32x4.mul(h2, ld(x2, i))));
        st(grow, i, f32x4.add(ld(grow, i), acc));
      }
    } else {
      for (let i = 0; i < nin; i++) {
        let acc = f32x4.add(ld(grow, i), f32x4.mul(hb, ld(Xin, i)));
        for (let k = 1; k < K; k++) acc = f32x4.add(acc, f32x4.mul(ld(HB, k * nout + o), ld(Xin, k * nin + i)));
        st(grow, i, acc);
      }
    }
  }
  // Input adjoints: Xbar_l[k] = W^T Hbar[k], four inputs at a time (adjacent in each row of W).
  const kmax = l == 0 ? 1 : K;
  const XBi = l == 0 ? pXBin : ptrAt(tXB, l);
  for (let k = 0; k < kmax; k++) {
    const hk = HB + (<usize>(k * nout) << 4);
    const out = XBi + (<usize>(k * nin) << 4);
    let i = 0;
    for (; i + 3 < nin; i += 4) {
      let a0 = splat(0);
      let a1 = splat(0);
      let a2 = splat(0);
      let a3 = splat(0);
      for (let o = 0; o < nout; o++) {
        const w = W + (<usize>(o * nin + i) << 4);
        const hb = ld(hk, o);
        a0 = f32x4.add(a0, f32x4.mul(ld(w, 0), hb));
        a1 = f32x4.add(a1, f32x4.mul(ld(w, 1), hb));
        a2 = f32x4.add(a2, f32x4.mul(ld(w, 2), hb));
        a3 = f32x4.add(a3, f32x4.mul(ld(w, 3), hb));
      }
      st(out, i, a0);
      st(out, i + 1, a1);
      st(out, i + 2, a2);
      st(out, i + 3, a3);
    }
    for (; i < nin; i++) {
      let acc = splat(0);
      for (let o = 0; o < nout; o++) acc = f32x4.add(acc, f32x4.mul(ld(W, o * nin + i), ld(hk, o)));
      st(out, i, acc);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Geodesic field

/** Solves F F^T out = rhs (F lower triangular, m x m), lane by lane. */
function cholSolve(rhs: usize, out: usize): void {
  const m = M;
  for (let i = 0; i < m; i++) {
    let s = ld(rhs, i);
    for (let k = 0; k < i; k++) s = f32x4.sub(s, f32x4.mul(ld(pF, i * m + k), ld(pT, k)));
    st(pT, i, f32x4.div(s, ld(pF, i * m + i)));
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = ld(pT, i);
    for (let k = i + 1; k < m; k++) s = f32x4.sub(s, f32x4.mul(ld(pF, k * m + i), ld(out, k)));
    st(out, i, f32x4.div(s, ld(pF, i * m + i)));
  }
}

/** f(z) into fp for z = (x, v) at zp: runs the network, then `geometryForward`. */
function fieldForward(zp: usize, fp: usize): void {
  const X0 = ptrAt(tX, 0);
  for (let i = 0; i < M; i++) st(X0, i, ld(zp, i));
  for (let l = 0; l < NL; l++) layerForward(l);
  geometryForward(zp, fp);
}

/** f(z) into fp from the network's output c, dc (tX[NL]): fills L, dL, u, q, dLv, F, r, y. */
function geometryForward(zp: usize, fp: usize): void {
  const m = M;
  const mm = m * m;
  const C = ptrAt(tX, NL);
  const v = zp + (<usize>m << 4);
  // L and dL_a from c and dc_a (upper triangles stay unused).
  let p = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++, p++) {
      const ij = i * m + j;
      if (i == j) {
        softplusSigmoid(ld(C, p), pL + (<usize>ij << 4), pSG + (<usize>i << 4));
        const sg = ld(pSG, i);
        for (let a = 0; a < m; a++) st(pDL, a * mm + ij, f32x4.mul(sg, ld(C, (a + 1) * P + p)));
      } else {
        st(pL, ij, ld(C, p));
        for (let a = 0; a < m; a++) st(pDL, a * mm + ij, ld(C, (a + 1) * P + p));
      }
    }
  }
  // dLv = sum_a v^a dL_a; u = L^T v; q = dLv^T v.
  for (let j = 0; j < m; j++) {
    for (let k = 0; k <= j; k++) {
      let s = splat(0);
      for (let a = 0; a < m; a++) s = f32x4.add(s, f32x4.mul(ld(v, a), ld(pDL, a * mm + j * m + k)));
      st(pDLV, j * m + k, s);
    }
  }
  for (let k = 0; k < m; k++) {
    let su = splat(0);
    let sq = splat(0);
    for (let j = k; j < m; j++) {
      su = f32x4.add(su, f32x4.mul(ld(pL, j * m + k), ld(v, j)));
      sq = f32x4.add(sq, f32x4.mul(ld(pDLV, j * m + k), ld(v, j)));
    }
    st(pU, k, su);
    st(pQ, k, sq);
  }
  // r_i = (dLv u + L q)_i - v^T dL_i u.
  for (let i = 0; i < m; i++) {
    let s = splat(0);
    for (let k = 0; k <= i; k++) {
      s = f32x4.add(s, f32x4.add(f32x4.mul(ld(pDLV, i * m + k), ld(pU, k)), f32x4.mul(ld(pL, i * m + k), ld(pQ, k))));
    }
    for (let j = 0; j < m; j++) {
      let w = splat(0);
      for (let k = 0; k <= j; k++) w = f32x4.add(w, f32x4.mul(ld(pDL, i * mm + j * m + k), ld(pU, k)));
      s = f32x4.sub(s, f32x4.mul(ld(v, j), w));
    }
    st(pR, i, s);
  }
  if (REG != 0) {
    // F = chol(I + L L^T).
    for (let i = 0; i < m; i++) {
      for (let j = 0; j <= i; j++) {
        let s = i == j ? splat(1.0) : splat(0);
        for (let k = 0; k <= j; k++) s = f32x4.add(s, f32x4.mul(ld(pL, i * m + k), ld(pL, j * m + k)));
        for (let k = 0; k < j; k++) s = f32x4.sub(s, f32x4.mul(ld(pFS, i * m + k), ld(pFS, j * m + k)));
        st(pFS, i * m + j, i == j ? f32x4.sqrt(s) : f32x4.div(s, ld(pFS, j * m + j)));
      }
    }
  }
  cholSolve(pR, pY);
  for (let i = 0; i < m; i++) {
    st(fp, i, ld(v, i));
    st(fp, m + i, f32x4.neg(ld(pY, i)));
  }
}

/**
 * Vector-Jacobian product of the field at zp: zb = (df/dz)^T lam, and the weight gradients
 * accumulate (df/dW)^T lam. Re-evaluates the field first: only its geometry when `kept` (the
 * network's activations are bound, see bindActivations), else the whole of it.
 */
function fieldBackward(zp: usize, lam: usize, zb: usize, kept: bool): void {
  const m = M;
  const mm = m * m;
  if (kept) {
    const X0 = ptrAt(tX, 0);
    for (let i = 0; i < m; i++) st(X0, i, ld(zp, i));
    geometryForward(zp, pFX);
  } else {
    fieldForward(zp, pFX);
  }
  const v = zp + (<usize>m << 4);
  // y solves g y = r and acc = -y: ybar = -lam_acc, rbar = g^{-1} ybar, gbar = -rbar y^T.
  for (let i = 0; i < m; i++) st(pLY, i, f32x4.neg(ld(lam, m + i))); // ybar, then L^T y below
  cholSolve(pLY, pRB);
  for (let k = 0; k < m; k++) {
    let sy = splat(0);
    let sr = splat(0);
    for (let j = k; j < m; j++) {
      sy = f32x4.add(sy, f32x4.mul(ld(pL, j * m + k), ld(pY, j)));
      sr = f32x4.add(sr, f32x4.mul(ld(pL, j * m + k), ld(pRB, j)));
    }
    st(pLY, k, sy); // L^T y
    st(pLR, k, sr); // L^T rbar = qbar
  }
  // Through g = L L^T (+ I): Lbar = (gbar + gbar^T) L; through L q: Lbar += rbar q^T.
  // Through dLv u: dLvbar = rbar u^T; ubar = dLv^T rbar.
  for (let i = 0; i < m; i++) {
    const rb = ld(pRB, i);
    const y = ld(pY, i);
    for (let k = 0; k <= i; k++) {
      const lb = f32x4.sub(f32x4.mul(rb, ld(pQ, k)), f32x4.add(f32x4.mul(rb, ld(pLY, k)), f32x4.mul(y, ld(pLR, k))));
      st(pLB, i * m + k, lb);
      st(pDLVB, i * m + k, f32x4.mul(rb, ld(pU, k)));
    }
  }
  for (let k = 0; k < m; k++) {
    let s = splat(0);
    for (let j = k; j < m; j++) s = f32x4.add(s, f32x4.mul(ld(pDLV, j * m + k), ld(pRB, j)));
    st(pUB, k, s);
  }
  for (let j = 0; j < m; j++) st(pVB, j, ld(lam, j));
  // term2_i = v^T dL_i u with adjoint -rbar_i.
  for (let i = 0; i < m; i++) {
    const t = f32x4.neg(ld(pRB, i));
    for (let j = 0; j < m; j++) {
      const tv = f32x4.mul(t, ld(v, j));
      let w = splat(0);
      for (let k = 0; k <= j; k++) {
        const d = ld(pDL, i * mm + j * m + k);
        st(pDLB, i * mm + j * m + k, f32x4.mul(tv, ld(pU, k)));
        w = f32x4.add(w, f32x4.mul(d, ld(pU, k)));
        st(pUB, k, f32x4.add(ld(pUB, k), f32x4.mul(tv, d)));
      }
      st(pVB, j, f32x4.add(ld(pVB, j), f32x4.mul(t, w)));
    }
  }
  // q = dLv^T v: dLvbar += v qbar^T, vbar += dLv qbar (qbar = L^T rbar).
  for (let j = 0; j < m; j++) {
    let s = splat(0);
    for (let k = 0; k <= j; k++) {
      st(pDLVB, j * m + k, f32x4.add(ld(pDLVB, j * m + k), f32x4.mul(ld(v, j), ld(pLR, k))));
      s = f32x4.add(s, f32x4.mul(ld(pDLV, j * m + k), ld(pLR, k)));
    }
    st(pVB, j, f32x4.add(ld(pVB, j), s));
  }
  // dLv = sum_a v^a dL_a: dL_a bar += v^a dLvbar, vbar_a += <dL_a, dLvbar>.
  for (let a = 0; a < m; a++) {
    const va = ld(v, a);
    let s = splat(0);
    for (let j = 0; j < m; j++) {
      for (let k = 0; k <= j; k++) {
        const idx = a * mm + j * m + k;
        const dlvb = ld(pDLVB, j * m + k);
        st(pDLB, idx, f32x4.add(ld(pDLB, idx), f32x4.mul(va, dlvb)));
        s = f32x4.add(s, f32x4.mul(ld(pDL, idx), dlvb));
      }
    }
    st(pVB, a, f32x4.add(ld(pVB, a), s));
  }
  // u = L^T v: Lbar += v ubar^T, vbar += L ubar.
  for (let j = 0; j < m; j++) {
    const vj = ld(v, j);
    let s = splat(0);
    for (let k = 0; k <= j; k++) {
      st(pLB, j * m + k, f32x4.add(ld(pLB, j * m + k), f32x4.mul(vj, ld(pUB, k))));
      s = f32x4.add(s, f32x4.mul(ld(pL, j * m + k), ld(pUB, k)));
    }
    st(pVB, j, f32x4.add(ld(pVB, j), s));
  }
  // L, dL_a from c, dc_a: softplus' = sigmoid and sigmoid' = sg (1 - sg) on the diagonal.
  const C = ptrAt(tX, NL);
  const CB = ptrAt(tXB, NL);
  let p = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++, p++) {
      const ij = i * m + j;
      if (i == j) {
        const sg = ld(pSG, i);
        const curv = f32x4.mul(sg, f32x4.sub(splat(1.0), sg));
        let cb = f32x4.mul(ld(pLB, ij), sg);
        for (let a = 0; a < m; a++) {
          const dlb = ld(pDLB, a * mm + ij);
          cb = f32x4.add(cb, f32x4.mul(f32x4.mul(dlb, ld(C, (a + 1) * P + p)), curv));
          st(CB, (a + 1) * P + p, f32x4.mul(dlb, sg));
        }
        st(CB, p, cb);
      } else {
        st(CB, p, ld(pLB, ij));
        for (let a = 0; a < m; a++) st(CB, (a + 1) * P + p, ld(pDLB, a * mm + ij));
      }
    }
  }
  for (let l = NL - 1; l >= 0; l--) layerBackward(l);
  for (let i = 0; i < m; i++) {
    st(zb, i, ld(pXBin, i));
    st(zb, m + i, ld(pVB, i));
  }
}

// ---------------------------------------------------------------------------------------------
// RK4 over a batch

/** The 4 rows of group g, column `col`, of a row-major f32 matrix with `cols` columns, as lanes. */
@inline function gatherRows(src: usize, g: i32, cols: i32, col: i32): v128 {
  const base = src + ((<usize>(4 * g * cols + col)) << 2);
  const stride = <usize>cols << 2;
  let r = f32x4.splat(load<f32>(base));
  r = f32x4.replace_lane(r, 1, load<f32>(base + stride));
  r = f32x4.replace_lane(r, 2, load<f32>(base + 2 * stride));
  r = f32x4.replace_lane(r, 3, load<f32>(base + 3 * stride));
  return r;
}

@inline function scatterRows(dst: usize, g: i32, cols: i32, col: i32, x: v128): void {
  const base = dst + ((<usize>(4 * g * cols + col)) << 2);
  const stride = <usize>cols << 2;
  store<f32>(base, f32x4.extract_lane(x, 0));
  store<f32>(base + stride, f32x4.extract_lane(x, 1));
  store<f32>(base + 2 * stride, f32x4.extract_lane(x, 2));
  store<f32>(base + 3 * stride, f32x4.extract_lane(x, 3));
}

@inline function stagePtr(g: i32, steps: i32, n: i32, s: i32): usize {
  return pStages + ((<usize>(((g * steps + n) * 4 + s) * 2 * M)) << 4);
}

/** Writes point n of the trajectory (rows [B, steps + 1, 2m]) of group g from pZ. */
function writePoint(traj: usize, g: i32, steps: i32, n: i32, z: usize): void {
  const d = 2 * M;
  const T = steps + 1;
  for (let j = 0; j < 4; j++) {
    const row = traj + ((<usize>(((4 * g + j) * T + n) * d)) << 2);
    for (let k = 0; k < d; k++) store<f32>(row + (<usize>k << 2), load<f32>(z + (<usize>k << 4) + (<usize>j << 2)));
  }
}

/** Adds point n of a trajectory cotangent (rows [B, steps + 1, 2m]) of group g into zb. */
function addPoint(trajBar: usize, g: i32, steps: i32, n: i32, zb: usize): void {
  const d = 2 * M;
  const T = steps + 1;
  for (let j = 0; j < 4; j++) {
    const row = trajBar + ((<usize>(((4 * g + j) * T + n) * d)) << 2);
    for (let k = 0; k < d; k++) {
      const at = zb + (<usize>k << 4) + (<usize>j << 2);
      store<f32>(at, load<f32>(at) + load<f32>(row + (<usize>k << 2)));
    }
  }
}

/** out = z + c * (h * k), 2m vectors. */
@inline function axpyStage(out: usize, z: usize, c: f32, h: v128, k: usize): void {
  const d = 2 * M;
  for (let i = 0; i < d; i++) st(out, i, f32x4.add(ld(z, i), f32x4.mul(f32x4.mul(ld(k, i), h), splat(c))));
}

/**
 * The geodesic from z0 (f32 [4 groups, 2m] row-major) with per-sample steps h (f32 [4 groups]):
 * end points into `out` (same layout as z0) and, when traj != 0, every point into traj
 * ([4 groups, steps + 1, 2m]). Stage inputs are kept for `backward`, and so are the network's
 * activations when configured to keep them.
 */
export function forward(z0: usize, h: usize, groups: i32, steps: i32, out: usize, traj: usize): void {
  const d = 2 * M;
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < d; k++) st(pZ, k, gatherRows(z0, g, d, k));
    const hv = v128.load(h + (<usize>g << 4));
    if (traj != 0) writePoint(traj, g, steps, 0, pZ);
    for (let n = 0; n < steps; n++) {
      const s1 = stagePtr(g, steps, n, 0);
      const s2 = stagePtr(g, steps, n, 1);
      const s3 = stagePtr(g, steps, n, 2);
      const s4 = stagePtr(g, steps, n, 3);
      const keep = pActs != 0;
      for (let i = 0; i < d; i++) st(s1, i, ld(pZ, i));
      if (keep) bindActivations(g, steps, n, 0);
      fieldForward(s1, pK1);
      axpyStage(s2, pZ, 0.5, hv, pK1);
      if (keep) bindActivations(g, steps, n, 1);
      fieldForward(s2, pK2);
      axpyStage(s3, pZ, 0.5, hv, pK2);
      if (keep) bindActivations(g, steps, n, 2);
      fieldForward(s3, pK3);
      axpyStage(s4, pZ, 1.0, hv, pK3);
      if (keep) bindActivations(g, steps, n, 3);
      fieldForward(s4, pK4);
      for (let i = 0; i < d; i++) {
        const a = f32x4.mul(f32x4.mul(ld(pK1, i), hv), splat(<f32>(1.0 / 6.0)));
        const b = f32x4.mul(f32x4.mul(ld(pK2, i), hv), splat(<f32>(1.0 / 3.0)));
        const c = f32x4.mul(f32x4.mul(ld(pK3, i), hv), splat(<f32>(1.0 / 3.0)));
        const e = f32x4.mul(f32x4.mul(ld(pK4, i), hv), splat(<f32>(1.0 / 6.0)));
        st(pZ, i, f32x4.add(ld(pZ, i), f32x4.add(f32x4.add(a, b), f32x4.add(c, e))));
      }
      if (traj != 0) writePoint(traj, g, steps, n + 1, pZ);
    }
    for (let k = 0; k < d; k++) scatterRows(out, g, d, k, ld(pZ, k));
  }
  unbindActivations();
}

/** kb = kb + c * h * zs over 2m vectors. */
@inline function addScaled(kb: usize, c: f32, h: v128, zs: usize): void {
  const d = 2 * M;
  for (let i = 0; i < d; i++) st(kb, i, f32x4.add(ld(kb, i), f32x4.mul(f32x4.mul(ld(zs, i), h), splat(c))));
}

/**
 * Discrete adjoint of `forward` (which must have run with the same configuration, or have had its
 * stage inputs restored): from the cotangents of the end points (outBar, [4 groups, 2m], or 0) and
 * of the trajectory (trajBar, [4 groups, steps + 1, 2m], or 0) to d/dz0 (z0Bar, like z0) and the
 * weight gradients (grads, f32 in the layout of `params`). `kept` != 0 re-uses the activations the
 * last `forward` kept (it must have been this one's forward, configured to keep them).
 */
export function backward(h: usize, groups: i32, steps: i32, outBar: usize, trajBar: usize, z0Bar: usize, grads: usize, kept: i32): void {
  const useKept = kept != 0 && pActs != 0;
  const d = 2 * M;
  for (let l = 0; l < NL; l++) {
    const nw = width(l) * width(l + 1);
    const GW = ptrAt(tGW, l);
    const GB = ptrAt(tGB, l);
    for (let i = 0; i < nw; i++) st(GW, i, splat(0));
    for (let i = 0; i < width(l + 1); i++) st(GB, i, splat(0));
  }
  for (let g = 0; g < groups; g++) {
    const hv = v128.load(h + (<usize>g << 4));
    for (let k = 0; k < d; k++) st(pZB, k, outBar != 0 ? gatherRows(outBar, g, d, k) : splat(0));
    if (trajBar != 0) addPoint(trajBar, g, steps, steps, pZB);
    for (let n = steps - 1; n >= 0; n--) {
      for (let i = 0; i < d; i++) {
        const zb = ld(pZB, i);
        st(pZN, i, zb);
        st(pK1, i, f32x4.mul(f32x4.mul(zb, hv), splat(<f32>(1.0 / 6.0))));
        st(pK2, i, f32x4.mul(f32x4.mul(zb, hv), splat(<f32>(1.0 / 3.0))));
        st(pK3, i, f32x4.mul(f32x4.mul(zb, hv), splat(<f32>(1.0 / 3.0))));
        st(pK4, i, f32x4.mul(f32x4.mul(zb, hv), splat(<f32>(1.0 / 6.0))));
      }
      if (useKept) bindActivations(g, steps, n, 3);
      fieldBackward(stagePtr(g, steps, n, 3), pK4, pSB, useKept);
      for (let i = 0; i < d; i++) st(pZN, i, f32x4.add(ld(pZN, i), ld(pSB, i)));
      addScaled(pK3, 1.0, hv, pSB);
      if (useKept) bindActivations(g, steps, n, 2);
      fieldBackward(stagePtr(g, steps, n, 2), pK3, pSB, useKept);
      for (let i = 0; i < d; i++) st(pZN, i, f32x4.add(ld(pZN, i), ld(pSB, i)));
      addScaled(pK2, 0.5, hv, pSB);
      if (useKept) bindActivations(g, steps, n, 1);
      fieldBackward(stagePtr(g, steps, n, 1), pK2, pSB, useKept);
      for (let i = 0; i < d; i++) st(pZN, i, f32x4.add(ld(pZN, i), ld(pSB, i)));
      addScaled(pK1, 0.5, hv, pSB);
      if (useKept) bindActivations(g, steps, n, 0);
      fieldBackward(stagePtr(g, steps, n, 0), pK1, pSB, useKept);
      for (let i = 0; i < d; i++) st(pZB, i, f32x4.add(ld(pZN, i), ld(pSB, i)));
      if (trajBar != 0) addPoint(trajBar, g, steps, n, pZB);
    }
    for (let k = 0; k < d; k++) scatterRows(z0Bar, g, d, k, ld(pZB, k));
  }
  unbindActivations();
  // Lane sums of the accumulators, in the layout of the parameters.
  let dst = grads;
  for (let l = 0; l < NL; l++) {
    const nw = width(l) * width(l + 1);
    const GW = ptrAt(tGW, l);
    const GB = ptrAt(tGB, l);
    for (let i = 0; i < nw; i++) {
      store<f32>(dst, laneSum(ld(GW, i)));
      dst += 4;
    }
    for (let i = 0; i < width(l + 1); i++) {
      store<f32>(dst, laneSum(ld(GB, i)));
      dst += 4;
    }
  }
}

@inline function laneSum(x: v128): f32 {
  return f32x4.extract_lane(x, 0) + f32x4.extract_lane(x, 1) + f32x4.extract_lane(x, 2) + f32x4.extract_lane(x, 3);
}

/** tanh on n lanes-of-4 (for testing the approximation against Math.tanh): out[i] = tanh(x[i]). */
export function tanhBatch(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) st(out, i, tanhv(ld(x, i)));
}
