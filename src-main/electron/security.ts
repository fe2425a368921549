/**
 * The renderer's sandbox: window options, Content-Security-Policy, navigation and permission guards.
 *
 * The page is treated as untrusted content that may only talk to the typed API: no Node, a sandboxed
 * CommonJS preload in an isolated world, a CSP that allows only the app's own origin, no navigation
 * or new windows away from it, and no permission (camera, notifications, ...) ever granted.
 * Electron objects are passed in (structural types), so all of this is testable in plain Node.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { originOf } from './appOrigin';

/** Options of the one workbench window; `preloadPath` is the built CommonJS preload. */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'NGF Workbench',
    // Shown on 'ready-to-show', so the window never flashes an empty frame.
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/**
 * The page's CSP. Scripts only from the app origin (no inline script, no eval); inline styles are
 * allowed because ECharts and Vue's style bindings set style attributes. `devServerOrigin` (the
 * electron-vite dev server, development only) is added for its scripts and its HMR WebSocket.
 */
export function contentSecurityPolicy(devServerOrigin?: string): string {
  const self = devServerOrigin ? `'self' ${devServerOrigin}` : "'self'";
  const connect = devServerOrigin ? `${self} ${devServerOrigin.replace(/^http/, 'ws')}` : self;
  return [
    `default-src ${self}`,
    `script-src ${self}`,
    `style-src ${self} 'unsafe-inline'`,
    `img-src ${self} data: blob:`,
    `font-src ${self} data:`,
    `connect-src ${connect}`,
    `worker-src ${self} blob:`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
  ].join('; ');
}

/** True when `url` belongs to one of `allowedOrigins` (scheme, host and port all equal). */
export function isAllowedUrl(url: string, allowedOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && allowedOrigins.includes(origin);
}

/** The parts of a WebContents the guards use. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void; url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Keeps a WebContents on the app: navigations and redirects to any other origin are cancelled,
 * window.open and target=_blank are denied, and <webview> cannot be attached.
 */
export function guardNavigation(contents: GuardedContents, allowedOrigins: readonly string[], warn = console.warn): void {
  const keepOnApp = (event: { preventDefault(): void; url: string }) => {
    if (!isAllowedUrl(event.url, allowedOrigins)) {
      event.preventDefault();
      warn(`blocked navigation to ${event.url}`);
    }
  };
  contents.on('will-navigate', keepOnApp);
  contents.on('will-redirect', keepOnApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    warn(`blocked new window for ${url}`);
    return { action: 'deny' };
  });
}

/** The parts of a Session the policy uses. */
export interface GuardedSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { url: string; responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  };
}

/**
 * Denies every permission request and check, and sets the CSP header on every response from the app
 * origins (replacing any the server sent: the policy is ours, not the page's).
 */
export function applySessionPolicy(session: GuardedSession, allowedOrigins: readonly string[], csp: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAllowedUrl(details.url, allowedOrigins)) return callback({});
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
}
