/**
 * Browser mode: the workbench service over loopback HTTP + WebSocket.
 *
 * - Bound to 127.0.0.1 only. Every start draws a random token (32 bytes, base64url); the page URL
 *   http://127.0.0.1:PORT/?token=... carries it to the UI.
 * - POST /api/<method> with a JSON body -> 200 and the JSON result, or `{ error: { code, message } }`
 *   with the ApiError's status: 400 invalid payload (nothing written), 404 unknown method or missing
 *   run/dataset, 409 conflict, 501 engine not available, 500 internal error (its message).
 * - GET /events upgrades to a WebSocket that receives every service event as `{ event, payload }`.
 * - Everything else serves the built renderer from `rendererDir` (index.html for unknown paths, so
 *   client-side routes work), or, when it is not built, a page saying how to build it.
 *
 * Refused with 403: API and event requests without the token (header `x-ngf-token` or `?token=`),
 * any request whose Origin is not this server's, and any request whose Host is not 127.0.0.1 or
 * localhost at this port (a DNS-rebinding page would send its own host name). Static files need
 * no token (they hold no data); index.html gets the token injected as `<meta name="ngf-token">` only
 * when the request itself carries the token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { TOKEN_HEADER, TOKEN_META } from '../../src-shared/browserTransport';
import { ApiError } from '../../src-shared/errors';
import type { WorkbenchService } from '../services/workbenchService';

export interface WorkbenchServerOptions {
  service: WorkbenchService;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built renderer (index.html + assets); default out/renderer of this checkout. */
  rendererDir?: string;
  /** Fixed token (tests); default: a fresh random one. */
  token?: string;
  /** Largest accepted request body (default 512 MiB: uploads travel as base64). */
  maxBodyBytes?: number;
}

export interface WorkbenchServer {
  port: number;
  token: string;
  /** http://127.0.0.1:PORT/?token=TOKEN: what the user opens. */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_RENDERER_DIR = resolve(import.meta.dirname ?? '.', '../../out/renderer');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

const NOT_BUILT_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>NGF Workbench</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>NGF Workbench: the UI is not built</h1>
<p>The API is running, but there is no built renderer in <code>out/renderer</code>.</p>
<p>Build it with <code>npm run build:renderer</code> (or <code>npm run build</code>), then reload this page.
<code>npm start</code> does both.</p>
</body></html>
`;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body === undefined ? null : body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function sendError(res: ServerResponse, error: ApiError | HttpError): void {
  const code = error instanceof ApiError ? error.code : error.status === 403 ? 'forbidden' : 'invalid';
  sendJson(res, error.status, { error: { code, message: error.message } });
}

function decodePath(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, `malformed URL path '${text}'`);
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWorkbenchServer(options: WorkbenchServerOptions): Promise<WorkbenchServer> {
  const { service } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererDir = resolve(options.rendererDir ?? DEFAULT_RENDERER_DIR);
  const maxBodyBytes = options.maxBodyBytes ?? 512 * 1024 * 1024;
  let port = 0;

  /** Why a request must be refused (403), or null. `needsToken`: API and events, not static files. */
  function refusal(req: IncomingMessage, url: URL, needsToken: boolean): string | null {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return `forbidden: unexpected Host '${host}'`;
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return `forbidden: requests from origin '${origin}' are not accepted`;
    }
    if (needsToken) {
      const header = req.headers[TOKEN_HEADER];
      const given = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('token');
      if (!sameToken(given, token)) return 'forbidden: missing or wrong token (open the URL printed by `npm run serve`)';
    }
    return null;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendError(res, new HttpError(405, `use POST for /api/${method}`));
    }
    const text = await readBody(req, maxBodyBytes);
    let payload: unknown;
    try {
      payload = text.trim() ? JSON.parse(text) : {};
    } catch (error) {
      throw new ApiError('invalid', `${method}: request body is not valid JSON (${(error as Error).message})`);
    }
    sendJson(res, 200, await service.handle(method, payload));
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `${req.method} is not supported here`);
    const indexPath = join(rendererDir, 'index.html');
    if (!existsSync(indexPath)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(NOT_BUILT_PAGE);
      return;
    }
    const relative = normalize(decodePath(url.pathname)).replace(/^([/\\])+/, '');
    const candidate = resolve(rendererDir, relative);
    const inside = candidate === rendererDir || candidate.startsWith(rendererDir + sep);
    const isFile = inside && existsSync(candidate) && statSync(candidate).isFile();
    if (isFile && candidate !== indexPath) {
      res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(candidate)] ?? 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : readFileSync(candidate));
      return;
    }
    if (extname(relative) && !isFile) throw new HttpError(404, `no file ${url.pathname}`);
    let html = readFileSync(indexPath, 'utf8');
    if (sameToken(url.searchParams.get('token'), token)) {
      html = html.replace(/<head([^>]*)>/i, (head) => `${head}<meta name="${TOKEN_META}" content="${token}">`);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : html);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = /^\/api\/([^/]+)$/.exec(url.pathname);
    void (async () => {
      const refused = refusal(req, url, api !== null);
      if (refused) throw new HttpError(403, refused);
      if (api) await handleApi(req, res, decodePath(api[1]!));
      else if (url.pathname.startsWith('/api/')) throw new ApiError('unknown-method', `unknown API method path '${url.pathname}'`);
      else serveStatic(req, res, url);
    })().catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof ApiError || error instanceof HttpError) return sendError(res, error);
      sendError(res, new ApiError('internal', error instanceof Error ? error.message : String(error)));
    });
  });

  const sockets = new WebSocketServer({ noServer: true });
  const forwardEvents = (socket: WebSocket) => {
    const off = service.events.onAny((event, payload) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, payload }));
    });
    socket.on('close', off);
    socket.on('error', off);
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refused = url.pathname === '/events' ? refusal(req, url, true) : 'not found';
    if (refused) {
      const status = refused === 'not found' ? '404 Not Found' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-type: text/plain\r\n\r\n${refused}\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, forwardEvents);
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}
