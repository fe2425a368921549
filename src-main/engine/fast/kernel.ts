/**
 * The fused geodesic RK4 kernel (./assembly/geodesicRk4.ts) behind a plain Float32Array interface.
 *
 * One `GeodesicRk4Kernel` owns one WebAssembly instance and its memory. A call lays out the memory
 * as [layer widths | weights | z0 | h | outputs | cotangents | work area]; the batch is padded with
 * zero rows to a multiple of 4 (one sample per SIMD lane; padded rows have h = 0 and zero
 * cotangents, so they change nothing). The forward pass returns the stage inputs of every RK4 step;
 * the backward pass takes them back, so that any number of forward calls may run in between.
 */
import { GEODESIC_RK4_WASM_BASE64 } from './geodesicRk4Wasm';

/** What the kernel needs to know of a metric network. */
export interface MetricNetworkShape {
  /** Layer widths [m, hidden..., m(m+1)/2]. */
  sizes: readonly number[];
  /** NN_metric_regularized: tanh on the last layer and g = I + L L^T. */
  regularized: boolean;
}

export interface GeodesicRun {
  /** z(t) for every sample, [B, 2m] row-major. */
  out: Float32Array;
  /** Every point of every geodesic, [B, steps + 1, 2m], when asked for. */
  trajectory: Float32Array | null;
  /** Stage inputs, opaque: hand back to `backward`. */
  stages: Float32Array;
}

export interface GeodesicGradients {
  /** d loss / d z0, [B, 2m]. */
  z0: Float32Array;
  /** d loss / d weights, in the layout of the weights (per layer W [out, in] then b). */
  weights: Float32Array;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  ensureMemory(end: number): void;
  configure(m: number, nl: number, reg: number, sizes: number, params: number, work: number, groups: number, steps: number): number;
  forward(z0: number, h: number, groups: number, steps: number, out: number, traj: number): void;
  backward(h: number, groups: number, steps: number, outBar: number, trajBar: number, z0Bar: number, grads: number): void;
  tanhBatch(x: number, out: number, n: number): void;
}

let compiled: WebAssembly.Module | null = null;

/** The compiled module (compiled once per process: it is immutable and shareable). */
function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(GEODESIC_RK4_WASM_BASE64, 'base64'));
  return compiled;
}

/** Whether this JavaScript engine runs WebAssembly SIMD (the kernel needs it). */
export function fastKernelSupported(): boolean {
  try {
    kernelModule();
    return true;
  } catch {
    return false;
  }
}

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Byte offsets of one call's buffers. */
interface Layout {
  sizes: number;
  params: number;
  z0: number;
  h: number;
  out: number;
  traj: number;
  outBar: number;
  trajBar: number;
  z0Bar: number;
  grads: number;
  work: number;
}

export function weightCount(sizes: readonly number[]): number {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l + 1]! * (sizes[l]! + 1);
  return n;
}

export class GeodesicRk4Kernel {
  private readonly exports: KernelExports;

  constructor() {
    this.exports = new WebAssembly.Instance(kernelModule(), {}).exports as unknown as KernelExports;
  }

  private layout(shape: MetricNetworkShape, rows: number, steps: number, trajectory: boolean): Layout {
    const d = 2 * shape.sizes[0]!;
    const pointBytes = rows * d * 4;
    const trajBytes = trajectory ? rows * (steps + 1) * d * 4 : 0;
    let at = this.exports.heapBase();
    const next = (bytes: number) => {
      const p = at;
      at += align16(bytes);
      return p;
    };
    const sizes = next(shape.sizes.length * 4);
    const params = next(weightCount(shape.sizes) * 4);
    const z0 = next(pointBytes);
    const h = next(rows * 4);
    const out = next(pointBytes);
    const traj = trajectory ? next(trajBytes) : 0;
    const outBar = next(pointBytes);
    const trajBar = trajectory ? next(trajBytes) : 0;
    const z0Bar = next(pointBytes);
    const grads = next(weightCount(shape.sizes) * 4);
    return { sizes, params, z0, h, out, traj, outBar, trajBar, z0Bar, grads, work: at };
  }

