/**
 * `npm run ngf -- analyze (--checkpoint DIR | --reference-model PATH.eqx) --dataset FILE.npz [options]`:
 * energy conservation, time reversibility, extrapolation, resolution invariance and learned geometry
 * of a trained model (src-main/engine/analysis/analyzeModel.ts).
 *
 * Prints the summaries (a table, or one JSON object with --json) and writes the full result, with the
 * plot-ready series and heat maps, to --out. Exit codes: 0 done, 2 bad usage, 1 anything else (an
 * unreadable checkpoint or dataset, a model that does not fit the data).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ANALYSIS_SECTIONS, type AnalysisSection } from '../../../src-shared/api';
import { loadDataset } from '../../data/datasetFile';
import { analyzeModel, type AnalyzeOptions } from '../../engine/analysis/analyzeModel';
import { evaluationSet } from '../../engine/analysis/evaluationSet';
import { guessSystem, isSystemName, SYSTEMS } from '../../engine/analysis/systems';
import { initBackend, type BackendChoice } from '../../engine/backend';
import { loadReferenceModel } from '../../engine/models/referenceCheckpoint';
import type { Model } from '../../engine/models/types';
import type { SolverName } from '../../engine/ode/types';
import { loadCheckpoint } from '../../engine/training/checkpoint';
import { parseOptions, readBackendOption, readNumber, UsageError } from '../options';

export const summary = 'analyse a trained model: energy drift, time reversibility per solver, extrapolation, resolution invariance, learned geometry';

const SOLVERS: readonly SolverName[] = ['euler', 'midpoint', 'rk4', 'dopri5'];
const DEFAULT_HORIZON_FACTOR = 10;
const DEFAULT_MAX_SAMPLES = 100;

const HELP = `usage: npm run ngf -- analyze (--checkpoint DIR | --reference-model PATH.eqx) --dataset FILE.npz [options]
  --checkpoint DIR        a workbench checkpoint (folder or checkpoint.zip)
  --reference-model EQX   a reference checkpoint NAME.eqx (NAME_high_level_params.json beside it)
  --dataset FILE.npz      initial states and true states (trajectories or inputs/targets)
  --horizon T             rollout length for energy and extrapolation (default ${DEFAULT_HORIZON_FACTOR} x the data's span)
  --train-horizon T       time the model was trained up to: errors before/after it are reported apart
  --solver NAME           rollout solver: ${SOLVERS.join(', ')} (default: the model's own)
  --steps N               fixed-step steps per data interval (default: the model's own)
  --rtol R, --atol A      dopri5 tolerances (default 1e-6, 1e-8)
  --reversal-time T       flow time of the reversibility tests (default: the data's span)
  --reversal-steps N      fixed steps over that time (default: as many as the model takes)
  --system NAME           ${Object.keys(SYSTEMS).join('|')}|none: true energy (default: guessed from the file name)
  --max-samples N         samples evaluated, spread over the dataset (default ${DEFAULT_MAX_SAMPLES}; 0: all)
  --sections LIST         comma-separated subset of ${ANALYSIS_SECTIONS.join(',')}
  --grid N                heat-map points per side (default 25)
  --out FILE.json         write the full result (summaries, series, heat maps) for plotting
  --backend B             cpu | wasm | auto (default: NGF_BACKEND or auto)
  --json                  print the summaries as one JSON object`;

const VALUE_OPTIONS = [
  '--checkpoint', '--reference-model', '--dataset', '--horizon', '--train-horizon', '--solver', '--steps', '--rtol', '--atol',
  '--reversal-time', '--reversal-steps', '--system', '--max-samples', '--sections', '--grid', '--out', '--backend',
];

interface Parsed {
  source: { checkpoint: string } | { reference: string };
  dataset: string;
  horizon: number | null;
  system: string | null;
  out: string | null;
  json: boolean;
  backend: BackendChoice | 'auto';
  options: AnalyzeOptions;
}

function parseArgs(args: string[]): Parsed {
  const parsed = parseOptions('analyze', args, { values: VALUE_OPTIONS, flags: ['--json'] });
  const { values } = parsed;
  const number = (option: string, range: { integer?: boolean; min?: number } = {}) => readNumber('analyze', parsed, option, range);
  const positive = (option: string) => {
    const n = number(option);
    if (n !== undefined && !(n > 0)) throw new UsageError(`analyze: ${option} must be positive, got '${values.get(option)}'`);
    return n;
  };
  const checkpoint = values.get('--checkpoint');
  const reference = values.get('--reference-model');
  if (!checkpoint === !reference) throw new UsageError('analyze: give exactly one of --checkpoint DIR and --reference-model PATH.eqx');
  const dataset = values.get('--dataset');
  if (!dataset) throw new UsageError('analyze: --dataset FILE.npz is required');
  const solver = values.get('--solver');
  if (solver !== undefined && !(SOLVERS as readonly string[]).includes(solver)) throw new UsageError(`analyze: --solver must be one of ${SOLVERS.join(', ')}, got '${solver}'`);
  const system = values.get('--system') ?? null;
  if (system !== null && system !== 'none' && !isSystemName(system)) throw new UsageError(`analyze: --system must be one of ${Object.keys(SYSTEMS).join(', ')}, none; got '${system}'`);
  const sections = values.get('--sections')?.split(',').map((s) => s.trim());
  const unknown = sections?.find((s) => !(ANALYSIS_SECTIONS as readonly string[]).includes(s));
  if (unknown !== undefined) throw new UsageError(`analyze: unknown section '${unknown}' in --sections (known: ${ANALYSIS_SECTIONS.join(', ')})`);
  const backend = readBackendOption('analyze', parsed);
  return {
    source: checkpoint ? { checkpoint } : { reference: reference! },
    dataset,
    horizon: positive('--horizon') ?? null,
    system,
    out: values.get('--out') ?? null,
    json: parsed.flags.has('--json'),
    backend: backend as BackendChoice | 'auto',
    options: {
      sections: sections as AnalysisSection[] | undefined,
      maxSamples: number('--max-samples', { integer: true, min: 0 }) ?? DEFAULT_MAX_SAMPLES,
      solver: solver as SolverName | undefined,
      stepsPerInterval: number('--steps', { integer: true, min: 1 }),
      rtol: positive('--rtol'),
      atol: positive('--atol'),
      trainHorizon: positive('--train-horizon') ?? null,
      gridResolution: number('--grid', { integer: true, min: 2 }),
      reversibility: { time: positive('--reversal-time'), steps: number('--reversal-steps', { integer: true, min: 1 }) },
    },
  };
}

async function loadModel(source: Parsed['source']): Promise<Model> {
  if ('reference' in source) return loadReferenceModel(source.reference);
  const { model, optimizer } = await loadCheckpoint(source.checkpoint);
  optimizer.dispose();
  return model;
}

/** The summaries without the bulky plot data (heat maps, curves, plotted samples). */
function summaries(sections: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(sections)) {
    if (!value || typeof value !== 'object') continue;
    const v = value as Record<string, unknown>;
    if (name === 'metric') out[name] = v.summary ?? v;
    else if (name === 'geodesics') out[name] = v.skipped ? v : { curves: (v.curves as unknown[]).length };
    else if (name === 'prediction') out[name] = Object.fromEntries(Object.entries(v).filter(([key]) => key !== 'samples'));
    else out[name] = v;
  }
  return out;
}

