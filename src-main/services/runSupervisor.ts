/**
 * Drives training runs through their lifecycle: queued -> running -> done | failed | cancelled.
 *
 * Runs wait in a FIFO queue until a slot is free (`maxConcurrent`, default 1: training is CPU-bound
 * and the machine has few cores). A started run's epoch metrics are forwarded as `run.metrics`
 * events at once and written to the store in batches (every `flushMs`, or sooner when many pile
 * up), so a fast trainer does not turn into one SQLite transaction per epoch. Every outcome ends in
 * exactly one terminal status: a rejected `done` fails the run with the error's message and keeps
 * the metrics logged so far; a cancelled run that rejects is 'cancelled'; a trainer that resolves
 * after a late cancel still counts as 'done'.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ApiEvents, RunStatus } from '../../src-shared/api';
import type { Emitter } from '../../src-shared/emitter';
import type { RunStore } from '../store/runStore';
import type { JsonObject, MetricPoint } from '../store/types';
import type { EpochMetrics, TrainingHandle, TrainingProgress, TrainingResult, TrainingRunner, TrainingSpec } from './engines';

export interface RunSupervisorOptions {
  store: RunStore;
  runner: TrainingRunner;
  events: Emitter<ApiEvents>;
  /** Scratch folders for checkpoints: `<checkpointRoot>/<runId>/`, removed once stored. */
  checkpointRoot: string;
  /** Package versions recorded with each run. */
  versions: Record<string, string>;
  maxConcurrent?: number;
  flushMs?: number;
  /** Minimum interval between two run.progress events of one run. */
  progressIntervalMs?: number;
}

interface ActiveRun {
  spec: TrainingSpec;
  handle: TrainingHandle | null;
  cancelRequested: boolean;
  /** Set once the outcome is being recorded: hooks called later are ignored. */
  settled: boolean;
  pending: MetricPoint[];
  flushTimer: ReturnType<typeof setTimeout> | null;
  lastProgressAt: number;
  finished: Promise<void>;
  resolveFinished: () => void;
}

