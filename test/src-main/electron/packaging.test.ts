/**
 * Build and packaging configuration: what electron-vite emits must be what Electron and
 * electron-builder load (package.json main, the CommonJS preload main.ts points at), and
 * electron-builder.yml must pass electron-builder's own schema. (The build itself runs in
 * `npm run test:e2e`, which builds before Playwright.)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadConfigFromFile } from 'electron-vite';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };

describe('electron-vite configuration', () => {
  it('emits the main entry package.json names and a CommonJS preload at the path main.ts loads', async () => {
    const { config } = await loadConfigFromFile({ command: 'build', mode: 'production' }, undefined, root);
    const main = config.main!.build!;
    const mainInputs = main.rollupOptions!.input as Record<string, string>;
    expect(path.normalize(path.join(main.outDir!, `${Object.keys(mainInputs)[0]}.js`))).toBe(path.normalize(packageJson.main));
    expect(mainInputs.index).toBe(path.join(root, 'src-main/electron/main.ts'));

    const preload = config.preload!.build!;
    expect(preload.rollupOptions!.output).toMatchObject({ format: 'cjs', entryFileNames: '[name].cjs' });
    const preloadInputs = preload.rollupOptions!.input as Record<string, string>;
    const emitted = path.join(preload.outDir!, `${Object.keys(preloadInputs)[0]}.cjs`);
    const mainSource = readFileSync(path.join(root, 'src-main/electron/main.ts'), 'utf8');
    // main.ts resolves the preload relative to out/main: '..', 'preload', 'index.cjs'.
    expect(emitted).toBe('out/preload/index.cjs');
    expect(mainSource).toContain("path.join(here, '..', 'preload', 'index.cjs')");
  });
});

describe('electron-builder.yml', () => {
  const require = createRequire(path.join(root, 'package.json'));
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util/out/DebugLogger.js');

  it("passes electron-builder's schema, with the four installer targets", async () => {
    const config = await getConfig(root, null, null);
    // (electron-builder normalises `files` to [{filter}] once validated; accept both forms.)
    const files = (config.files as (string | { filter: string[] })[]).flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    expect(files).toEqual(['out/**', 'package.json']);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('unpacks the native modules and the wasm binaries from asar', async () => {
    const config = await getConfig(root, null, null);
    const unpacked: string[] = config.asarUnpack;
    for (const pattern of ['node_modules/better-sqlite3/**', 'node_modules/@tensorflow/tfjs-node-gpu/**', 'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm', '**/*.node']) {
      expect(unpacked).toContain(pattern);
    }
    // What main loads at run time must ship: production dependencies, not devDependencies.
    for (const dep of ['better-sqlite3', 'valibot', 'fflate', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm']) {
      expect(packageJson.dependencies[dep], dep).toBeDefined();
    }
  });

  it('rejects a misspelt option (the schema check is real)', async () => {
    const config = { ...(await getConfig(root, null, null)), asarUnpak: ['x'] };
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/asarUnpak/);
  });
});
