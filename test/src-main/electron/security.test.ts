import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../../src-main/electron/appOrigin';
import {
  applySessionPolicy,
  contentSecurityPolicy,
  guardNavigation,
  isAllowedUrl,
  windowOptions,
  type GuardedContents,
  type GuardedSession,
} from '../../../src-main/electron/security';

describe('windowOptions', () => {
  it('isolates and sandboxes the renderer, with Node off and web security on', () => {
    const prefs = windowOptions('/app/out/preload/index.cjs').webPreferences!;
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  it('allows scripts only from the app itself: no inline script, no eval, no objects, no frames', () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|\*/);
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
  });
  it('adds the dev server (and its HMR socket) only when given', () => {
    const csp = directives(contentSecurityPolicy('http://localhost:5173'));
    expect(csp.get('script-src')).toEqual(["'self'", 'http://localhost:5173']);
    expect(csp.get('connect-src')).toContain('ws://localhost:5173');
  });
});

describe('isAllowedUrl', () => {
  it('matches scheme, host and port exactly', () => {
    expect(isAllowedUrl('app://workbench/index.html', [APP_ORIGIN])).toBe(true);
    expect(isAllowedUrl('app://workbench.evil/index.html', [APP_ORIGIN])).toBe(false);
    expect(isAllowedUrl('https://workbench/index.html', [APP_ORIGIN])).toBe(false);
    expect(isAllowedUrl('http://localhost:5174/', ['http://localhost:5173'])).toBe(false);
    expect(isAllowedUrl('javascript:alert(1)', [APP_ORIGIN])).toBe(false);
    expect(isAllowedUrl('', [APP_ORIGIN])).toBe(false);
  });
});

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void; url: string }) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: GuardedContents = {
    on(event: string, listener: (event: never) => void) {
      listeners.set(event, listener as never);
      return contents;
    },
    setWindowOpenHandler(handler) {
      openHandler = handler;
    },
  } as GuardedContents;
  const fire = (name: string, url: string) => {
    let prevented = false;
    listeners.get(name)!({ url, preventDefault: () => void (prevented = true) });
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('guardNavigation', () => {
  it('cancels navigations and redirects away from the app, lets the app navigate, denies new windows and webviews', () => {
    const warnings: string[] = [];
    const { contents, fire, open } = fakeContents();
    guardNavigation(contents, [APP_ORIGIN], (m) => warnings.push(m));
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(fire('will-navigate', 'app://workbench/index.html#/runs')).toBe(false);
    expect(fire('will-attach-webview', 'app://workbench/')).toBe(true);
    expect(open('app://workbench/index.html')).toEqual({ action: 'deny' });
    expect(open('https://example.com')).toEqual({ action: 'deny' });
    expect(warnings.some((w) => w.includes('https://example.com'))).toBe(true);
  });
});

describe('applySessionPolicy', () => {
  function fakeSession() {
    const state: {
      request?: Parameters<GuardedSession['setPermissionRequestHandler']>[0];
      check?: Parameters<GuardedSession['setPermissionCheckHandler']>[0];
      headers?: Parameters<GuardedSession['webRequest']['onHeadersReceived']>[0];
    } = {};
    const session: GuardedSession = {
      setPermissionRequestHandler: (h) => void (state.request = h),
      setPermissionCheckHandler: (h) => void (state.check = h),
      webRequest: { onHeadersReceived: (h) => void (state.headers = h) },
    };
    return { session, state };
  }

  it('denies every permission request and check', () => {
    const { session, state } = fakeSession();
    applySessionPolicy(session, [APP_ORIGIN], 'csp');
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      state.request!(null, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(state.check!(null, permission)).toBe(false);
    }
  });

  it('replaces any CSP on app responses with ours and leaves other origins alone', () => {
    const { session, state } = fakeSession();
    applySessionPolicy(session, [APP_ORIGIN], "default-src 'self'");
    let out: { responseHeaders?: Record<string, string[]> } | undefined;
    state.headers!(
      { url: 'app://workbench/index.html', responseHeaders: { 'content-security-policy': ['*'], 'Content-Type': ['text/html'] } },
      (r) => (out = r),
    );
    expect(out!.responseHeaders).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'self'"] });
    state.headers!({ url: 'https://example.com/', responseHeaders: { a: ['b'] } }, (r) => (out = r));
    expect(out).toEqual({});
  });
});
