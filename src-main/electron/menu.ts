/**
 * The application menu as a template (Menu.buildFromTemplate turns it into the native menu).
 *
 * Workbench items (Open Dataset…, New Experiment, Export Runs…, Import Runs…) are sent to the renderer
 * as MenuActions: it knows the selected runs and the current view, and answers by calling the API or
 * the native dialogs (./dialogs.ts). Reload and DevTools exist only in development. Quit goes through
 * the quit guard (./quitGuard.ts) via the app's before-quit event.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from './bridge';

export interface MenuOptions {
  appName: string;
  isMac: boolean;
  isDev: boolean;
  /** Delivers a workbench menu action to the focused window's renderer. */
  send(action: MenuAction): void;
}

export function applicationMenuTemplate({ appName, isMac, isDev, send }: MenuOptions): MenuItemConstructorOptions[] {
  const item = (label: string, action: MenuAction, accelerator: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => send(action),
  });

  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      item('Open Dataset…', 'open-dataset', 'CmdOrCtrl+O'),
      item('New Experiment', 'new-experiment', 'CmdOrCtrl+N'),
      { type: 'separator' },
      item('Export Runs…', 'export-runs', 'CmdOrCtrl+E'),
      item('Import Runs…', 'import-runs', 'CmdOrCtrl+I'),
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(isDev
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  return [
    ...appMenu,
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    // macOS has About in the app menu; elsewhere it lives under Help.
    ...(isMac ? [] : ([{ role: 'help', submenu: [{ role: 'about' }] }] as MenuItemConstructorOptions[])),
  ];
}
