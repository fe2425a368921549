/**
 * What main and preload agree on: IPC channel names, the reply envelope, menu actions, and the shape
 * of `window.ngf` that the preload exposes to the renderer.
 *
 * Browser-safe and free of Electron imports: the sandboxed preload bundles it, main imports it, and
 * the renderer may import its types.
 *
 * Channels:
 * - `api:<method>` (invoke): one per method of the shared contract, payload -> IpcReply<result>.
 * - `shell:<action>` (invoke): the native file dialogs; each ends in a contract method called with
 *   the path the user chose in main (so the renderer never needs to know paths it did not pick).
 * - `ngf:event` (main -> renderer): every service event as (name, payload).
 * - `ngf:menu` (main -> renderer): a menu item the renderer should act on.
 */
import type { ApiErrorCode } from '../../src-shared/errors';
import type { DatasetInfo, ImportReport, MethodName, Result } from '../../src-shared/api';
import type { Transport } from '../../src-shared/client';

export const API_CHANNEL_PREFIX = 'api:';
export const EVENT_CHANNEL = 'ngf:event';
export const MENU_CHANNEL = 'ngf:menu';

export function apiChannel(method: MethodName): string {
  return `${API_CHANNEL_PREFIX}${method}`;
}

/** The native dialogs, by channel; each resolves with the contract method's result, or null when the user cancelled. */
export const SHELL_CHANNELS = {
  openDataset: 'shell:openDataset',
  exportRuns: 'shell:exportRuns',
  importRuns: 'shell:importRuns',
} as const;

/**
 * What crosses IPC for every invoke. Thrown errors do not survive ipcMain.handle (Electron rewrites
 * their message and drops their fields), so handlers never throw: they answer with an envelope.
 */
export type IpcReply<T> = { ok: true; result: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

export const MENU_ACTIONS = ['open-dataset', 'new-experiment', 'export-runs', 'import-runs'] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

/**
 * `window.ngf` in Electron. `invoke`/`subscribe` make it a src-shared `Transport`
 * (`createClient(window.ngf)`); the rest exists only on the desktop.
 */
export interface NgfBridge extends Transport {
  /** The local path of a File from a drop or an <input type=file> (Electron's webUtils.getPathForFile). */
  getPathForFile(file: File): string;
  /** Native open dialog for a dataset, then datasets.open; null when cancelled. */
  openDatasetDialog(): Promise<DatasetInfo | null>;
  /** Native save dialog, then runs.export to the chosen file; null when cancelled. */
  exportRunsDialog(runIds: string[]): Promise<Result<'runs.export'> | null>;
  /** Native open dialog for a run export, then runs.import; null when cancelled. */
  importRunsDialog(): Promise<ImportReport | null>;
  /** Menu items that need the renderer (it knows the selection and the current view). */
  onMenu(cb: (action: MenuAction) => void): () => void;
}
