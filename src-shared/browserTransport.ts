/**
 * The browser-mode transport: POST /api/<method> for calls, one WebSocket at /events for events.
 *
 * The server prints http://127.0.0.1:PORT/?token=...; the token is read from the page URL or, when
 * the UI has cleaned its URL, from `<meta name="ngf-token">` (the server injects it into index.html).
 * Every request carries it (header `x-ngf-token`, or `?token=` for the WebSocket, which cannot set
 * headers). The socket opens with the first subscription and reconnects with backoff while anyone
 * listens. Works in Node too (tests pass `WebSocket` from the ws package and a base URL).
 */
import type { Transport } from './client';
import { ApiError } from './errors';

export const TOKEN_HEADER = 'x-ngf-token';
export const TOKEN_META = 'ngf-token';

/** The session token from `?token=` or `<meta name="ngf-token">`, or null outside a browser page. */
export function readBrowserToken(): string | null {
  if (typeof location !== 'undefined') {
    const fromUrl = new URLSearchParams(location.search).get('token');
    if (fromUrl) return fromUrl;
  }
  if (typeof document !== 'undefined') {
    const meta = document.querySelector(`meta[name="${TOKEN_META}"]`);
    const content = meta?.getAttribute('content');
    if (content) return content;
  }
  return null;
}

type WebSocketLike = {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
};

export interface BrowserTransportOptions {
  /** e.g. 'http://127.0.0.1:5170'; default: the page's origin. */
  baseUrl?: string;
  /** Default: readBrowserToken(). */
  token?: string;
  WebSocket?: new (url: string) => WebSocketLike;
  fetch?: typeof fetch;
  /** First reconnect delay; doubles up to 10 s. */
  reconnectMs?: number;
}

export interface BrowserTransport extends Transport {
  /** Closes the event socket and stops reconnecting. */
  close(): void;
}

export function createBrowserTransport(options: BrowserTransportOptions = {}): BrowserTransport {
  const baseUrl = (options.baseUrl ?? (typeof location !== 'undefined' ? location.origin : '')).replace(/\/$/, '');
  const token = options.token ?? readBrowserToken() ?? '';
  const doFetch = options.fetch ?? fetch;
  const WebSocketImpl = options.WebSocket ?? (globalThis.WebSocket as unknown as new (url: string) => WebSocketLike);
  const firstDelay = options.reconnectMs ?? 500;

  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocketLike | null = null;
  let delay = firstDelay;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  function listenerCount(): number {
    let n = 0;
    for (const set of listeners.values()) n += set.size;
    return n;
  }

  function connect(): void {
    if (socket || closed) return;
    const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(token)}`;
    const ws = new WebSocketImpl(wsUrl);
    socket = ws;
    ws.onopen = () => {
      delay = firstDelay;
    };
    ws.onmessage = (ev) => {
      let message: { event?: unknown; payload?: unknown };
      try {
        message = JSON.parse(String(ev.data));
      } catch {
        return; // not ours: the server only sends JSON
      }
      if (typeof message.event !== 'string') return;
      for (const cb of [...(listeners.get(message.event) ?? [])]) cb(message.payload);
    };
    ws.onerror = () => {
      /* onclose follows and handles the reconnect */
    };
    ws.onclose = () => {
      socket = null;
      if (closed || listenerCount() === 0) return;
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        connect();
      }, delay);
      delay = Math.min(delay * 2, 10_000);
    };
  }

  return {
    async invoke(method, payload) {
      const response = await doFetch(`${baseUrl}/api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(payload ?? {}),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        throw new ApiError('internal', `${method}: the server answered ${response.status} with a body that is not JSON`);
      }
      if (!response.ok) {
        throw ApiError.fromWire((body as { error?: unknown } | null)?.error, `${method}: HTTP ${response.status}`);
      }
      return body;
    },
    subscribe(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      connect();
      return () => {
        set.delete(cb);
      };
    },
    close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket?.close();
      socket = null;
    },
  };
}