  /** Writes the widths, weights, z0 and h, and configures the kernel; returns the stage area. */
  private prepare(shape: MetricNetworkShape, weights: Float32Array, h: Float32Array, rows: number, steps: number, at: Layout): { offset: number; length: number } {
    const x = this.exports;
    try {
      x.ensureMemory(at.work);
    } catch (err) {
      throw new Error(`geodesic kernel: no memory for ${rows} samples x ${steps} steps: ${err instanceof Error ? err.message : String(err)}`);
    }
    const m = shape.sizes[0]!;
    new Int32Array(x.memory.buffer, at.sizes, shape.sizes.length).set(shape.sizes);
    new Float32Array(x.memory.buffer, at.params, weights.length).set(weights);
    const hs = new Float32Array(x.memory.buffer, at.h, rows);
    hs.fill(0);
    hs.set(h);
    let end: number;
    try {
      end = x.configure(m, shape.sizes.length - 1, shape.regularized ? 1 : 0, at.sizes, at.params, at.work, rows / 4, steps);
    } catch (err) {
      // The only trap in configure is a failed memory.grow.
      throw new Error(`geodesic kernel: no memory for ${rows} samples x ${steps} steps (m = ${m}): ${err instanceof Error ? err.message : String(err)}`);
    }
    const length = (rows / 4) * steps * 4 * 2 * m * 4; // v128 = 4 f32 per value
    return { offset: end - length * 4, length };
  }

  /** The geodesics from z0 ([B, 2m]) with per-sample step h ([B]) for `steps` RK4 steps. */
  forward(shape: MetricNetworkShape, weights: Float32Array, z0: Float32Array, h: Float32Array, steps: number, trajectory: boolean): GeodesicRun {
    const d = 2 * shape.sizes[0]!;
    const B = h.length;
    const rows = Math.ceil(B / 4) * 4;
    const at = this.layout(shape, rows, steps, trajectory);
    const stages = this.prepare(shape, weights, h, rows, steps, at);
    const x = this.exports;
    const z = new Float32Array(x.memory.buffer, at.z0, rows * d);
    z.fill(0);
    z.set(z0.subarray(0, B * d));
    x.forward(at.z0, at.h, rows / 4, steps, at.out, at.traj);
    const mem = x.memory.buffer;
    return {
      out: new Float32Array(mem, at.out, B * d).slice(),
      trajectory: trajectory ? new Float32Array(mem, at.traj, B * (steps + 1) * d).slice() : null,
      stages: new Float32Array(mem, stages.offset, stages.length).slice(),
    };
  }

  /**
   * Gradients through a `forward` run with the same shape, weights, h and steps, from the
   * cotangent of its end points (`outBar`, [B, 2m]) or of its trajectory (`trajectoryBar`).
   */
  backward(
    shape: MetricNetworkShape,
    weights: Float32Array,
    h: Float32Array,
    steps: number,
    run: GeodesicRun,
    outBar: Float32Array | null,
    trajectoryBar: Float32Array | null,
  ): GeodesicGradients {
    const d = 2 * shape.sizes[0]!;
    const B = h.length;
    const rows = Math.ceil(B / 4) * 4;
    const at = this.layout(shape, rows, steps, trajectoryBar !== null);
    const stages = this.prepare(shape, weights, h, rows, steps, at);
    const x = this.exports;
    const mem = x.memory.buffer;
    if (stages.length !== run.stages.length) throw new Error('geodesic kernel: backward called with a different shape than its forward run');
    new Float32Array(mem, stages.offset, stages.length).set(run.stages);
    const ob = new Float32Array(mem, at.outBar, rows * d);
    ob.fill(0);
    if (outBar) ob.set(outBar.subarray(0, B * d));
    if (trajectoryBar) {
      const tb = new Float32Array(mem, at.trajBar, rows * (steps + 1) * d);
      tb.fill(0);
      tb.set(trajectoryBar.subarray(0, B * (steps + 1) * d));
    }
    x.backward(at.h, rows / 4, steps, outBar ? at.outBar : 0, trajectoryBar ? at.trajBar : 0, at.z0Bar, at.grads);
    return {
      z0: new Float32Array(mem, at.z0Bar, B * d).slice(),
      weights: new Float32Array(mem, at.grads, weightCount(shape.sizes)).slice(),
    };
  }

  /** The kernel's tanh on xs (for testing its accuracy). */
  tanh(xs: Float32Array): Float32Array {
    const x = this.exports;
    const n = Math.ceil(xs.length / 4) * 4;
    const base = x.heapBase();
    x.ensureMemory(base + 8 * n);
    new Float32Array(x.memory.buffer, base, n).set(xs);
    x.tanhBatch(base, base + 4 * n, n / 4);
    return new Float32Array(x.memory.buffer, base + 4 * n, xs.length).slice();
  }
}
