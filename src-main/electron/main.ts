/**
 * Electron main process: one secure window on the app:// origin, the workbench service behind IPC.
 *
 * The service (store, training, events) lives here, not in the window: closing the window on macOS
 * leaves training running, and reopening it (dock click) shows the same runs. Quitting with runs in
 * progress asks first and cancels them (./quitGuard.ts). The renderer is served from out/renderer by
 * the privileged app:// scheme (./appProtocol.ts), or, in development (`electron-vite dev`), from
 * ELECTRON_RENDERER_URL. The pieces are in their own modules and tested without Electron; this file
 * only wires them to Electron's objects.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { openWorkbench, type Workbench } from '../services/openWorkbench';
import { defaultDatabasePath } from '../store/paths';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, originOf } from './appOrigin';
import { appFileResponse } from './appProtocol';
import { MENU_CHANNEL, type MenuAction } from './bridge';
import { registerDialogHandlers, type FileDialogs } from './dialogs';
import { forwardEvents, registerApiHandlers } from './ipcAdapter';
import { applicationMenuTemplate } from './menu';
import { activeRunIds, createQuitGuard } from './quitGuard';
import { applySessionPolicy, contentSecurityPolicy, guardNavigation, windowOptions } from './security';

// Must happen before 'ready': app:// behaves like https (standard URL parsing, secure context, fetch).
// Not corsEnabled (that would let other origins read app:// responses) and no bypassCSP.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

const here = path.dirname(fileURLToPath(import.meta.url)); // out/main
const rendererDir = path.join(here, '..', 'renderer');
const preloadPath = path.join(here, '..', 'preload', 'index.cjs');
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const devServerOrigin = devServerUrl ? (originOf(devServerUrl) ?? undefined) : undefined;
const allowedOrigins = devServerOrigin ? [APP_ORIGIN, devServerOrigin] : [APP_ORIGIN];
const csp = contentSecurityPolicy(devServerOrigin);
const isMac = process.platform === 'darwin';

// One database for the desktop app, browser mode and the CLI, and userData is its folder (on Linux
// Electron would otherwise pick ~/.config rather than ~/.local/share). With NGF_WORKBENCH_DB set
// (tests, a second workbench) the profile and the single-instance lock move along with it.
app.setPath('userData', path.dirname(defaultDatabasePath()));

/** Cancels what still runs, stops the worker and closes the database. */
async function closeWorkbench(workbench: Workbench): Promise<void> {
  try {
    await workbench.close();
  } catch (error) {
    console.error('closing the workbench failed:', error);
  }
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(windowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(devServerUrl ?? APP_ENTRY_URL);
  return window;
}

/** The window a menu action or dialog belongs to; opens one when all were closed (macOS). */
function currentWindow(): BrowserWindow {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? createWindow();
}

function sendMenuAction(action: MenuAction): void {
  const { webContents } = currentWindow();
  if (webContents.isLoading()) webContents.once('did-finish-load', () => webContents.send(MENU_CHANNEL, action));
  else webContents.send(MENU_CHANNEL, action);
}

const fileDialogs: FileDialogs = {
  async chooseFileToOpen({ title, filters }) {
    const result = await dialog.showOpenDialog(currentWindow(), { title, filters, properties: ['openFile'] });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  async chooseFileToSave({ title, defaultName, filters }) {
    const result = await dialog.showSaveDialog(currentWindow(), {
      title,
      filters,
      defaultPath: path.join(app.getPath('documents'), defaultName),
    });
    return result.canceled ? null : (result.filePath ?? null);
  },
};

async function confirmQuit(count: number): Promise<boolean> {
  const runs = count === 1 ? '1 run is' : `${count} runs are`;
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    buttons: ['Cancel Runs and Quit', 'Keep Running'],
    defaultId: 1,
    cancelId: 1,
    message: `${runs} still training.`,
    detail: 'Quitting cancels them; the metrics logged so far are kept.',
  });
  // Keeping them after the last window closed (Linux, Windows) must leave a window to come back to.
  if (response !== 0 && BrowserWindow.getAllWindows().length === 0) createWindow();
  return response === 0;
}

function start(): void {
  let workbench: Workbench;
  try {
    workbench = openWorkbench({ dbPath: defaultDatabasePath(), host: 'electron' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The usual cause in a development checkout: better-sqlite3 built for Node, not Electron.
    const hint = /NODE_MODULE_VERSION|was compiled against/.test(message)
      ? '\n\nRebuild the native modules for Electron: npx electron-builder install-app-deps'
      : '';
    dialog.showErrorBox('NGF Workbench cannot open its database', `${message}${hint}`);
    app.exit(1);
    return;
  }
  const { service } = workbench;

  protocol.handle(APP_SCHEME, (request) => appFileResponse(rendererDir, request.url, csp));
  applySessionPolicy(session.defaultSession, allowedOrigins, csp);
  registerApiHandlers(ipcMain, service, allowedOrigins);
  registerDialogHandlers(ipcMain, service, fileDialogs, allowedOrigins);
  forwardEvents(service, () => BrowserWindow.getAllWindows().map((window) => window.webContents));

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(applicationMenuTemplate({ appName: app.getName(), isMac, isDev: devServerUrl !== undefined, send: sendMenuAction })),
  );

  app.on(
    'before-quit',
    createQuitGuard({
      activeRuns: () => activeRunIds(service),
      confirm: confirmQuit,
      cancel: (runId) => service.handle('runs.cancel', { runId }),
      quit: () => void closeWorkbench(workbench).finally(() => app.quit()),
    }),
  );
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the database and the training: hand over to it.
  app.quit();
} else {
  app.on('second-instance', () => {
    const window = currentWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, allowedOrigins));
  app.on('window-all-closed', () => {
    if (!isMac) app.quit();
  });
  void app.whenReady().then(start);
}
