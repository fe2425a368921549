/**
 * The unit 2-sphere in spherical coordinates x = (theta, phi), theta the polar angle:
 *
 *   p(theta, phi) = (sin theta cos phi, sin theta sin phi, cos theta),   g = diag(1, sin^2 theta),
 *   Gamma^theta_phiphi = -sin theta cos theta,   Gamma^phi_thetaphi = Gamma^phi_phitheta = cot theta.
 *
 * Data points are y = (p, v) in R^6 with v tangent at p (the reference's half-sphere data). psi maps
 * y to the chart's tangent bundle (theta, phi, dtheta, dphi) and phi back; the chart is singular
 * at the poles (sin theta = 0).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BundleMap } from '../../nn/diffeomorphism';
import { fromEntries } from '../linalg';
import { checkPoints, type MetricField } from '../metricField';
import { columns } from './columns';

type Column = tf.Tensor2D;


function sphereG(x: tf.Tensor2D): tf.Tensor3D {
  checkPoints(sphereMetric, x);
  return tf.tidy(() => {
    const [theta] = columns(x, 2, 'sphere points') as [Column];
    const zero = tf.zerosLike(theta);
    return fromEntries<tf.Rank.R3>([tf.onesLike(theta), zero, zero, tf.square(tf.sin(theta))], [2, 2]);
  });
}

export const sphereMetric: MetricField = {
  dim: 2,
  metric: sphereG,
  metricWithDerivatives(x) {
    return tf.tidy(() => {
      const g = sphereG(x);
      const [theta] = columns(x, 2, 'sphere points') as [Column];
      const zero = tf.zerosLike(theta);
      // d_theta g_phiphi = 2 sin theta cos theta = sin 2 theta; nothing depends on phi.
      const dg = fromEntries<tf.Rank.R4>([zero, zero, zero, tf.sin(tf.mul(theta, 2)), zero, zero, zero, zero], [2, 2, 2]);
      return { g, dg };
    });
  },
};

/** The closed-form Gamma[b, k, a, c] of the sphere, for tests. */
export function sphereChristoffel(x: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [theta] = columns(x, 2, 'sphere points') as [Column];
    const zero = tf.zerosLike(theta);
    const cot = tf.div(tf.cos(theta), tf.sin(theta));
    const sinCos = tf.mul(tf.sin(theta), tf.cos(theta));
    return fromEntries<tf.Rank.R4>([zero, zero, zero, tf.neg(sinCos), zero, cot, cot, zero], [2, 2, 2]);
  });
}

/** psi: (p, v) in R^6 -> (theta, phi, dtheta, dphi); p is projected radially onto the sphere. */
export const sphereEncoder: BundleMap = {
  inSize: 6,
  outSize: 4,
  parameters: [],
  apply(y) {
    return tf.tidy(() => {
      const [px, py, pz, vx, vy, vz] = columns(y, 6, 'sphere data') as [Column, Column, Column, Column, Column, Column];
      const rho2 = tf.add(tf.square(px), tf.square(py));
      const rho = tf.sqrt(rho2);
      const theta = tf.atan2(rho, pz);
      const phi = tf.atan2(py, px);
      // Derivatives of atan2(rho, pz) and atan2(py, px) along v.
      const dRho = tf.div(tf.add(tf.mul(px, vx), tf.mul(py, vy)), rho);
      const dTheta = tf.div(tf.sub(tf.mul(pz, dRho), tf.mul(rho, vz)), tf.add(rho2, tf.square(pz)));
      const dPhi = tf.div(tf.sub(tf.mul(px, vy), tf.mul(py, vx)), rho2);
      return tf.concat([theta, phi, dTheta, dPhi], 1) as tf.Tensor2D;
    });
  },
};

/** phi: (theta, phi, dtheta, dphi) -> (p, v) in R^6, v = dp. */
export const sphereDecoder: BundleMap = {
  inSize: 4,
  outSize: 6,
  parameters: [],
  apply(z) {
    return tf.tidy(() => {
      const [theta, phi, dTheta, dPhi] = columns(z, 4, 'sphere tangent-bundle points') as [Column, Column, Column, Column];
      const [st, ct, sp, cp] = [tf.sin(theta), tf.cos(theta), tf.sin(phi), tf.cos(phi)];
      const p = [tf.mul(st, cp), tf.mul(st, sp), ct];
      const v = [
        tf.sub(tf.mul(tf.mul(ct, cp), dTheta), tf.mul(tf.mul(st, sp), dPhi)),
        tf.add(tf.mul(tf.mul(ct, sp), dTheta), tf.mul(tf.mul(st, cp), dPhi)),
        tf.neg(tf.mul(st, dTheta)),
      ];
      return tf.concat([...p, ...v], 1) as tf.Tensor2D;
    });
  },
};
