/**
 * Evaluation of a model on a whole dataset: the figures the `eval` command and run summaries report.
 *
 * Each figure is a plain mean over every element of the dataset (batch means weighted by batch
 * size): prediction_mse (predicted vs data states), reconstruction_mse and latent_prediction_mse
 * (NGF only, null otherwise) and loss (the model's loss in the dataset's own format).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../../data/dataset';
import { loadDataset } from '../../data/datasetFile';
import { initBackend, type BackendChoice } from '../backend';
import type { Model } from '../models/types';
import { loadCheckpoint } from './checkpoint';
import { datasetSamples } from './samples';

export interface EvaluationMetrics {
  reconstruction_mse: number | null;
  prediction_mse: number;
  latent_prediction_mse: number | null;
  loss: number;
  n_samples: number;
}

export function evaluateModel(model: Model, ds: Dataset, batchSize = 512): EvaluationMetrics {
  if (ds.dim !== model.stateDim) {
    throw new Error(`${ds.source}: the dataset has D = ${ds.dim} but the ${model.kind} model expects D = ${model.stateDim}`);
  }
  if (ds.n === 0) throw new Error(`${ds.source}: the dataset is empty`);
  const samples = datasetSamples(ds);
  const sums = { prediction: 0, reconstruction: 0, latentPrediction: 0, loss: 0 };
  let hasLatent = false;
  for (let start = 0; start < ds.n; start += batchSize) {
    const rows = Int32Array.from({ length: Math.min(batchSize, ds.n - start) }, (_, i) => start + i);
    tf.tidy(() => {
      const batch = samples.batch(rows);
      if (batch.format === 'derivatives') throw new Error('unreachable: dataset samples are never derivative pairs');
      const terms = model.evaluate(batch);
      const read = (t: tf.Scalar) => t.dataSync()[0]! * rows.length;
      sums.prediction += read(terms.prediction);
      sums.loss += read(terms.loss);
      if (terms.reconstruction && terms.latentPrediction) {
        hasLatent = true;
        sums.reconstruction += read(terms.reconstruction);
        sums.latentPrediction += read(terms.latentPrediction);
      }
    });
  }
  return {
    reconstruction_mse: hasLatent ? sums.reconstruction / ds.n : null,
    prediction_mse: sums.prediction / ds.n,
    latent_prediction_mse: hasLatent ? sums.latentPrediction / ds.n : null,
    loss: sums.loss / ds.n,
    n_samples: ds.n,
  };
}

/** `eval --checkpoint`: the figures of a saved model on a dataset file, with backend and wall time. */
export async function evaluateCheckpointFile(
  checkpoint: string,
  datasetPath: string,
  options: { backend?: BackendChoice | 'auto'; batchSize?: number } = {},
): Promise<EvaluationMetrics & { model: string; backend: string; seconds: number }> {
  const backend = await initBackend(options.backend ?? 'auto');
  const start = performance.now();
  const [loaded, ds] = await Promise.all([loadCheckpoint(checkpoint), loadDataset(datasetPath)]);
  try {
    const metrics = evaluateModel(loaded.model, ds, options.batchSize ?? 512);
    return { ...metrics, model: loaded.model.kind, backend: backend.choice, seconds: (performance.now() - start) / 1000 };
  } finally {
    loaded.model.dispose();
    loaded.optimizer.dispose();
  }
}