const MAX_PENDING_POINTS = 500;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class RunSupervisor {
  private readonly queue: TrainingSpec[] = [];
  private readonly active = new Map<string, ActiveRun>();
  private readonly maxConcurrent: number;
  private readonly flushMs: number;
  private readonly progressIntervalMs: number;

  constructor(private readonly options: RunSupervisorOptions) {
    this.maxConcurrent = options.maxConcurrent ?? 1;
    this.flushMs = options.flushMs ?? 500;
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
  }

  /** Queues a run whose row exists in status 'queued'. */
  enqueue(spec: TrainingSpec): void {
    this.queue.push(spec);
    this.pump();
  }

  /** Whether this process is training or queueing the run. */
  owns(runId: string): boolean {
    return this.active.has(runId) || this.queue.some((s) => s.runId === runId);
  }

  /**
   * Cancels a queued run at once, or asks a running one to stop and waits (at most `waitMs`) for it
   * to settle. Returns false when this process does not own the run.
   */
  async cancel(runId: string, waitMs = 5000): Promise<boolean> {
    const queued = this.queue.findIndex((s) => s.runId === runId);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.transition(runId, 'cancelled', () => this.options.store.cancelRun(runId));
      return true;
    }
    const run = this.active.get(runId);
    if (!run) return false;
    run.cancelRequested = true;
    try {
      run.handle?.cancel();
    } catch (error) {
      console.error(`run ${runId}: cancel failed:`, error);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([run.finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    return true;
  }

  /** Cancels everything (queued and running) and waits for the running ones to settle. */
  async shutdown(): Promise<void> {
    const ids = [...this.queue.map((s) => s.runId), ...this.active.keys()];
    await Promise.all(ids.map((id) => this.cancel(id)));
  }

  /** Resolves when nothing is queued or running (tests, orderly exit). */
  async idle(): Promise<void> {
    while (this.active.size > 0 || this.queue.length > 0) {
      await Promise.all([...this.active.values()].map((r) => r.finished));
    }
  }

  private pump(): void {
    while (this.active.size < this.maxConcurrent && this.queue.length > 0) this.launch(this.queue.shift()!);
  }

  private launch(spec: TrainingSpec): void {
    const { store, runner, versions } = this.options;
    let resolveFinished!: () => void;
    const run: ActiveRun = {
      spec,
      handle: null,
      cancelRequested: false,
      settled: false,
      pending: [],
      flushTimer: null,
      lastProgressAt: 0,
      finished: new Promise<void>((resolve) => (resolveFinished = resolve)),
      resolveFinished,
    };
    this.active.set(spec.runId, run);
    if (!this.transition(spec.runId, 'running', () => store.startRun(spec.runId, { backend: runner.backend, versions }))) {
      this.release(run);
      return;
    }
    try {
      mkdirSync(spec.checkpointDir, { recursive: true });
      run.handle = runner.start(spec, {
        onProgress: (progress) => this.onProgress(run, progress),
        onEpoch: (metrics) => this.onEpoch(run, metrics),
        onStatus: (message) => {
          if (!run.settled) this.options.events.emit('run.status', { runId: spec.runId, status: 'running', error: null, message: String(message) });
        },
      });
    } catch (error) {
      void this.settle(run, { error });
      return;
    }
    run.handle.done.then(
      (result) => this.settle(run, { result }),
      (error: unknown) => this.settle(run, { error }),
    );
  }

  private onProgress(run: ActiveRun, progress: TrainingProgress): void {
    const now = Date.now();
    if (run.settled || now - run.lastProgressAt < this.progressIntervalMs) return;
    run.lastProgressAt = now;
    this.options.events.emit('run.progress', { ...progress, runId: run.spec.runId });
  }

  private onEpoch(run: ActiveRun, metrics: EpochMetrics): void {
    if (run.settled) return;
    const values: Record<string, number> = {};
    for (const [name, value] of Object.entries(metrics)) {
      if (name !== 'epoch' && typeof value === 'number') values[name] = value;
    }
    for (const [name, value] of Object.entries(values)) run.pending.push({ step: metrics.epoch, name, value });
    this.options.events.emit('run.metrics', { runId: run.spec.runId, epoch: metrics.epoch, metrics: values });
    if (run.pending.length >= MAX_PENDING_POINTS) this.flushOrFail(run);
    else run.flushTimer ??= setTimeout(() => this.flushOrFail(run), this.flushMs);
  }

  /** Writes pending metrics; returns the store's refusal (e.g. a bad epoch number) as a message. */
  private flush(run: ActiveRun): string | null {
    if (run.flushTimer) clearTimeout(run.flushTimer);
    run.flushTimer = null;
    if (run.pending.length === 0) return null;
    const points = run.pending.splice(0);
    try {
      this.options.store.logMetrics(run.spec.runId, points);
      return null;
    } catch (error) {
      return `the trainer reported metrics the store refused: ${messageOf(error)}`;
    }
  }

  /** Background flush: a refusal stops the trainer and fails the run. */
  private flushOrFail(run: ActiveRun): void {
    const refusal = this.flush(run);
    if (refusal === null || run.settled) return;
    run.handle?.cancel();
    void this.settle(run, { error: new Error(refusal) }, refusal);
  }

  private async settle(run: ActiveRun, outcome: { result: TrainingResult } | { error: unknown }, refusal = this.flush(run)): Promise<void> {
    if (run.settled) return;
    run.settled = true;
    const { store } = this.options;
    const runId = run.spec.runId;
    if (refusal !== null) {
      this.transition(runId, 'failed', () => store.failRun(runId, refusal));
    } else if ('result' in outcome) {
      try {
        const { summary, checkpointPath } = outcome.result;
        if (checkpointPath) store.addArtifact(runId, 'checkpoint', checkpointName(checkpointPath), checkpointPath);
        this.transition(runId, 'done', () => store.finishRun(runId, JSON.parse(JSON.stringify(summary ?? {})) as JsonObject));
      } catch (error) {
        this.transition(runId, 'failed', () => store.failRun(runId, `training finished but its result could not be stored: ${messageOf(error)}`));
      }
    } else if (run.cancelRequested) {
      this.transition(runId, 'cancelled', () => store.cancelRun(runId));
    } else {
      this.transition(runId, 'failed', () => store.failRun(runId, messageOf(outcome.error) || 'training failed'));
    }
    rmSync(run.spec.checkpointDir, { recursive: true, force: true });
    this.release(run);
  }

  private release(run: ActiveRun): void {
    run.settled = true;
    if (run.flushTimer) clearTimeout(run.flushTimer);
    this.active.delete(run.spec.runId);
    run.resolveFinished();
    this.pump();
  }

  /** Applies a store transition and emits run.status; a refused transition is logged, not thrown. */
  private transition(runId: string, status: RunStatus, apply: () => { error: string | null }): boolean {
    try {
      const row = apply();
      this.options.events.emit('run.status', { runId, status, error: row.error });
      return true;
    } catch (error) {
      console.error(`run ${runId}: cannot record status '${status}': ${messageOf(error)}`);
      return false;
    }
  }
}

/** Artifact names are plain file names: keep the checkpoint's, made safe. */
function checkpointName(path: string): string {
  const name = basename(path).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  return (name || 'checkpoint').slice(0, 200);
}

export function checkpointDirFor(root: string, runId: string): string {
  return join(root, runId);
}
