/**
 * The fused geodesic RK4 kernel (./assembly/geodesicRk4.ts) behind a plain Float32Array interface.
 *
 * One `GeodesicRk4Kernel` owns one or more WebAssembly instances ("shards"), each with its own
 * shared memory: the calling thread's, and optionally more on helper threads, each computing its
 * part of the batch at the same time (the weight gradients of the parts add up). A call lays out a
 * shard's memory as [layer widths | weights | z0 | h | outputs | cotangents | work area]; a part is
 * padded with zero rows to a multiple of 4 (one sample per SIMD lane; padded rows have h = 0 and
 * zero cotangents, so they change nothing). The forward pass returns the stage inputs of every RK4
 * step; the backward pass takes them back, so that any number of forward calls may run in between.
 * The forward pass also leaves the metric network's activations in each shard's memory (up to
 * KEPT_ACTIVATIONS_BUDGET bytes a shard); a backward pass of the run that is still in memory (no
 * other forward call since: the usual forward-then-backward of a training step) re-uses them
 * instead of re-running the network, which makes it about a third cheaper.
 */
import { Worker } from 'node:worker_threads';
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
  /** Stage inputs of each part of the batch, opaque: hand back to `backward`. */
  stages: Float32Array[];
  /** Which forward call of its kernel this was (1, 2, ...). */
  id: number;
}

export interface GeodesicGradients {
  /** d loss / d z0, [B, 2m]. */
  z0: Float32Array;
  /** d loss / d weights, in the layout of the weights (per layer W [out, in] then b). */
  weights: Float32Array;
}

/** The kernel's exports (pointers are byte offsets into its memory). */
const KERNEL_FUNCTIONS = ['heapBase', 'configure', 'forward', 'backward', 'tanhBatch'] as const;
type KernelFunction = (typeof KERNEL_FUNCTIONS)[number];

/** Largest memory of one kernel instance, in 64 KiB pages (as built: --maximumMemory). */
const MAXIMUM_PAGES = 32768;

/**
 * Most bytes of network activations a shard keeps for the backward pass (toy model A at batch 512
 * needs 126 MiB); beyond it the backward pass re-runs the network instead.
 */
export const KEPT_ACTIVATIONS_BUDGET = 256 * 2 ** 20;

/** Bytes of activations one forward pass keeps: per stage of every step, each layer's value, tangents and pre-activation tangents. */
export function keptActivationBytes(shape: MetricNetworkShape, rows: number, steps: number): number {
  const m = shape.sizes[0]!;
  const L = shape.sizes.length - 1;
  let vectors = 0;
  for (let l = 1; l <= L; l++) vectors += (1 + m) * shape.sizes[l]! + (l < L || shape.regularized ? m * shape.sizes[l]! : 0);
  return (rows / 4) * steps * 4 * vectors * 16;
}

let compiled: WebAssembly.Module | null = null;

/** The compiled module (compiled once per process: it is immutable and shareable). */
function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(GEODESIC_RK4_WASM_BASE64, 'base64'));
  return compiled;
}

/** Whether this JavaScript engine runs the kernel (WebAssembly SIMD and shared memory). */
export function fastKernelSupported(): boolean {
  try {
    kernelModule();
    return typeof SharedArrayBuffer === 'function';
  } catch {
    return false;
  }
}

/**
 * Runs kernel functions on one instance: `start` then `wait` for the result. A local executor runs
 * at `start`; a thread executor returns at once and `wait` blocks until its thread is done, so the
 * calling thread can work on another part of the batch meanwhile.
 */
interface Executor {
  start(fn: KernelFunction, args: readonly number[]): void;
  wait(): number;
  /** Ends the helper thread, if any. */
  close(): void;
}

function localExecutor(memory: WebAssembly.Memory): Executor {
  const exports = new WebAssembly.Instance(kernelModule(), { env: { memory } }).exports as Record<KernelFunction, (...a: number[]) => number | undefined>;
  let result = 0;
  return {
    start: (fn, args) => void (result = exports[fn](...args) ?? 0),
    wait: () => result,
    close: () => {},
  };
}

/**
 * The helper thread: its own instance on the caller's shared memory, driven through a control block
 * (flags: [requests sent, requests done, failed]; slots: [function, argument count, arguments...,
 * result]) with Atomics, so the caller can block without an event loop turn (inside a TF.js op).
 */
