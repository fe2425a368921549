/**
 * Live training state from the service's events, throttled for rendering.
 *
 * Progress and metric events can arrive hundreds of times a second; they are buffered and flushed
 * to reactive state at most every FLUSH_MS, so a fast trainer never makes the UI re-render per event.
 * `runsVersion` / `datasetsVersion` tick when the lists changed (a status change, a new dataset), so
 * views reload them with one call instead of mirroring the store.
 */
import { ref, shallowRef } from 'vue';
import type { ApiEvents, RunProgress, RunStatus } from '../../src-shared/api';
import { api } from './api';

const FLUSH_MS = 250;

export type MetricsEvent = ApiEvents['run.metrics'];

/** Latest progress per running run. */
export const progress = shallowRef<Record<string, RunProgress>>({});
/** Latest phase message per run ('loading data', ...). */
export const phase = shallowRef<Record<string, string>>({});
/** Latest status per run seen in events (the lists reload on change). */
export const liveStatus = shallowRef<Record<string, RunStatus>>({});
export const runsVersion = ref(0);
export const datasetsVersion = ref(0);

const metricListeners = new Set<(batch: MetricsEvent[]) => void>();
let pendingProgress: Record<string, RunProgress> = {};
let pendingMetrics: MetricsEvent[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

function flush(): void {
  timer = null;
  if (Object.keys(pendingProgress).length) {
    progress.value = { ...progress.value, ...pendingProgress };
    pendingProgress = {};
  }
  if (pendingMetrics.length) {
    const batch = pendingMetrics;
    pendingMetrics = [];
    for (const listener of metricListeners) listener(batch);
  }
}

function schedule(): void {
  timer ??= setTimeout(flush, FLUSH_MS);
}

/** Calls `listener` with batches of metric events; returns the unsubscribe function. */
export function onMetrics(listener: (batch: MetricsEvent[]) => void): () => void {
  metricListeners.add(listener);
  return () => metricListeners.delete(listener);
}

api.on('run.progress', (p) => {
  pendingProgress[p.runId] = p;
  schedule();
});

api.on('run.metrics', (m) => {
  pendingMetrics.push(m);
  schedule();
});

api.on('run.status', (s) => {
  if (s.message) phase.value = { ...phase.value, [s.runId]: s.message };
  if (liveStatus.value[s.runId] !== s.status) {
    liveStatus.value = { ...liveStatus.value, [s.runId]: s.status };
    runsVersion.value++;
  }
});

api.on('dataset.added', () => {
  datasetsVersion.value++;
});
