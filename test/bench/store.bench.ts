/**
 * Run store at scale: 10 000 runs of 100 metric points each (4 metrics x 25 epochs), built through the
 * public API, each run's points in one logMetrics call (as an import writes them; a training loop's
 * one call per epoch is timed separately, on the full database). Targets: a filtered listing < 200 ms,
 * 10 series for a comparison < 100 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunStore } from '../../src-main/store/runStore';
import { medianMs, type Benchmark } from './harness';

const RUNS = 10_000;
const EPOCHS = 25;
const METRICS = ['train_loss', 'test_loss', 'energy_drift', 'grad_norm'];
const KINDS = ['ngf', 'hnn', 'node'] as const;

const bench: Benchmark = {
  name: 'store',
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngf-store-bench-'));
    try {
      const dbPath = path.join(dir, 'bench.db');
      const store = RunStore.open(dbPath);
      const buildStart = performance.now();
      const ids: string[] = [];
      for (let k = 0; k < RUNS; k++) {
        const run = store.createRun({
          modelKind: KINDS[k % 3]!,
          config: { hidden: [64, 64], lr: 1e-3 },
          seed: k,
          groupId: `group-${Math.floor(k / 3)}`,
          tags: k % 10 === 0 ? ['paper', 'sphere'] : ['sphere'],
          notes: k % 100 === 0 ? `diverged run ${k}` : `run ${k}`,
        });
        store.startRun(run.id, { backend: 'cpu', versions: { tfjs: '4.22.0' } });
        const points = Array.from({ length: EPOCHS }, (_, epoch) => {
          const scale = 10 ** -(1 + (k % 7)) * (1 + (EPOCHS - epoch) / EPOCHS);
          return METRICS.map((name, m) => ({ step: epoch, name, value: scale * (m + 1) }));
        });
        store.logMetrics(run.id, points.flat());
        store.finishRun(run.id, { test_loss: 10 ** -(1 + (k % 7)) * 2 });
        ids.push(run.id);
      }
      const buildMs = performance.now() - buildStart;
      // A training loop's per-epoch call on the full database: one more epoch for a fresh run.
      const live = store.createRun({ modelKind: 'ngf', config: {}, seed: 0 });
      store.startRun(live.id, { backend: 'cpu', versions: {} });
      let epoch = 0;
      const logEpochMs = await medianMs(
        () => store.logMetrics(live.id, METRICS.map((name) => ({ step: epoch++, name, value: 1 / epoch }))),
        51,
      );
      store.close();
      const bytes = fs.statSync(dbPath).size + (fs.existsSync(`${dbPath}-wal`) ? fs.statSync(`${dbPath}-wal`).size : 0);

      const reader = RunStore.open(dbPath);
      const filtered = { modelKind: 'ngf' as const, metric: { metric: 'test_loss', op: '<' as const, value: 1e-4 }, limit: 100 };
      const matches = reader.listRuns(filtered).total;
      const listFilteredMs = await medianMs(() => reader.listRuns(filtered), 9);
      const listTagTextMs = await medianMs(() => reader.listRuns({ tag: 'paper', text: 'diverged', limit: 100 }), 9);
      const listSortedByMetricMs = await medianMs(
        () => reader.listRuns({ status: 'done', sort: { metric: 'test_loss', of: 'min', dir: 'asc' }, limit: 100 }),
        9,
      );
      const listPlainMs = await medianMs(() => reader.listRuns({ limit: 100 }), 9);
      const comparison = [ids[17]!, ids[4242]!, ids[9001]!, ids[123]!, ids[7777]!];
      const series = reader.metricSeries(comparison, ['train_loss', 'test_loss']);
      if (series.length !== 10 || series.some((s) => s.values.length !== EPOCHS)) {
        throw new Error(`expected 10 series of ${EPOCHS} points, got ${series.length}`);
      }
      const series10Ms = await medianMs(() => reader.metricSeries(comparison, ['train_loss', 'test_loss']), 9);
      const series10RunsAllMetricsMs = await medianMs(() => reader.metricSeries(ids.slice(5000, 5010)), 9);
      reader.close();
      return {
        runs: RUNS,
        metricPoints: RUNS * EPOCHS * METRICS.length,
        buildMs: Math.round(buildMs),
        buildRunsPerSecond: Math.round(RUNS / (buildMs / 1000)),
        databaseMB: +(bytes / 2 ** 20).toFixed(1),
        logEpochMs: +logEpochMs.toFixed(3),
        listFilteredMs: +listFilteredMs.toFixed(2),
        listFilteredMatches: matches,
        listTagTextMs: +listTagTextMs.toFixed(2),
        listSortedByMetricMs: +listSortedByMetricMs.toFixed(2),
        listPlainMs: +listPlainMs.toFixed(2),
        series10Ms: +series10Ms.toFixed(2),
        series10RunsAllMetricsMs: +series10RunsAllMetricsMs.toFixed(2),
        targetsMet: listFilteredMs < 200 && series10Ms < 100,
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
