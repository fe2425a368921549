/**
 * Preload (sandboxed, context-isolated, built as CommonJS): exposes `window.ngf` (NgfBridge, see
 * ./bridge.ts) and nothing else. The page never sees ipcRenderer, only these functions: `invoke` and
 * `subscribe` (a src-shared Transport, so the renderer does `createClient(window.ngf)`), the path of
 * a dropped file, the native dialogs, and menu actions.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  API_CHANNEL_PREFIX,
  EVENT_CHANNEL,
  MENU_ACTIONS,
  MENU_CHANNEL,
  SHELL_CHANNELS,
  type IpcReply,
  type MenuAction,
  type NgfBridge,
} from './bridge';

/**
 * Only an Error's message crosses the context bridge (not its class or code), and createClient
 * prefixes the method name to such errors: the service's own `method: ` prefix is dropped here so
 * the renderer reads the message exactly as the service wrote it.
 */
function unwrap<T>(reply: IpcReply<T>, method?: string): T {
  if (reply.ok) return reply.result;
  const { message } = reply.error;
  const prefix = method ? `${method}: ` : '';
  throw new Error(prefix && message.startsWith(prefix) ? message.slice(prefix.length) : message);
}

const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
ipcRenderer.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const cb of [...(eventListeners.get(name) ?? [])]) cb(payload);
});

const menuListeners = new Set<(action: MenuAction) => void>();
ipcRenderer.on(MENU_CHANNEL, (_event, action: unknown) => {
  if (!(MENU_ACTIONS as readonly unknown[]).includes(action)) return;
  for (const cb of [...menuListeners]) cb(action as MenuAction);
});

const bridge: NgfBridge = {
  async invoke(method, payload) {
    if (typeof method !== 'string') throw new Error('invoke: the method name must be a string');
    return unwrap(await ipcRenderer.invoke(`${API_CHANNEL_PREFIX}${method}`, payload ?? {}), method);
  },
  subscribe(event, cb) {
    let listeners = eventListeners.get(event);
    if (!listeners) eventListeners.set(event, (listeners = new Set()));
    listeners.add(cb);
    return () => void listeners.delete(cb);
  },
  getPathForFile: (file) => webUtils.getPathForFile(file),
  openDatasetDialog: async () => unwrap(await ipcRenderer.invoke(SHELL_CHANNELS.openDataset)),
  exportRunsDialog: async (runIds) => unwrap(await ipcRenderer.invoke(SHELL_CHANNELS.exportRuns, runIds)),
  importRunsDialog: async () => unwrap(await ipcRenderer.invoke(SHELL_CHANNELS.importRuns)),
  onMenu(cb) {
    menuListeners.add(cb);
    return () => void menuListeners.delete(cb);
  },
};

contextBridge.exposeInMainWorld('ngf', bridge);
