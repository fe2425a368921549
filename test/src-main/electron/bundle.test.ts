/**
 * The main and preload bundles as electron-vite emits them (built here into a scratch folder under
 * node_modules/.cache, so packages resolve as for the real build and out/ is left alone): every chunk parses, the preload is
 * CommonJS, the main bundle imports only production dependencies, and its TF.js chunk loads in plain
 * Node (no resolve hook) with correct second derivatives. The renderer bundle is built by
 * `npm run test:e2e`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
let scratch: string;

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.c?js$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

beforeAll(async () => {
  mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
  scratch = mkdtempSync(path.join(root, 'node_modules', '.cache', 'ngf-bundle-test-'));
  process.env.NODE_ENV_ELECTRON_VITE = 'production';
  const resolved = await resolveConfig({ root, logLevel: 'silent' }, 'build', 'production');
  for (const target of ['main', 'preload'] as const) {
    const config = resolved.config![target]!;
    await build({ ...config, logLevel: 'silent', build: { ...config.build, outDir: path.join(scratch, target) } });
  }
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('electron-vite bundles', () => {
  it('emits main (with the training worker entry) and a CommonJS preload, every file valid JavaScript', () => {
    const files = jsFiles(scratch).map((f) => path.relative(scratch, f));
    expect(files).toEqual(expect.arrayContaining([path.join('main', 'index.js'), path.join('main', 'trainingWorker.js'), path.join('preload', 'index.cjs')]));
    for (const file of jsFiles(scratch)) execFileSync(process.execPath, ['--check', file]); // throws on a SyntaxError
    const preload = readFileSync(path.join(scratch, 'preload', 'index.cjs'), 'utf8');
    expect(preload).toMatch(/require\("electron"\)/);
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect(preload).toContain('exposeInMainWorld("ngf"');
  });

  it('puts the worker pool next to trainingWorker.js, which it starts by a relative URL', () => {
    const starters = jsFiles(path.join(scratch, 'main')).filter((f) => readFileSync(f, 'utf8').includes('"./trainingWorker.js"'));
    expect(starters.length).toBeGreaterThan(0);
    for (const file of starters) expect(path.dirname(file)).toBe(path.join(scratch, 'main'));
  });

  it('imports from node_modules only production dependencies, Electron and Node built-ins', () => {
    const allowed = new Set(['electron', ...Object.keys(packageJson.dependencies)]);
    const imported = new Set<string>();
    for (const file of jsFiles(path.join(scratch, 'main'))) {
      const code = readFileSync(file, 'utf8');
      const statements = /^\s*(?:import|export)\b[^;'"]*?(?:from\s*)?"([^"]+)"|\bimport\("([^"]+)"\)/gm;
      for (const [, spec, dynamic] of code.matchAll(statements)) if (!(spec ?? dynamic)!.startsWith('.')) imported.add((spec ?? dynamic)!);
    }
    const packages = [...imported].filter((s) => !s.startsWith('node:')).map((s) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/'));
    expect(packages.length).toBeGreaterThan(3);
    for (const name of packages) expect(allowed.has(name), `${name} is imported by the main bundle but not a dependency`).toBe(true);
    // tfjs-core's extension-less ESM gradients must be inside the bundle, not imported at run time.
    expect([...imported].some((s) => s.includes('register_all_gradients'))).toBe(false);
  });

  it("loads the bundled TF.js backend in plain Node, with second derivatives through tanh", () => {
    const chunk = jsFiles(path.join(scratch, 'main')).find((f) => /function initBackend\b/.test(readFileSync(f, 'utf8')));
    expect(chunk).toBeDefined();
    const script = `
      const m = await import(${JSON.stringify(new URL(`file://${chunk}`).href)});
      const initBackend = Object.values(m).find((f) => typeof f === 'function' && f.name === 'initBackend');
      await initBackend('cpu');
      const tf = await import('@tensorflow/tfjs-core');
      const d2 = tf.grad((v) => tf.grad((u) => tf.tanh(u))(v))(tf.scalar(0.5)).dataSync()[0];
      console.log(JSON.stringify({ d2 }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.join(scratch, 'main'), encoding: 'utf8' });
    const { d2 } = JSON.parse(out.trim().split('\n').filter((l) => l.startsWith('{')).pop()!);
    const t = Math.tanh(0.5);
    expect(d2).toBeCloseTo(-2 * t * (1 - t * t), 5);
  });
});
