/**
 * `npm run ngf -- eval (--reference-model NAME.eqx | --checkpoint DIR) --dataset DATA.npz [options]`:
 * the figures of a model on a dataset file, either format.
 *
 * Figures (see src-main/engine/training/evaluate.ts) are the terms of the model's loss, each a mean
 * over every element: for NGF exactly the reference losses' reconstruction, prediction and latent
 * terms (inputs/targets: geodesicSteps = 49 RK4 steps; trajectories: T - 1 steps to the last time).
 * With --json, stdout gets one object: reconstruction_mse, prediction_mse, latent_prediction_mse,
 * loss, n_samples, backend, seconds, model, dataset. Exit codes: 0 done, 1 failed, 2 bad usage.
 */
import path from 'node:path';
import { sliceDataset } from '../../data/dataset';
import { loadDataset } from '../../data/datasetFile';
import { initBackend, parseBackendChoice } from '../../engine/backend';
import { loadReferenceModel } from '../../engine/models/referenceCheckpoint';
import { evaluateCheckpointFile, evaluateModel, type EvaluationMetrics } from '../../engine/training/evaluate';
import { parseOptions, readNumber, UsageError } from '../options';

export const summary = 'evaluate a reference checkpoint (.eqx) or a trained checkpoint on a dataset (reconstruction, prediction, latent MSE, loss)';

const HELP = `usage: npm run ngf -- eval (--reference-model NAME.eqx | --checkpoint DIR) --dataset DATA.npz [options]
  --reference-model F    a reference checkpoint NAME.eqx (NAME_high_level_params.json next to it)
  --checkpoint DIR       a checkpoint saved by train
  --dataset F            an .npz dataset, inputs/targets or trajectories
  --limit N              only the first N samples
  --batch-size B         samples per evaluation batch, default 1024
  --backend B            cpu | wasm | auto (default: NGF_BACKEND or auto)
  --json                 one JSON object on stdout`;

interface EvalArgs {
  referenceModel?: string;
  checkpoint?: string;
  dataset: string;
  limit?: number;
  batchSize: number;
  backend: ReturnType<typeof parseBackendChoice>;
  json: boolean;
}

const VALUE_OPTIONS = ['--reference-model', '--checkpoint', '--dataset', '--limit', '--batch-size', '--backend'];

function parseArgs(args: string[]): EvalArgs {
  const parsed = parseOptions('eval', args, { values: VALUE_OPTIONS, flags: ['--json'] });
  const { values } = parsed;
  const dataset = values.get('--dataset');
  if (!dataset) throw new UsageError('eval: --dataset DATA.npz is required');
  const referenceModel = values.get('--reference-model');
  const checkpoint = values.get('--checkpoint');
  if ((referenceModel === undefined) === (checkpoint === undefined)) throw new UsageError('eval: give exactly one of --reference-model NAME.eqx and --checkpoint DIR');
  let backend: EvalArgs['backend'];
  try {
    backend = parseBackendChoice(values.get('--backend') ?? process.env.NGF_BACKEND);
  } catch (err) {
    throw new UsageError(`eval: --backend: ${(err as Error).message}`);
  }
  return {
    referenceModel,
    checkpoint,
    dataset,
    limit: readNumber('eval', parsed, '--limit', { integer: true, min: 1 }),
    batchSize: readNumber('eval', parsed, '--batch-size', { integer: true, min: 1 }) ?? 1024,
    backend,
    json: parsed.flags.has('--json'),
  };
}

type EvalResult = EvaluationMetrics & { model: string; dataset: string; backend: string; seconds: number };

async function evaluateReference(a: EvalArgs & { referenceModel: string }): Promise<EvalResult> {
  const backend = await initBackend(a.backend);
  const start = performance.now();
  const [model, full] = await Promise.all([loadReferenceModel(a.referenceModel), loadDataset(a.dataset)]);
  try {
    const ds = a.limit === undefined ? full : sliceDataset(full, 0, a.limit);
    const metrics = evaluateModel(model, ds, a.batchSize);
    return { ...metrics, model: path.basename(a.referenceModel), dataset: path.basename(a.dataset), backend: backend.choice, seconds: (performance.now() - start) / 1000 };
  } finally {
    model.dispose();
  }
}

async function evaluate(a: EvalArgs): Promise<EvalResult> {
  if (a.referenceModel !== undefined) return evaluateReference({ ...a, referenceModel: a.referenceModel });
  if (a.limit !== undefined) throw new UsageError('eval: --limit is only available with --reference-model for now');
  const result = await evaluateCheckpointFile(a.checkpoint!, a.dataset, { backend: a.backend, batchSize: a.batchSize });
  return { ...result, dataset: path.basename(a.dataset) };
}

const format = (x: number | null) => (x === null ? 'n/a' : x.toExponential(4));

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let parsed: EvalArgs;
  let result: EvalResult;
  try {
    parsed = parseArgs(args);
    result = await evaluate(parsed);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${HELP}`);
    return 2;
  }
  if (parsed.json) {
    console.log(JSON.stringify(result));
  } else {
    console.log(`${result.model} on ${result.dataset} (${result.n_samples} samples, ${result.backend}, ${result.seconds.toFixed(1)} s)`);
    console.log(`  prediction MSE         ${format(result.prediction_mse)}`);
    console.log(`  reconstruction MSE     ${format(result.reconstruction_mse)}`);
    console.log(`  latent prediction MSE  ${format(result.latent_prediction_mse)}`);
    console.log(`  loss                   ${format(result.loss)}`);
  }
  return 0;
}
