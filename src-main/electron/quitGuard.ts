/**
 * Quitting while runs are in progress: ask first, and if the user goes on, cancel them so they are
 * stored as 'cancelled' (not left 'running' for the next start to find interrupted).
 *
 * Hooked to the app's before-quit event. The first quit is held (preventDefault) while the guard asks
 * the service for queued and running runs; with none, or once the user confirms and the runs are
 * cancelled, the guard calls `quit()` again and lets that one through. Declining keeps the app open.
 */
import type { RunList, RunStatus } from '../../src-shared/api';
import type { ServiceLike } from './ipcAdapter';

export interface QuitGuardOptions {
  /** Ids of the runs that quitting would stop. */
  activeRuns(): Promise<string[]>;
  /** Asks the user whether to cancel `count` runs and quit. */
  confirm(count: number): Promise<boolean>;
  cancel(runId: string): Promise<unknown>;
  /** Starts quitting again (app.quit); the guard lets this one pass. */
  quit(): void;
  warn?(message: string): void;
}

/** Queued and running runs, from the service. */
export async function activeRunIds(service: ServiceLike): Promise<string[]> {
  const statuses: RunStatus[] = ['running', 'queued'];
  const lists = await Promise.all(
    statuses.map((status) => service.handle('runs.list', { filter: { status, limit: 10_000 } }) as Promise<RunList>),
  );
  return lists.flatMap((list) => list.runs.map((run) => run.id));
}

/** The before-quit listener. */
export function createQuitGuard(options: QuitGuardOptions): (event: { preventDefault(): void }) => void {
  const warn = options.warn ?? console.warn;
  let state: 'idle' | 'checking' | 'approved' = 'idle';

  async function check(): Promise<void> {
    let runIds: string[];
    try {
      runIds = await options.activeRuns();
    } catch (error) {
      // A broken store must not make the app impossible to quit.
      warn(`could not list runs in progress, quitting anyway: ${error instanceof Error ? error.message : String(error)}`);
      runIds = [];
    }
    if (runIds.length > 0 && !(await options.confirm(runIds.length))) {
      state = 'idle';
      return;
    }
    const results = await Promise.allSettled(runIds.map((id) => options.cancel(id)));
    results.forEach((result, i) => {
      if (result.status === 'rejected') warn(`could not cancel run ${runIds[i]}: ${String(result.reason)}`);
    });
    state = 'approved';
    options.quit();
  }

  return (event) => {
    if (state === 'approved') return;
    event.preventDefault();
    if (state === 'checking') return;
    state = 'checking';
    void check().catch((error: unknown) => {
      state = 'idle';
      warn(`quit check failed: ${String(error)}`);
    });
  };
}
