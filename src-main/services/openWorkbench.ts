/**
 * The one wiring of a workbench process, shared by browser mode (cli/commands/serve.ts) and the
 * Electron main process: the run store, the training worker pool and the service on top of them,
 * with datasets kept in a `data` folder next to the database.
 */
import { dirname, join } from 'node:path';
import { GENERATORS } from '../data/generators/index';
import { createAnalysisRunner } from '../engine/analysis/runner';
import { createReferenceImporter } from '../engine/models/referenceImporter';
import { TrainingWorkerPool } from '../engine/training/workerPool';
import { WorkerTrainingRunner } from '../engine/training/workerRunner';
import { RunStore } from '../store/runStore';
import { createWorkbenchService, type WorkbenchService } from './workbenchService';

export interface Workbench {
  service: WorkbenchService;
  store: RunStore;
  /** Cancels what still runs, stops the training worker and closes the database. */
  close(): Promise<void>;
}

export function openWorkbench(options: { dbPath: string; dataDir?: string; host: 'browser' | 'electron' }): Workbench {
  const store = RunStore.open(options.dbPath);
  // Training runs in a worker thread, so the server or main process stays responsive.
  const pool = new TrainingWorkerPool();
  const service = createWorkbenchService({
    store,
    runner: new WorkerTrainingRunner(pool),
    analysis: createAnalysisRunner(),
    referenceImporter: createReferenceImporter(),
    dataDir: options.dataDir ?? join(dirname(store.dbPath), 'data'),
    generators: GENERATORS,
    host: options.host,
  });
  return {
    service,
    store,
    async close() {
      try {
        await service.close();
        await pool.close();
      } finally {
        store.close();
      }
    },
  };
}
