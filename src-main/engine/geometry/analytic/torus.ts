/**
 * The torus of revolution with radii R = 1.5 (centre circle) and r = 0.5 (tube), in the angles
 * x = (u, w), u around the axis and w around the tube:
 *
 *   p(u, w) = ((R + r cos w) cos u, (R + r cos w) sin u, r sin w),   g = diag((R + r cos w)^2, r^2),
 *   Gamma^u_uw = Gamma^u_wu = -r sin w / (R + r cos w),   Gamma^w_uu = (R + r cos w) sin w / r.
 *
 * Data points are y = (p, v) in R^6; psi maps them to (u, w, du, dw), phi back. The chart covers
 * the whole torus (angles are periodic).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BundleMap } from '../../nn/diffeomorphism';
import { fromEntries } from '../linalg';
import { checkPoints, type MetricField } from '../metricField';
import { columns } from './columns';

export const TORUS_R = 1.5;
export const TORUS_TUBE_RADIUS = 0.5;
const R = TORUS_R;
const r = TORUS_TUBE_RADIUS;

type Column = tf.Tensor2D;


/** R + r cos w, the distance of the point from the axis. */
const axisDistance = (w: Column) => tf.add(R, tf.mul(r, tf.cos(w)));

function torusG(x: tf.Tensor2D): tf.Tensor3D {
  checkPoints(torusMetric, x);
  return tf.tidy(() => {
    const [, w] = columns(x, 2, 'torus points') as [Column, Column];
    const zero = tf.zerosLike(w);
    return fromEntries<tf.Rank.R3>([tf.square(axisDistance(w)), zero, zero, tf.fill(w.shape, r * r)], [2, 2]);
  });
}

export const torusMetric: MetricField = {
  dim: 2,
  metric: torusG,
  metricWithDerivatives(x) {
    return tf.tidy(() => {
      const g = torusG(x);
      const [, w] = columns(x, 2, 'torus points') as [Column, Column];
      const zero = tf.zerosLike(w);
      // d_w g_uu = -2 r sin w (R + r cos w); nothing depends on u.
      const dwGuu = tf.mul(-2 * r, tf.mul(tf.sin(w), axisDistance(w)));
      const dg = fromEntries<tf.Rank.R4>([zero, zero, zero, zero, dwGuu, zero, zero, zero], [2, 2, 2]);
      return { g, dg };
    });
  },
};

/** The closed-form Gamma[b, k, a, c] of the torus, for tests. */
export function torusChristoffel(x: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, w] = columns(x, 2, 'torus points') as [Column, Column];
    const zero = tf.zerosLike(w);
    const a = axisDistance(w);
    const uuw = tf.div(tf.mul(-r, tf.sin(w)), a);
    const wuu = tf.div(tf.mul(a, tf.sin(w)), r);
    return fromEntries<tf.Rank.R4>([zero, uuw, uuw, zero, wuu, zero, zero, zero], [2, 2, 2]);
  });
}

/** psi: (p, v) in R^6 -> (u, w, du, dw); p is projected onto the torus along the tube's normal. */
export const torusEncoder: BundleMap = {
  inSize: 6,
  outSize: 4,
  parameters: [],
  apply(y) {
    return tf.tidy(() => {
      const [px, py, pz, vx, vy, vz] = columns(y, 6, 'torus data') as [Column, Column, Column, Column, Column, Column];
      const rho2 = tf.add(tf.square(px), tf.square(py));
      const rho = tf.sqrt(rho2);
      const s = tf.sub(rho, R); // signed distance from the centre circle in the meridian plane
      const u = tf.atan2(py, px);
      const w = tf.atan2(pz, s);
      const dRho = tf.div(tf.add(tf.mul(px, vx), tf.mul(py, vy)), rho);
      const du = tf.div(tf.sub(tf.mul(px, vy), tf.mul(py, vx)), rho2);
      const dw = tf.div(tf.sub(tf.mul(s, vz), tf.mul(pz, dRho)), tf.add(tf.square(s), tf.square(pz)));
      return tf.concat([u, w, du, dw], 1) as tf.Tensor2D;
    });
  },
};

/** phi: (u, w, du, dw) -> (p, v) in R^6, v = dp. */
export const torusDecoder: BundleMap = {
  inSize: 4,
  outSize: 6,
  parameters: [],
  apply(z) {
    return tf.tidy(() => {
      const [u, w, du, dw] = columns(z, 4, 'torus tangent-bundle points') as [Column, Column, Column, Column];
      const [su, cu, sw, cw] = [tf.sin(u), tf.cos(u), tf.sin(w), tf.cos(w)];
      const a = axisDistance(w);
      const p = [tf.mul(a, cu), tf.mul(a, su), tf.mul(r, sw)];
      // dp = d_u p du + d_w p dw, with d_w a = -r sin w.
      const rsw = tf.mul(r, sw);
      const v = [
        tf.sub(tf.neg(tf.mul(tf.mul(a, su), du)), tf.mul(tf.mul(rsw, cu), dw)),
        tf.sub(tf.mul(tf.mul(a, cu), du), tf.mul(tf.mul(rsw, su), dw)),
        tf.mul(tf.mul(r, cw), dw),
      ];
      return tf.concat([...p, ...v], 1) as tf.Tensor2D;
    });
  },
};
