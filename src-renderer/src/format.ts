/** Display formatting shared by the views. */
import type { RunInfo } from '../../src-shared/api';

export const MODEL_LABELS: Record<string, string> = { ngf: 'NGF', hnn: 'HNN', node: 'Neural ODE' };

/** 4 significant digits; exponent notation outside [1e-3, 1e5). */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds - 60 * m)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatTime(ms: number | null | undefined): string {
  if (!ms) return '–';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

/** Seconds the run trained (until now while it runs), or null before it started. */
export function runSeconds(run: RunInfo, now = Date.now()): number | null {
  if (!run.startedAt) return null;
  return ((run.finishedAt ?? now) - run.startedAt) / 1000;
}

export function shortId(id: string): string {
  return id.slice(0, 6);
}

/** 'NGF a1b2c3' or 'NGF · group name' — what legends and tables call a run. */
export function runLabel(run: RunInfo): string {
  const name = (run.config as { name?: unknown }).name;
  const model = MODEL_LABELS[run.modelKind] ?? run.modelKind;
  return typeof name === 'string' && name ? `${model} · ${name} · ${shortId(run.id)}` : `${model} · ${shortId(run.id)}`;
}

/**
 * The test loss the trainer reported in the run's summary (`bestTestLoss`, else the final
 * evaluation `test.loss`), or null (no test set, not done).
 */
export function summaryTestLoss(run: RunInfo): number | null {
  const summary = (run.summary ?? {}) as { bestTestLoss?: unknown; test?: { loss?: unknown } | null };
  for (const value of [summary.bestTestLoss, summary.test?.loss]) {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

/** The backend the trainer actually used (summary), else the one the run was started with. */
export function runBackend(run: RunInfo): string {
  const used = run.summary?.backend;
  return typeof used === 'string' ? used : (run.backend ?? '–');
}

/** Nested JSON as dotted keys ({test: {loss: 1}} -> [['test.loss', 1]]), for key/value lists. */
export function flatten(value: unknown, prefix = ''): [string, unknown][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key));
  }
  return [[prefix, value]];
}
