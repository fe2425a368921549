/**
 * `npm run ngf -- train --model ngf|hnn|node --dataset TRAIN.npz [options]`: trains a model in a
 * worker thread (see src-main/engine/training/workerPool.ts) and saves its checkpoint to --out.
 *
 * With --json, stdout gets one JSON object per epoch ({"type": "epoch", ...}) and a final one
 * ({"type": "result", ...}: the test-set figures reconstruction_mse, prediction_mse,
 * latent_prediction_mse, loss, n_samples, as `eval` prints them, plus backend, threads, epochs, steps,
 * seconds, checkpoint). Without it, one line per epoch. Ctrl-C stops after the current step and
 * still saves. Exit codes: 0 trained (or cancelled), 1 training failed, 2 bad usage.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultBudget, MODEL_KINDS } from '../../../src-shared/hyperparams';
import type { TrainingJobSpec } from '../../engine/training/job';
import type { EpochMetrics } from '../../engine/training/trainer';
import { TrainingWorkerPool } from '../../engine/training/workerPool';
import { parseOptions, readBackendOption, readNumber, UsageError } from '../options';

export const summary = 'train an NGF, Hamiltonian NN or neural ODE on a dataset (in a worker thread), saving a checkpoint';

const HELP = `usage: npm run ngf -- train --model ngf|hnn|node --dataset TRAIN.npz [options]
  --test TEST.npz        test set (else --test-fraction of the training file, default none)
  --test-fraction F      hold out this fraction of the training samples as test set
  --epochs N             default ${defaultBudget().epochs}
  --batch-size B         default ${defaultBudget().batchSize}
  --lr LR                Adam learning rate, default ${defaultBudget().lr}
  --seed S               initialisation and shuffling seed, default 0
  --config FILE.json     model config (e.g. {"hiddenSizes": [200, 200], "training": "derivatives"})
  --out DIR              checkpoint folder (config.json, parameters.npz, optimizer.npz), saved every epoch
  --resume               continue the checkpoint in --out
  --true-field KIND      derivative matching (hnn): dz/dt from this generator's true field
  --backend B            cpu | wasm | auto (default: NGF_BACKEND or auto)
  --threads N            CPU threads for the NGF's fused geodesic kernel (default: NGF_FAST_THREADS, else 2 on 2+ cores)
  --json                 machine-readable output (one JSON object per line)`;

const VALUE_OPTIONS = ['--model', '--dataset', '--test', '--test-fraction', '--epochs', '--batch-size', '--lr', '--seed', '--config', '--out', '--true-field', '--backend', '--threads'];

async function parseArgs(args: string[]): Promise<{ spec: TrainingJobSpec; json: boolean }> {
  const parsed = parseOptions('train', args, { values: VALUE_OPTIONS, flags: ['--json', '--resume'] });
  const { values } = parsed;
  const resume = parsed.flags.has('--resume');
  const model = values.get('--model');
  if (!model || !(MODEL_KINDS as readonly string[]).includes(model)) throw new UsageError(`train: --model must be one of ${MODEL_KINDS.join(', ')}, got ${model ?? 'nothing'}`);
  const dataset = values.get('--dataset');
  if (!dataset) throw new UsageError('train: --dataset TRAIN.npz is required');
  const budget = defaultBudget();
  const num = (option: string, fallback: number, integer: boolean) => readNumber('train', parsed, option, { integer }) ?? fallback;
  let config: unknown = {};
  const configFile = values.get('--config');
  if (configFile) {
    try {
      config = JSON.parse(await readFile(configFile, 'utf8'));
    } catch (err) {
      throw new UsageError(`train: --config ${configFile}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const backend = readBackendOption('train', parsed);
  if (resume && !values.has('--out')) throw new UsageError('train: --resume needs --out DIR');
  const spec: TrainingJobSpec = {
    model,
    config,
    trainPath: path.resolve(dataset),
    seed: num('--seed', 0, true),
    epochs: num('--epochs', budget.epochs, true),
    batchSize: num('--batch-size', budget.batchSize, true),
    lr: num('--lr', budget.lr, false),
    backend: backend as TrainingJobSpec['backend'],
    resume,
  };
  if (values.has('--test')) spec.testPath = path.resolve(values.get('--test')!);
  if (values.has('--test-fraction')) spec.testFraction = num('--test-fraction', 0, false);
  if (values.has('--out')) spec.checkpointDir = path.resolve(values.get('--out')!);
  if (values.has('--true-field')) spec.trueField = values.get('--true-field')!;
  const threads = readNumber('train', parsed, '--threads', { integer: true, min: 1 });
  if (threads !== undefined) spec.threads = threads;
  return { spec, json: parsed.flags.has('--json') };
}

function epochLine(m: EpochMetrics): Record<string, unknown> {
  const terms = (prefix: string, t: Record<string, number> | undefined) => Object.fromEntries(Object.entries(t ?? {}).map(([k, v]) => [`${prefix}_${k}`, v]));
  return {
    type: 'epoch',
    epoch: m.epoch,
    step: m.step,
    train_loss: m.train.loss,
    test_loss: m.test?.loss ?? null,
    ...terms('train', m.train.terms),
    ...terms('test', m.test?.terms),
    seconds: m.seconds,
    test_seconds: m.testSeconds,
    samples_per_second: m.samplesPerSecond,
  };
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let parsed: Awaited<ReturnType<typeof parseArgs>>;
  try {
    parsed = await parseArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(err.message);
    console.error('(npm run ngf -- train --help lists the options)');
    return 2;
  }
  const { spec, json } = parsed;
  const pool = new TrainingWorkerPool();
  const job = pool.submit(spec, {
    onEpoch: (m) => {
      if (json) console.log(JSON.stringify(epochLine(m)));
      else console.log(`epoch ${m.epoch}: train ${m.train.loss.toExponential(4)}${m.test ? `, test ${m.test.loss.toExponential(4)}` : ''} (${m.seconds.toFixed(1)} s, ${Math.round(m.samplesPerSecond)} samples/s)`);
    },
    onStatus: (message) => {
      if (!json) console.error(`train: ${message}`);
    },
  });
  const onSigint = () => job.cancel();
  process.once('SIGINT', onSigint);
  try {
    const result = await job.done;
    const evaluation = result.evaluation ?? { reconstruction_mse: null, prediction_mse: null, latent_prediction_mse: null, loss: null, n_samples: 0 };
    const final = {
      type: 'result',
      status: result.status,
      model: result.model,
      ...evaluation,
      train_loss: result.train?.loss ?? null,
      test_loss: result.test?.loss ?? null,
      backend: result.backend,
      threads: result.threads,
      epochs: result.epochs,
      steps: result.steps,
      seconds: result.seconds,
      checkpoint: result.checkpointDir,
    };
    if (json) console.log(JSON.stringify(final));
    else console.log(`${result.status}: ${result.epochs} epochs, ${result.steps} steps in ${result.seconds.toFixed(1)} s on ${result.backend} (${result.threads} kernel thread${result.threads === 1 ? '' : 's'})` + (result.evaluation ? `; test prediction MSE ${result.evaluation.prediction_mse.toExponential(4)}` : '') + (result.checkpointDir ? `; checkpoint ${result.checkpointDir}` : ''));
    return 0;
  } catch (err) {
    console.error(`train: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    await pool.close();
  }
}