const fmt = (x: unknown) => (typeof x === 'number' ? (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(3)) : String(x));

function printTable(header: Record<string, unknown>, scalars: Record<string, number>, sections: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(header)) console.log(`${key}: ${value}`);
  const rev = sections.reversibility as { figures?: { integrator: string; roundTrip: { median: number; max: number }; reversal: { median: number; max: number } }[]; space?: string } | undefined;
  if (rev?.figures) {
    console.log(`reversibility (${rev.space} space), relative errors median / max:`);
    for (const f of rev.figures) console.log(`  ${f.integrator.padEnd(32)} round trip ${fmt(f.roundTrip.median)} / ${fmt(f.roundTrip.max)}   reversal ${fmt(f.reversal.median)} / ${fmt(f.reversal.max)}`);
  }
  const at = (sections.prediction as { at?: { t: number; mse: number }[] } | undefined)?.at;
  if (at) console.log(`extrapolation MSE: ${at.map((a) => `t=${fmt(a.t)}: ${fmt(a.mse)}`).join(', ')}`);
  console.log('scalars:');
  for (const [key, value] of Object.entries(scalars)) console.log(`  ${key.padEnd(40)} ${fmt(value)}`);
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let parsed: Parsed;
  try {
    parsed = parseArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(err.message);
    console.error('(npm run ngf -- analyze --help lists the options)');
    return 2;
  }
  const start = performance.now();
  const backend = await initBackend(parsed.backend);
  const dataset = await loadDataset(parsed.dataset);
  const model = await loadModel(parsed.source);
  try {
    const span = evaluationSet(dataset, 1).span;
    const system = parsed.system ?? guessSystem(parsed.dataset) ?? 'none';
    const horizonTime = parsed.horizon ?? DEFAULT_HORIZON_FACTOR * span;
    const result = analyzeModel(model, dataset, { ...parsed.options, system, horizonTime });
    const header = {
      model: 'checkpoint' in parsed.source ? parsed.source.checkpoint : parsed.source.reference,
      kind: model.kind,
      dataset: parsed.dataset,
      system,
      horizon: horizonTime,
      samples: Math.min(parsed.options.maxSamples || dataset.n, dataset.n),
      backend: backend.choice,
      seconds: Number(((performance.now() - start) / 1000).toFixed(2)),
    };
    if (parsed.out) {
      await mkdir(path.dirname(path.resolve(parsed.out)), { recursive: true });
      await writeFile(parsed.out, JSON.stringify({ ...header, ...result }) + '\n');
    }
    if (parsed.json) console.log(JSON.stringify({ ...header, scalars: result.scalars, summaries: summaries(result.sections), out: parsed.out }));
    else printTable(header, result.scalars, result.sections);
    return 0;
  } finally {
    model.dispose();
  }
}
