/**
 * The reference NGF losses, each returned as its three terms and their sum. Every term is a plain
 * mean over all elements of its array.
 *
 * Input/target pairs (target = flow of input for time t, n steps, the reference uses n = 49):
 *   reconstruction = mean((phi psi(in) - in)^2 + (phi psi(tg) - tg)^2)
 *   prediction     = mean((phi(exp psi(in)) - tg)^2)
 *   latent         = mean((exp psi(in) - psi(tg))^2)
 *
 * Trajectories traj [B, T, D] at times [B, T]; geo = the geodesic from psi(traj[:, 0]) with n = T - 1
 * steps from times[:, 0] to times[:, -1] (a uniform grid, as in the reference):
 *   prediction     = mean((traj - phi(geo))^2)
 *   latent         = mean((psi(traj) - geo)^2)
 *   reconstruction = mean((phi psi(traj) - traj)^2)
 *
 * Encoder and decoder calls are batched (one psi and one phi call per loss) because the cost on
 * TF.js is the number of kernels, not their size.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TangentBundleModel } from './ngfTangentBundle';

export type NgfLossTerms = {
  reconstruction: tf.Scalar;
  prediction: tf.Scalar;
  latent: tf.Scalar;
  /** reconstruction + prediction + latent */
  total: tf.Scalar;
};

function withTotal(reconstruction: tf.Scalar, prediction: tf.Scalar, latent: tf.Scalar): NgfLossTerms {
  return { reconstruction, prediction, latent, total: tf.addN([reconstruction, prediction, latent]) as tf.Scalar };
}

function checkData(model: TangentBundleModel, t: tf.Tensor, what: string): void {
  if (t.shape[t.rank - 1] !== model.dataDim) {
    throw new Error(`NGF loss: ${what} must have ${model.dataDim} columns (the model's data dimension), got [${t.shape.join(', ')}]`);
  }
}

/** The input/target loss; inputs, targets [B, D], times [B], `steps` fixed RK4 steps per sample. */
export function inputTargetLoss(
  model: TangentBundleModel,
  inputs: tf.Tensor2D,
  targets: tf.Tensor2D,
  times: tf.Tensor1D,
  steps: number,
): NgfLossTerms {
  checkData(model, inputs, 'inputs');
  checkData(model, targets, 'targets');
  const B = inputs.shape[0];
  if (targets.shape[0] !== B || times.rank !== 1 || times.shape[0] !== B) {
    throw new Error(`NGF loss: inputs [${inputs.shape}], targets [${targets.shape}] and times [${times.shape}] must share the batch size`);
  }
  return tf.tidy(() => {
    const both = tf.concat([inputs, targets], 0);
    const encoded = model.encode(both); // [2B, 2m]: psi(in), psi(tg)
    const [zIn, zTg] = tf.split(encoded, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    const zT = model.exp(zIn, { t: times, steps });
    const decoded = model.decode(tf.concat([encoded, zT], 0)); // [3B, D]
    const [reconstructed, predicted] = tf.split(decoded, [2 * B, B], 0);
    // mean over [B, D] of (a^2 + b^2) = 2 * mean over the stacked [2B, D].
    const reconstruction = tf.mul(tf.mean(tf.squaredDifference(reconstructed!, both)), 2) as tf.Scalar;
    const prediction = tf.mean(tf.squaredDifference(predicted!, targets)) as tf.Scalar;
    const latent = tf.mean(tf.squaredDifference(zT, zTg)) as tf.Scalar;
    return withTotal(reconstruction, prediction, latent);
  }) as NgfLossTerms;
}

/** The trajectory loss; trajectories [B, T, D], times [B, T] with T >= 2. */
export function trajectoryLoss(model: TangentBundleModel, trajectories: tf.Tensor3D, times: tf.Tensor2D): NgfLossTerms {
  checkData(model, trajectories, 'trajectories');
  const [B, T, D] = trajectories.shape;
  if (times.rank !== 2 || times.shape[0] !== B || times.shape[1] !== T || T < 2) {
    throw new Error(`NGF loss: times must be [${B}, ${T}] for trajectories [${trajectories.shape}] (T >= 2), got [${times.shape}]`);
  }
  return tf.tidy(() => {
    const m2 = 2 * model.latentDim;
    const flat = tf.reshape(trajectories, [B * T, D]) as tf.Tensor2D;
    const encoded = tf.reshape(model.encode(flat), [B, T, m2]);
    const z0 = tf.reshape(tf.slice(encoded, [0, 0, 0], [B, 1, m2]), [B, m2]) as tf.Tensor2D;
    const t0 = tf.reshape(tf.slice(times, [0, 0], [B, 1]), [B]) as tf.Tensor1D;
    const t1 = tf.reshape(tf.slice(times, [0, T - 1], [B, 1]), [B]) as tf.Tensor1D;
    const geo = model.geodesic(z0, { t: tf.sub(t1, t0) as tf.Tensor1D, steps: T - 1 }); // [B, T, 2m]
    const decoded = model.decode(tf.concat([tf.reshape(geo, [B * T, m2]), tf.reshape(encoded, [B * T, m2])], 0) as tf.Tensor2D);
    const [predicted, reconstructed] = tf.split(decoded, 2, 0);
    const prediction = tf.mean(tf.squaredDifference(predicted!, flat)) as tf.Scalar;
    const latent = tf.mean(tf.squaredDifference(encoded, geo)) as tf.Scalar;
    const reconstruction = tf.mean(tf.squaredDifference(reconstructed!, flat)) as tf.Scalar;
    return withTotal(reconstruction, prediction, latent);
  }) as NgfLossTerms;
}
