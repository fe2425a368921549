/**
 * `npm run ngf -- generate KIND --out FILE.npz [options]`: writes a synthetic dataset.
 *
 * The options are the generator's parameters in kebab case (tEnd -> --t-end; booleans are flags such
 * as --full-sphere), plus --out, --compress (deflate, as np.savez_compressed) and --json (print a JSON
 * summary instead of one line). Exit codes: 0 written, 2 bad usage (unknown kind or option, bad
 * value), 1 anything else.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeDataset } from '../../data/describeDataset';
import { datasetFromArrays } from '../../data/dataset';
import { writeDataset } from '../../data/datasetFile';
import { GENERATORS, type Generator, type ParamValue } from '../../data/generators/index';
import { parseOptions, UsageError } from '../options';

export const summary = 'generate a synthetic dataset (sphere/torus geodesics, two-body, spring, pendulum) as .npz';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function help(): string {
  const lines = ['usage: npm run ngf -- generate KIND --out FILE.npz [--compress] [--json] [parameters]', 'kinds and parameters:'];
  for (const generator of Object.values(GENERATORS)) {
    lines.push(`  ${generator.name}: ${generator.description}`);
    for (const spec of generator.params) {
      const option = spec.kind === 'boolean' ? `--${kebab(spec.name)}` : `--${kebab(spec.name)} ${spec.kind === 'choice' ? spec.choices!.join('|') : spec.kind.toUpperCase()}`;
      lines.push(`      ${option.padEnd(42)} ${spec.description} (default ${spec.default})`);
    }
  }
  return lines.join('\n');
}

/** Parses `KIND --out FILE [options]` against the generator's parameter specs. */
function parseArgs(args: string[]): { generator: Generator; out: string; compress: boolean; json: boolean; params: Record<string, ParamValue> } {
  const [kind, ...rest] = args;
  if (!kind || kind.startsWith('-')) throw new UsageError(`generate: missing KIND (one of ${Object.keys(GENERATORS).join(', ')})`);
  const generator = GENERATORS[kind];
  if (!generator) throw new UsageError(`generate: unknown kind '${kind}' (one of ${Object.keys(GENERATORS).join(', ')})`);
  const specs = new Map(generator.params.map((spec) => [`--${kebab(spec.name)}`, spec]));
  const options = [...specs.keys()];
  const parsed = parseOptions('generate', rest, {
    values: ['--out', ...options.filter((option) => specs.get(option)!.kind !== 'boolean')],
    flags: ['--compress', '--json', ...options.filter((option) => specs.get(option)!.kind === 'boolean')],
    unknownHint: ` for ${kind} (options: --out, --compress, --json, ${options.join(', ')})`,
  });
  const params: Record<string, ParamValue> = {};
  for (const option of parsed.flags) if (specs.has(option)) params[specs.get(option)!.name] = true;
  for (const [option, value] of parsed.values) {
    const spec = specs.get(option);
    if (!spec) continue; // --out
    if (spec.kind === 'choice') params[spec.name] = value;
    else {
      const number = value.trim() === '' ? NaN : Number(value);
      if (!Number.isFinite(number)) throw new UsageError(`generate: option ${option} needs a number, got '${value}'`);
      params[spec.name] = number;
    }
  }
  const out = parsed.values.get('--out');
  if (!out) throw new UsageError('generate: --out FILE.npz is required');
  return { generator, out, compress: parsed.flags.has('--compress'), json: parsed.flags.has('--json'), params };
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(help());
    return 0;
  }
  let parsed: ReturnType<typeof parseArgs>;
  let arrays: ReturnType<Generator['generate']>;
  const start = performance.now();
  try {
    parsed = parseArgs(args);
    arrays = parsed.generator.generate(parsed.params);
  } catch (err) {
    // Bad options and parameter values (resolveParams names the parameter and its range) are usage errors.
    console.error(err instanceof Error ? err.message : String(err));
    console.error('(npm run ngf -- generate --help lists kinds and options)');
    return 2;
  }
  const { generator, out, compress, json } = parsed;
  await mkdir(dirname(out), { recursive: true });
  await writeDataset(arrays, out, { compress });
  const ms = Math.round(performance.now() - start);
  const summary = describeDataset(datasetFromArrays({ ...arrays }, out));
  if (json) {
    console.log(JSON.stringify({ file: out, generator: generator.name, params: parsed.params, ms, summary }));
  } else {
    const size = summary.format === 'trajectories' ? `n ${summary.n}, T ${summary.steps}, D ${summary.dim}` : `n ${summary.n}, D ${summary.dim}`;
    console.log(`wrote ${out}: ${generator.name}, ${summary.format} (${size}, float64${compress ? ', deflated' : ''}) in ${ms} ms`);
  }
  return 0;
}
