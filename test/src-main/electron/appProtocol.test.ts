import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appFileResponse } from '../../../src-main/electron/appProtocol';

const base = mkdtempSync(path.join(os.tmpdir(), 'ngf-app-protocol-'));
const root = path.join(base, 'renderer');
mkdirSync(path.join(root, 'assets'), { recursive: true });
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
writeFileSync(path.join(root, 'assets', 'main.js'), 'console.log(1)');
writeFileSync(path.join(base, 'secret.txt'), 'top secret');
afterAll(() => rmSync(base, { recursive: true, force: true }));

const CSP = "default-src 'self'";

describe('appFileResponse', () => {
  it('serves renderer files with their type, the CSP and nosniff', async () => {
    const response = await appFileResponse(root, 'app://workbench/assets/main.js', CSP);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log(1)');
    const index = await appFileResponse(root, 'app://workbench/', CSP);
    expect(await index.text()).toContain('<title>t</title>');
  });

  it('answers 404 for traversal, missing files and folders, revealing nothing', async () => {
    for (const url of ['app://workbench/../secret.txt', 'app://workbench/%2e%2e/secret.txt', 'app://workbench/nope.js', 'app://workbench/assets']) {
      const response = await appFileResponse(root, url, CSP);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('secret');
    }
  });
});
