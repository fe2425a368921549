/**
 * The native file dialogs behind `shell:*` channels (./bridge.ts SHELL_CHANNELS).
 *
 * Each asks the user for a path in main and then calls the contract method that takes a path
 * (datasets.open, runs.export, runs.import), so the path the service acts on is always one the user
 * chose in a dialog. Cancelling resolves with null and calls nothing. Same sender check and reply
 * envelope as the API handlers (./ipcAdapter.ts).
 */
import { parsePayload } from '../../src-shared/api';
import { SHELL_CHANNELS } from './bridge';
import { handleTrusted, type IpcMainLike, type ServiceLike } from './ipcAdapter';

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** The two dialogs, each resolving with the chosen path or null when cancelled. */
export interface FileDialogs {
  chooseFileToOpen(options: { title: string; filters: FileFilter[] }): Promise<string | null>;
  chooseFileToSave(options: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
}

export const DATASET_FILTERS: FileFilter[] = [
  { name: 'Datasets (.npz, .json)', extensions: ['npz', 'json'] },
  { name: 'All files', extensions: ['*'] },
];
export const RUN_EXPORT_FILTERS: FileFilter[] = [
  { name: 'NGF Workbench runs (.zip)', extensions: ['zip'] },
  { name: 'All files', extensions: ['*'] },
];

/** `ngf-runs-2025-01-31.zip` for the given time. */
export function exportFileName(now: Date): string {
  return `ngf-runs-${now.toISOString().slice(0, 10)}.zip`;
}

export function registerDialogHandlers(
  ipc: IpcMainLike,
  service: ServiceLike,
  dialogs: FileDialogs,
  allowedOrigins: readonly string[],
  warn?: (message: string) => void,
): () => void {
  handleTrusted(
    ipc,
    SHELL_CHANNELS.openDataset,
    allowedOrigins,
    async () => {
      const path = await dialogs.chooseFileToOpen({ title: 'Open dataset', filters: DATASET_FILTERS });
      return path === null ? null : service.handle('datasets.open', { path });
    },
    warn,
  );
  handleTrusted(
    ipc,
    SHELL_CHANNELS.exportRuns,
    allowedOrigins,
    async (runIds) => {
      // Refuse a bad selection before showing a dialog the user would fill in for nothing.
      parsePayload('runs.export', { runIds });
      const path = await dialogs.chooseFileToSave({
        title: 'Export runs',
        defaultName: exportFileName(new Date()),
        filters: RUN_EXPORT_FILTERS,
      });
      return path === null ? null : service.handle('runs.export', { runIds, path });
    },
    warn,
  );
  handleTrusted(
    ipc,
    SHELL_CHANNELS.importRuns,
    allowedOrigins,
    async () => {
      const path = await dialogs.chooseFileToOpen({ title: 'Import runs', filters: RUN_EXPORT_FILTERS });
      return path === null ? null : service.handle('runs.import', { path });
    },
    warn,
  );
  return () => {
    for (const channel of Object.values(SHELL_CHANNELS)) ipc.removeHandler(channel);
  };
}
