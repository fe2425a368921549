import { defineConfig } from 'vitest/config';

// Unit and integration tests (Node). Browser end-to-end tests live in test/e2e and run under Playwright.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/opt-in/**', 'node_modules/**'],
    environment: 'node',
    // The JSON report lets .ci/run print one plain 'N passed, N failed' line for both test runners.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Numerics are CPU-bound on 2 cores: two forks use both without oversubscribing.
    pool: 'forks',
    maxWorkers: 2,
  },
});
