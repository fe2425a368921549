/**
 * Loading what the run views plot: metric series (kept live by run.metrics events) and the latest
 * analysis report of each run. Composables, so each view owns its copy and drops it on unmount.
 */
import { onUnmounted, ref, shallowRef, type Ref } from 'vue';
import type { AnalysisReport, MetricSeries, RunInfo } from '../../src-shared/api';
import { api, errorText } from './api';
import { onMetrics } from './live';

export function useRunData(runIds: () => string[]) {
  const runs = ref<RunInfo[]>([]) as Ref<RunInfo[]>;
  const series = shallowRef<MetricSeries[]>([]);
  const reports = shallowRef<Record<string, AnalysisReport | null>>({});
  const error = ref('');
  const analysing = ref<Set<string>>(new Set());

  async function load(): Promise<void> {
    const ids = runIds();
    error.value = '';
    if (!ids.length) {
      runs.value = [];
      series.value = [];
      reports.value = {};
      return;
    }
    try {
      const comparison = await api.runs.compare({ runIds: ids });
      runs.value = ids.map((id) => comparison.runs.find((r) => r.id === id)).filter((r): r is RunInfo => !!r);
      series.value = comparison.series;
      const entries = await Promise.all(ids.map(async (id) => [id, await api.analysis.get({ runId: id }).catch(() => null)] as const));
      reports.value = Object.fromEntries(entries);
    } catch (e) {
      error.value = errorText(e);
    }
  }

  /** Appends live epochs of the shown runs to their series (one new array per flush, not per event). */
  const stop = onMetrics((batch) => {
    const ids = new Set(runIds());
    const relevant = batch.filter((m) => ids.has(m.runId));
    if (!relevant.length) return;
    const next = series.value.map((s) => ({ ...s, steps: [...s.steps], values: [...s.values], wallTimes: [...s.wallTimes] }));
    for (const m of relevant) {
      for (const [name, value] of Object.entries(m.metrics)) {
        let s = next.find((x) => x.runId === m.runId && x.name === name);
        if (!s) next.push((s = { runId: m.runId, name, steps: [], values: [], wallTimes: [] }));
        if (s.steps.length && s.steps[s.steps.length - 1]! >= m.epoch) continue;
        s.steps.push(m.epoch);
        s.values.push(Number.isFinite(value) ? value : null);
        s.wallTimes.push(Date.now());
      }
    }
    series.value = next;
  });
  onUnmounted(stop);

  async function analyse(runId: string): Promise<void> {
    analysing.value = new Set([...analysing.value, runId]);
    try {
      const report = await api.analysis.run({ runId });
      reports.value = { ...reports.value, [runId]: report };
    } catch (e) {
      error.value = errorText(e);
    } finally {
      const next = new Set(analysing.value);
      next.delete(runId);
      analysing.value = next;
    }
  }

  return { runs, series, reports, error, analysing, load, analyse };
}