const THREAD_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, names } = workerData;
const kernel = new WebAssembly.Instance(module, { env: { memory } }).exports;
const flags = new Int32Array(control, 0, 4);
const slots = new Float64Array(control, 16, 16);
let seen = 0;
for (;;) {
  Atomics.wait(flags, 0, seen);
  seen = Atomics.load(flags, 0);
  try {
    const args = [];
    for (let i = 0; i < slots[1]; i++) args.push(slots[2 + i]);
    slots[15] = kernel[names[slots[0]]](...args) ?? 0;
    flags[2] = 0;
  } catch (err) {
    flags[2] = 1;
  }
  Atomics.store(flags, 1, seen);
  Atomics.notify(flags, 1);
}`;

function threadExecutor(memory: WebAssembly.Memory): Executor {
  const control = new SharedArrayBuffer(16 + 8 * 16);
  const flags = new Int32Array(control, 0, 4);
  const slots = new Float64Array(control, 16, 16);
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { module: kernelModule(), memory, control, names: KERNEL_FUNCTIONS } });
  worker.unref(); // an idle helper must not keep the process alive
  let sent = 0;
  return {
    start(fn, args) {
      slots[0] = KERNEL_FUNCTIONS.indexOf(fn);
      slots[1] = args.length;
      args.forEach((a, i) => (slots[2 + i] = a));
      Atomics.store(flags, 0, ++sent);
      Atomics.notify(flags, 0);
    },
    wait() {
      for (let done = Atomics.load(flags, 1); done !== sent; done = Atomics.load(flags, 1)) Atomics.wait(flags, 1, done);
      if (flags[2] !== 0) throw new Error('geodesic kernel: the helper thread trapped (out of memory?)');
      return slots[15]!;
    },
    close: () => void worker.terminate(),
  };
}

/** One kernel instance with its memory. */
interface Shard {
  memory: WebAssembly.Memory;
  run: Executor;
  /** The forward run whose network activations this shard's memory holds, if any. */
  keptRun: number | null;
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

/** Rows [start, end) of the batch for each shard: multiples of 4, the last one padded. */
function parts(B: number, shards: number): [number, number][] {
  const chunk = Math.ceil(B / shards / 4) * 4;
  const out: [number, number][] = [];
  for (let start = 0; start < B; start += chunk) out.push([start, Math.min(B, start + chunk)]);
  return out;
}

export class GeodesicRk4Kernel {
  /** Thread shards first, the calling thread's last (it starts after the others are under way). */
  private readonly shards: Shard[];
  private readonly heapBase: number;
  private disposed = false;
  private forwardRuns = 0;

  /** `threads` >= 1 instances; all but one run on helper threads, each on its part of the batch. */
  constructor(threads = 1) {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`geodesic kernel: threads must be a whole number >= 1, got ${threads}`);
    const memory = () => new WebAssembly.Memory({ initial: 1, maximum: MAXIMUM_PAGES, shared: true });
    this.shards = Array.from({ length: threads }, (_, i) => {
      const mem = memory();
      return { memory: mem, run: i < threads - 1 ? threadExecutor(mem) : localExecutor(mem), keptRun: null };
    });
    const local = this.shards[threads - 1]!.run;
    local.start('heapBase', []);
    this.heapBase = local.wait();
  }

  private call(shard: Shard, fn: KernelFunction, args: readonly number[]): number {
    shard.run.start(fn, args);
    return shard.run.wait();
  }

  /** A disposed kernel's helper threads are gone: waiting on them would block for ever. */
  private checkOpen(): void {
    if (this.disposed) throw new Error('geodesic kernel: used after dispose()');
  }

  private layout(shape: MetricNetworkShape, rows: number, steps: number, trajectory: boolean): Layout {
    const d = 2 * shape.sizes[0]!;
    const pointBytes = rows * d * 4;
    const trajBytes = trajectory ? rows * (steps + 1) * d * 4 : 0;
    let at = this.heapBase;
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

  /**
   * Writes the widths, weights and h into a shard, zeroes its inputs and configures it (with room
   * for the network's activations when they fit the budget); returns the stage area and whether
   * activations are kept. `rows` is a multiple of 4.
   */
  private prepare(
    shard: Shard,
    shape: MetricNetworkShape,
    weights: Float32Array,
    h: Float32Array,
    rows: number,
    steps: number,
    at: Layout,
  ): { offset: number; length: number; keep: boolean } {
    const m = shape.sizes[0]!;
    const keep = keptActivationBytes(shape, rows, steps) <= KEPT_ACTIVATIONS_BUDGET;
    const pages = Math.ceil(at.work / 65536) - shard.memory.buffer.byteLength / 65536;
    try {
      if (pages > 0) shard.memory.grow(pages);
    } catch (err) {
      throw new Error(`geodesic kernel: no memory for ${rows} samples x ${steps} steps: ${err instanceof Error ? err.message : String(err)}`);
    }
    const mem = shard.memory.buffer;
    new Int32Array(mem, at.sizes, shape.sizes.length).set(shape.sizes);
    new Float32Array(mem, at.params, weights.length).set(weights);
    const hs = new Float32Array(mem, at.h, rows);
    hs.fill(0);
    hs.set(h);
    let end: number;
    try {
      end = this.call(shard, 'configure', [m, shape.sizes.length - 1, shape.regularized ? 1 : 0, at.sizes, at.params, at.work, rows / 4, steps, keep ? 1 : 0]);
    } catch (err) {
      // The only trap in configure is a failed memory.grow.
      throw new Error(`geodesic kernel: no memory for ${rows} samples x ${steps} steps (m = ${m}): ${err instanceof Error ? err.message : String(err)}`);
    }
    const length = (rows / 4) * steps * 4 * 2 * m * 4; // v128 = 4 f32 per value
    return { offset: end - length * 4, length, keep };
  }

  /** The geodesics from z0 ([B, 2m]) with per-sample step h ([B]) for `steps` RK4 steps. */
  forward(shape: MetricNetworkShape, weights: Float32Array, z0: Float32Array, h: Float32Array, steps: number, trajectory: boolean): GeodesicRun {
    this.checkOpen();
    const d = 2 * shape.sizes[0]!;
    const B = h.length;
    const T = steps + 1;
    const ranges = parts(B, this.shards.length);
    const jobs = ranges.map(([start, end], i) => {
      const shard = this.shards[this.shards.length - ranges.length + i]!;
      const rows = Math.ceil((end - start) / 4) * 4;
      const at = this.layout(shape, rows, steps, trajectory);
      const stages = this.prepare(shard, shape, weights, h.subarray(start, end), rows, steps, at);
      const z = new Float32Array(shard.memory.buffer, at.z0, rows * d);
      z.fill(0);
      z.set(z0.subarray(start * d, end * d));
      return { shard, start, end, at, stages };
    });
    const id = ++this.forwardRuns;
    for (const { shard, at, end, start, stages } of jobs) {
      shard.keptRun = stages.keep ? id : null;
      shard.run.start('forward', [at.z0, at.h, Math.ceil((end - start) / 4), steps, at.out, at.traj]);
    }
    const out = new Float32Array(B * d);
    const traj = trajectory ? new Float32Array(B * T * d) : null;
    const stages: Float32Array[] = [];
    for (const { shard, start, end, at, stages: s } of jobs) {
      shard.run.wait();
      const mem = shard.memory.buffer;
      out.set(new Float32Array(mem, at.out, (end - start) * d), start * d);
      traj?.set(new Float32Array(mem, at.traj, (end - start) * T * d), start * T * d);
      stages.push(new Float32Array(mem, s.offset, s.length).slice());
    }
    return { out, trajectory: traj, stages, id };
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
    this.checkOpen();
    const d = 2 * shape.sizes[0]!;
    const B = h.length;
    const T = steps + 1;
    const ranges = parts(B, this.shards.length);
    if (ranges.length !== run.stages.length) throw new Error('geodesic kernel: backward called with a different batch than its forward run');
    const jobs = ranges.map(([start, end], i) => {
      const shard = this.shards[this.shards.length - ranges.length + i]!;
      const rows = Math.ceil((end - start) / 4) * 4;
      const at = this.layout(shape, rows, steps, trajectoryBar !== null);
      const stages = this.prepare(shard, shape, weights, h.subarray(start, end), rows, steps, at);
      const mem = shard.memory.buffer;
      if (stages.length !== run.stages[i]!.length) throw new Error('geodesic kernel: backward called with a different shape than its forward run');
      // Still in memory (stage inputs and activations) when no other forward call ran since.
      const kept = shard.keptRun === run.id;
      if (!kept) new Float32Array(mem, stages.offset, stages.length).set(run.stages[i]!);
      const ob = new Float32Array(mem, at.outBar, rows * d);
      ob.fill(0);
      if (outBar) ob.set(outBar.subarray(start * d, end * d));
      if (trajectoryBar) {
        const tb = new Float32Array(mem, at.trajBar, rows * T * d);
        tb.fill(0);
        tb.set(trajectoryBar.subarray(start * T * d, end * T * d));
      }
      return { shard, start, end, at, rows, kept };
    });
    for (const { shard, at, rows, kept } of jobs) {
      shard.run.start('backward', [at.h, rows / 4, steps, outBar ? at.outBar : 0, trajectoryBar ? at.trajBar : 0, at.z0Bar, at.grads, kept ? 1 : 0]);
    }
    const z0 = new Float32Array(B * d);
    const grads = new Float32Array(weightCount(shape.sizes));
    for (const { shard, start, end, at } of jobs) {
      shard.run.wait();
      const mem = shard.memory.buffer;
      z0.set(new Float32Array(mem, at.z0Bar, (end - start) * d), start * d);
      // The loss is a sum over samples, so the parts' weight gradients add.
      const part = new Float32Array(mem, at.grads, grads.length);
      for (let i = 0; i < grads.length; i++) grads[i] += part[i]!;
    }
    return { z0, weights: grads };
  }

  /** Ends the helper threads; the kernel is unusable afterwards. */
  dispose(): void {
    this.disposed = true;
    for (const shard of this.shards) shard.run.close();
  }

  /** The kernel's tanh on xs (for testing its accuracy). */
  tanh(xs: Float32Array): Float32Array {
    this.checkOpen();
    const shard = this.shards[this.shards.length - 1]!;
    shard.keptRun = null; // the inputs below may overwrite the work area
    const n = Math.ceil(xs.length / 4) * 4;
    const base = this.heapBase;
    const pages = Math.ceil((base + 8 * n) / 65536) - shard.memory.buffer.byteLength / 65536;
    if (pages > 0) shard.memory.grow(pages);
    new Float32Array(shard.memory.buffer, base, n).set(xs);
    this.call(shard, 'tanhBatch', [base, base + 4 * n, n / 4]);
    return new Float32Array(shard.memory.buffer, base + 4 * n, xs.length).slice();
  }
}
