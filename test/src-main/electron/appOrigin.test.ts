import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, contentTypeOf, originOf, resolveAppFile } from '../../../src-main/electron/appOrigin';

const root = path.resolve('/srv/out/renderer');

describe('originOf', () => {
  it('rebuilds the origin of app:// URLs, which WHATWG URL reports as "null"', () => {
    expect(new URL(APP_ENTRY_URL).origin).toBe('null');
    expect(originOf(APP_ENTRY_URL)).toBe(APP_ORIGIN);
    expect(originOf('http://localhost:5173/x?y')).toBe('http://localhost:5173');
  });
  it('is null for garbage and host-less URLs', () => {
    expect(originOf('not a url')).toBeNull();
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('')).toBeNull();
  });
});

describe('resolveAppFile', () => {
  it('maps app://workbench paths into the renderer folder; / is index.html', () => {
    expect(resolveAppFile(root, 'app://workbench/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://workbench')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://workbench/index.html?x=1#y')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://workbench/assets/index-abc.js')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveAppFile(root, 'app://workbench/assets/a%20b.css')).toBe(path.join(root, 'assets', 'a b.css'));
  });

  it.each([
    // The URL parser already folds literal and %2e dot segments at the root: they stay inside.
    'app://workbench/../secret.txt',
    'app://workbench/assets/../../secret.txt',
    'app://workbench/%2e%2e/secret.txt',
    // What the parser leaves alone is refused by the resolver.
    'app://workbench/%2E%2E%2Fsecret.txt',
    'app://workbench/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://workbench/..%5c..%5csecret.txt',
    'app://workbench/assets/..\\..\\secret.txt',
    'app://workbench/%2fetc%2fpasswd/..%2f..%2f..',
  ])('keeps %s inside the renderer folder', (url) => {
    const file = resolveAppFile(root, url);
    if (file !== null) expect(path.relative(root, file).startsWith('..')).toBe(false);
    expect(file).not.toBe(path.resolve(root, '..', 'secret.txt'));
  });

  it.each([
    'app://workbench/%2E%2E%2Fsecret.txt',
    'app://workbench/..%5c..%5csecret.txt',
    'app://workbench/assets/..\\..\\secret.txt',
    'app://workbench/index.html%00.js',
    'app://workbench/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
    'http://workbench/index.html',
    'garbage',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });

  it('never returns a path outside the root, whatever the input', () => {
    const pieces = ['..', '.', '%2e%2e', '%2f', '%5c', 'a', '/', '\\', '%00', '%2e', 'index.html'];
    let checked = 0;
    for (const a of pieces) for (const b of pieces) for (const c of pieces) {
      const file = resolveAppFile(root, `app://workbench/${a}${b}${c}`);
      if (file !== null) {
        const rel = path.relative(root, file);
        expect(rel.startsWith('..') || path.isAbsolute(rel) || rel === '').toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('contentTypeOf', () => {
  it('knows the renderer bundle types and falls back to octet-stream', () => {
    expect(contentTypeOf('/a/index.html')).toMatch(/^text\/html/);
    expect(contentTypeOf('/a/x.JS')).toMatch(/^text\/javascript/);
    expect(contentTypeOf('/a/tfjs-backend-wasm.wasm')).toBe('application/wasm');
    expect(contentTypeOf('/a/blob')).toBe('application/octet-stream');
  });
});
