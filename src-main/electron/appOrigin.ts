/**
 * The app:// origin the renderer is served from, and the mapping of its URLs to files.
 *
 * Production loads `app://workbench/index.html`; every `app://workbench/<path>` request resolves to
 * `<out/renderer>/<path>` and nothing outside that folder: `..` segments, encoded (`%2e%2e`, `%2f`,
 * `%5c`) or not, absolute paths, NUL bytes and other hosts are refused (null), so a compromised page
 * cannot read arbitrary files through the protocol. Pure (no Electron): unit-tested in Node.
 */
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'workbench';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `scheme://host[:port]` of a URL, or null when it does not parse. (WHATWG `URL.origin` is 'null' for
 * non-special schemes such as app:, so it is rebuilt from protocol and host.)
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : null;
  } catch {
    return null;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `rootDir` that `requestUrl` names, or null when the URL is not ours or would leave
 * `rootDir`. `/` is index.html.
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return null; // malformed percent-encoding
  }
  // Backslashes are separators on Windows: treat them as such everywhere so '..\\' cannot slip through.
  relative = relative.replace(/\\/g, '/');
  if (relative.includes('\0') || relative.split('/').includes('..')) return null;
  if (relative === '' || relative.endsWith('/')) relative += 'index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, `.${relative.startsWith('/') ? '' : '/'}${relative}`);
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return file;
}
