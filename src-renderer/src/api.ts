/**
 * The one place the UI connects to the workbench service: in Electron the preload exposes
 * `window.ngf` (an IPC transport plus native dialogs and menu actions); in browser mode the page
 * talks fetch + WebSocket to the loopback server that served it. Views import `api` (and `desktop`
 * for what only the desktop has) and never anything else from src-main.
 */
import { shallowRef, watch } from 'vue';
import { createClient, type WorkbenchClient } from '../../src-shared/client';
import { createBrowserTransport } from '../../src-shared/browserTransport';
import type { MenuAction, NgfBridge } from '../../src-main/electron/bridge';

declare global {
  interface Window {
    ngf?: NgfBridge;
  }
}

/** The Electron bridge, or null in browser mode. */
export const desktop: NgfBridge | null = (typeof window !== 'undefined' && window.ngf) || null;

export const api: WorkbenchClient = createClient(desktop ?? createBrowserTransport());

/** The last application-menu action (desktop only); `handled` once a view acted on it. */
export const menuAction = shallowRef<{ action: MenuAction; handled: boolean } | null>(null);
desktop?.onMenu((action) => {
  menuAction.value = { action, handled: false };
});

/**
 * Runs `handler` for a pending or later menu action among `actions`, once per action. Call it in a
 * view's setup: the menu first switches to the view, which then finds the action pending.
 */
export function onMenuAction(actions: readonly MenuAction[], handler: (action: MenuAction) => void): void {
  watch(
    menuAction,
    (m) => {
      if (!m || m.handled || !actions.includes(m.action)) return;
      m.handled = true;
      handler(m.action);
    },
    { immediate: true },
  );
}

/**
 * The file's path on the service's machine when the host can tell (Electron), else null: the UI then
 * uploads the bytes instead (browser mode).
 */
export function localPathOf(file: File): string | null {
  const path = desktop?.getPathForFile(file);
  return path ? path : null;
}

/** The message of anything thrown by an API call (ApiError messages already name the field or file). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
