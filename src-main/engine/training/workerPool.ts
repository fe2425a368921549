/**
 * A pool of long-lived training worker threads. `submit(spec, events)` queues a job; an idle worker
 * (started on first need, `size` at most) runs it and streams progress, epoch metrics and status
 * messages back; `cancel()` asks it to stop between two optimizer steps.
 *
 * A job that throws fails alone (its `done` rejects with the message) and the worker takes the next
 * job. A worker that dies (a crash in native code, out of memory) fails its current job with the
 * exit reason and is replaced on the next submit, so the pool stays usable either way.
 *
 * Worker entry: from TypeScript sources (tsx, vitest) the pool starts a small bootstrap that
 * registers tsx's loader in the new thread (`--import tsx` in a worker's execArgv is not honoured by
 * Node 20) and then imports ./worker.ts; from a bundle it starts `trainingWorker.js` next to the
 * bundled module, so the electron-vite main build must emit src-main/engine/training/worker.ts as an
 * entry of that name.
 */
import { Worker } from 'node:worker_threads';
import type { TrainingJobEvents, TrainingJobResult, TrainingJobSpec } from './job';
import type { EpochMetrics, TrainingProgress } from './trainer';

export type PoolRequest = { type: 'start'; jobId: number; spec: TrainingJobSpec } | { type: 'cancel'; jobId: number };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'progress'; jobId: number; progress: TrainingProgress }
  | { type: 'epoch'; jobId: number; metrics: EpochMetrics }
  | { type: 'status'; jobId: number; message: string }
  | { type: 'done'; jobId: number; result: TrainingJobResult }
  | { type: 'error'; jobId: number; message: string };

export interface TrainingJobHandle {
  readonly jobId: number;
  /** Stops the job between two steps (or drops it from the queue); `done` resolves with status 'cancelled'. */
  cancel(): void;
  done: Promise<TrainingJobResult>;
}

export interface TrainingWorkerPoolOptions {
  /** Worker threads at most (default 1: training is CPU-bound). */
  size?: number;
  /** Worker entry module (default: see the module comment). */
  workerUrl?: URL;
}

interface Job {
  jobId: number;
  spec: TrainingJobSpec;
  events: TrainingJobEvents;
  cancelled: boolean;
  resolve: (result: TrainingJobResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

/** What `new Worker` gets: a module URL, or bootstrap code (eval) for TypeScript sources. */
export type WorkerEntry = { url: URL } | { code: string };

/**
 * The entry of a worker module that sits next to the module `here` (its import.meta.url): from
 * TypeScript sources a bootstrap that registers tsx and imports `source`, from a bundle `bundled`.
 */
export function workerEntry(here: string, source: string, bundled: string): WorkerEntry {
  if (!/\.[cm]?ts$/.test(new URL(here).pathname)) return { url: new URL(bundled, here) };
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const worker = JSON.stringify(new URL(source, here).href);
  return { code: `import(${tsx}).then((tsx) => { tsx.register(); return import(${worker}); });` };
}

export function startWorker(entry: WorkerEntry): Worker {
  return 'url' in entry ? new Worker(entry.url) : new Worker(entry.code, { eval: true });
}

function defaultEntry(): WorkerEntry {
  return workerEntry(import.meta.url, './worker.ts', './trainingWorker.js');
}

export class TrainingWorkerPool {
  private readonly size: number;
  private readonly entry: WorkerEntry;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextJobId = 1;
  private closed = false;

  constructor(options: TrainingWorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? 1);
    this.entry = options.workerUrl ? { url: options.workerUrl } : defaultEntry();
  }

  submit(spec: TrainingJobSpec, events: TrainingJobEvents = {}): TrainingJobHandle {
    if (this.closed) throw new Error('training worker pool: closed');
    let resolve!: Job['resolve'];
    let reject!: Job['reject'];
    const done = new Promise<TrainingJobResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const job: Job = { jobId: this.nextJobId++, spec, events, cancelled: false, resolve, reject };
    this.queue.push(job);
    this.pump();
    return { jobId: job.jobId, done, cancel: () => this.cancel(job) };
  }

  /** Terminates every worker; running and queued jobs fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('training worker pool closed'));
    await Promise.all(this.slots.splice(0).map((slot) => {
      slot.job?.reject(new Error('training worker pool closed'));
      slot.job = null;
      return slot.worker.terminate();
    }));
  }

  private cancel(job: Job): void {
    job.cancelled = true;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.reject(new Error('training cancelled before it started'));
      return;
    }
    this.slots.find((s) => s.job === job)?.worker.postMessage({ type: 'cancel', jobId: job.jobId } satisfies PoolRequest);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.postMessage({ type: 'start', jobId: job.jobId, spec: job.spec } satisfies PoolRequest);
    }
  }

  private spawn(): Slot {
    const worker = startWorker(this.entry);
    const slot: Slot = { worker, job: null };
    worker.on('message', (reply: WorkerReply) => this.onReply(slot, reply));
    // A worker that fails outside a job (startup, native crash) takes its current job with it.
    const fail = (reason: string) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      const job = slot.job;
      slot.job = null;
      job?.reject(new Error(`training worker stopped: ${reason}`));
      if (!this.closed) this.pump();
    };
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === 'ready') return;
    const job = slot.job;
    if (!job || job.jobId !== reply.jobId) return;
    switch (reply.type) {
      case 'progress':
        job.events.onProgress?.(reply.progress);
        return;
      case 'epoch':
        job.events.onEpoch?.(reply.metrics);
        return;
      case 'status':
        job.events.onStatus?.(reply.message);
        return;
      case 'done':
      case 'error':
        slot.job = null;
        if (reply.type === 'done') job.resolve(reply.result);
        else job.reject(new Error(reply.message));
        this.pump();
        return;
    }
  }
}
