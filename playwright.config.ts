import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests of the workbench UI in browser mode: test/e2e/serverSetup.ts starts the real
 * server (`serve`) on a fresh database and passes its token URL to the tests; the renderer must be
 * built first (`npm run test:e2e` does `electron-vite build`). One worker: the tests share one
 * server and train real (tiny) models on 2 shared CPU cores.
 */
export default defineConfig({
  testDir: 'test/e2e',
  // Two suites: the UI in browser mode, and the Electron app (skipped, saying why, where Electron's
  // binary or a display is missing).
  projects: [
    { name: 'browser', testDir: 'test/e2e' },
    { name: 'electron', testDir: 'test/e2e-electron' },
  ],
  outputDir: 'test-results/e2e',
  globalSetup: './test/e2e/serverSetup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
