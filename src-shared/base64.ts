/**
 * Base64 <-> bytes without Node's Buffer, so the renderer can upload files (datasets.upload,
 * runs.import) and save exports (runs.export) through the same JSON API as the main process.
 */

const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked so String.fromCharCode never receives more arguments than the engine allows.
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Throws a plain Error naming the problem when `text` is not base64. */
export function base64ToBytes(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text.replace(/\s+/g, ''));
  } catch {
    throw new Error('not valid base64');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Loose syntactic check used by payload schemas (the full decode happens in the service). */
export const BASE64_PATTERN = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;
