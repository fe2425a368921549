/* eslint-disable @typescript-eslint/no-explicit-any -- page.evaluate callbacks reach window.ngf and Electron internals that have no types in the test context */
/**
 * Smoke test of the desktop app through Playwright's Electron driver: the built app (`electron .`,
 * out/main) opens its window on app://workbench with the sandboxed bridge, the UI renders, a dataset
 * is generated and a tiny HNN run trains to 'done' through IPC, with run.status events reaching the
 * page. Runs on a fresh database (NGF_WORKBENCH_DB). Needs Electron's binary and a display: where
 * either is missing the test is skipped and says why (Electron cannot be downloaded on an offline
 * machine). `npm run test:e2e` builds the app first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary, noDisplayReason } from '../../src-main/electron/electronBinary';

const root = fileURLToPath(new URL('../..', import.meta.url));
const binary = findElectronBinary();
const skipReason = binary.path === null ? binary.reason : noDisplayReason();
if (skipReason) console.log(`[e2e-electron] skipped: ${skipReason}`);

test.describe.configure({ mode: 'serial' });
test.skip(skipReason !== null, `Electron smoke test skipped: ${skipReason}`);

let app: ElectronApplication;
let page: Page;
let dataDir: string;

/** Calls the API through the preload bridge, as the renderer does. */
function invoke<T = any>(method: string, payload: unknown = {}): Promise<T> {
  return page.evaluate(([m, p]) => (window as any).ngf.invoke(m, p), [method, payload] as const);
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ngf-e2e-electron-'));
  app = await electron.launch({
    executablePath: binary.path!,
    args: ['.'],
    cwd: root,
    env: { ...process.env, NGF_WORKBENCH_DB: path.join(dataDir, 'workbench.db') } as Record<string, string>,
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('opens one sandboxed window on app://workbench with only the bridge exposed', async () => {
  expect(page.url()).toBe('app://workbench/index.html');
  expect(app.windows()).toHaveLength(1);
  const exposed = await page.evaluate(() => ({
    require: typeof (window as any).require,
    process: typeof (window as any).process,
    ipcRenderer: typeof (window as any).ipcRenderer,
    bridge: Object.keys((window as any).ngf).sort(),
  }));
  expect(exposed).toEqual({
    require: 'undefined',
    process: 'undefined',
    ipcRenderer: 'undefined',
    bridge: ['exportRunsDialog', 'getPathForFile', 'importRunsDialog', 'invoke', 'onMenu', 'openDatasetDialog', 'subscribe'],
  });
  // The UI itself rendered (its left navigation).
  await expect(page.locator('[data-nav="datasets"]')).toBeVisible();
});

test('refuses navigation away from the app and bad payloads', async () => {
  await page.evaluate(() => {
    window.location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toMatch(/^app:\/\/workbench\//);
  await expect(invoke('runs.get', { runId: 7 })).rejects.toThrow(/runId: must be a run id/);
});

test('generates a dataset and trains a tiny run to done, with events over IPC', async () => {
  test.setTimeout(300_000);
  const versions = await invoke('app.versions');
  expect(versions.host).toBe('electron');
  expect(versions.electron).toMatch(/^\d+\./);

  const dataset = await invoke('datasets.generate', { kind: 'spring', params: { n: 16, points: 12 }, name: 'electron-smoke' });
  expect(dataset.shapes).toBeDefined();

  // Collect run.status events in the page before starting.
  await page.evaluate(() => {
    (window as any).__statuses = [];
    (window as any).ngf.subscribe('run.status', (e: { status: string }) => (window as any).__statuses.push(e.status));
  });
  const started = await invoke<{ runIds: string[] }>('runs.start', {
    models: [{ model: 'hnn', config: { hiddenSizes: [16, 16] } }],
    trainDatasetId: dataset.id,
    budget: { epochs: 2, batchSize: 8, lr: 0.001 },
    seed: 3,
  });
  expect(started.runIds).toHaveLength(1);
  await expect
    .poll(async () => (await invoke('runs.get', { runId: started.runIds[0] })).run.status, { timeout: 240_000, intervals: [500] })
    .toBe('done');
  expect(await page.evaluate(() => (window as any).__statuses)).toContain('done');
});
