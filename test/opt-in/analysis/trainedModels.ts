/**
 * Opt-in acceptance of the analysis on trained models (minutes of CPU):
 * - reversal error of the reference two-body NGF (model A) vs a neural ODE trained here for a few
 *   hundred steps on the same data (fixed-energy two-body train file), per solver;
 * - the HNN-paper energy MSE over 15 rollouts of t in [0, 25] for a Hamiltonian NN checkpoint, when
 *   one is given (train it with `npm run ngf -- train --model hnn ...`).
 * Usage: npx tsx test/opt-in/analysis/trainedModels.ts [STEPS=300] [HNN_CHECKPOINT_DIR]
 * Prints one JSON object; exits 1 when the NGF's rk4 reversal error is not below 1e-4 or not clearly
 * (10x) below the neural ODE's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registerTfjsNodeResolution } from '../../../src-main/engine/tfjsNodeResolution';

registerTfjsNodeResolution();
const { initBackend } = await import('../../../src-main/engine/backend');
const { loadDataset } = await import('../../../src-main/data/datasetFile');
const { loadReferenceModel } = await import('../../../src-main/engine/models/referenceCheckpoint');
const { runTrainingJob } = await import('../../../src-main/engine/training/job');
const { loadCheckpoint } = await import('../../../src-main/engine/training/checkpoint');
const { analyzeModel } = await import('../../../src-main/engine/analysis/analyzeModel');

const root = path.resolve(import.meta.dirname, '../../..');
const data = (name: string) => path.join(root, '../shared/reference/ngf/datasets', name);
const steps = Number(process.argv[2] ?? 300);
const hnnDir = process.argv[3];
await initBackend('cpu');
const test = await loadDataset(data('two-body-problem_fixed-energy-trajectories_test.npz'));
const reversal = { sections: ['reversibility'] as const, system: 'two-body' };

const ngf = await loadReferenceModel(path.join(root, '../shared/reference/ngf/models/master_thesis/two-body-problem_model-A.eqx'));
const ngfFigures = analyzeModel(ngf, test, { ...reversal, sections: [...reversal.sections] });

const dir = mkdtempSync(path.join(tmpdir(), 'ngf-node-'));
const batchSize = 15;
const epochs = Math.ceil(steps / Math.ceil(90 / batchSize));
const trained = await runTrainingJob({ model: 'node', trainPath: data('two-body-problem_fixed-energy-trajectories_train.npz'), seed: 0, epochs, batchSize, lr: 1e-3, checkpointDir: dir, backend: 'cpu' });
const { model: node } = await loadCheckpoint(dir);
const nodeFigures = analyzeModel(node, test, { ...reversal, sections: [...reversal.sections] });
rmSync(dir, { recursive: true, force: true });

let hnn: Record<string, unknown> | null = null;
if (hnnDir) {
  const { model } = await loadCheckpoint(hnnDir);
  const figures = analyzeModel(model, test, { sections: ['energy', 'prediction'], system: 'two-body', horizonTime: 25 });
  hnn = { energyMse: figures.scalars.energyMse, paperHnn: 3.9e-5, paperBaseline: 6.3e-2, predictionMse: figures.scalars.predictionMse, energy: figures.sections.energy };
}

const pick = (scalars: Record<string, number>) => Object.fromEntries(Object.entries(scalars).filter(([k]) => k.startsWith('reversibility.')));
const report = { ngf: pick(ngfFigures.scalars), node: { steps: trained.steps, trainLoss: trained.train?.loss, ...pick(nodeFigures.scalars) }, hnn };
console.log(JSON.stringify(report, null, 2));
const ngfRk4 = ngfFigures.scalars['reversibility.reversal.rk4']!;
const nodeRk4 = nodeFigures.scalars['reversibility.reversal.rk4']!;
process.exit(ngfRk4 < 1e-4 && nodeRk4 > 10 * ngfRk4 ? 0 : 1);
