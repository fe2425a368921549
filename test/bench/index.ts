/**
 * `npm run bench [-- NAME ...]`: runs every test/bench/*.bench.ts (or the named ones) and prints one
 * JSON object, {benchmark name: figures}, on stdout. Progress goes to stderr.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark } from './harness';
import { registerTfjsNodeResolution } from '../../src-main/engine/tfjsNodeResolution';

// Benchmarks are imported dynamically below, after the TF.js resolve hook is in place (see src-main/engine/tfjsNodeResolution.ts).
registerTfjsNodeResolution();

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = new Set(process.argv.slice(2));
const results: Record<string, unknown> = {};
for (const file of readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort()) {
  const bench = ((await import(pathToFileURL(path.join(here, file)).href)) as { default: Benchmark }).default;
  if (wanted.size > 0 && !wanted.has(bench.name)) continue;
  process.stderr.write(`bench: ${bench.name}...\n`);
  try {
    results[bench.name] = await bench.run();
  } catch (err) {
    results[bench.name] = { error: err instanceof Error ? err.message : String(err) };
  }
}
console.log(JSON.stringify(results, null, 2));
