/**
 * The app:// protocol handler's work: one request -> one Response with the file from the renderer
 * folder, its content type, the CSP and nosniff; 404 for anything resolveAppFile refuses or that is
 * not a readable file. Uses only Node and the Fetch API's Response, so it is tested without Electron.
 */
import { readFile } from 'node:fs/promises';
import { contentTypeOf, resolveAppFile } from './appOrigin';

export async function appFileResponse(rootDir: string, requestUrl: string, csp: string): Promise<Response> {
  const file = resolveAppFile(rootDir, requestUrl);
  const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  if (!file) return notFound();
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return notFound(); // missing, a folder, or unreadable: the page learns nothing more
  }
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      'content-type': contentTypeOf(file),
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    },
  });
}
