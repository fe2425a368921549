/**
 * The tangent-bundle model at the heart of a neural geodesic flow:
 *
 *   data y (D) --psi--> z = (x, v) in TM (2m) --geodesic flow of g for time t--> z(t) --phi--> data
 *
 * psi and phi are any `BundleMap`s and g any `MetricField`, so learned networks (../nn) and closed
 * forms (../geometry/analytic) are interchangeable: `new TangentBundleModel({ psi: sphereEncoder,
 * phi: sphereDecoder, metric: sphereMetric })` is the exact model of the half-sphere data.
 */
import * as tf from '@tensorflow/tfjs-core';
import { christoffel } from '../geometry/christoffel';
import { expMap, geodesic, geodesicEnergy, geodesicField, type GeodesicOptions } from '../geometry/geodesic';
import type { MetricField } from '../geometry/metricField';
import type { FastGeodesicFlow } from '../fast/fastGeodesic';
import type { BundleMap } from '../nn/diffeomorphism';
import type { VectorField } from '../ode/types';

export interface TangentBundleComponents {
  /** Encoder, data (D) -> TM (2m). */
  psi: BundleMap;
  /** Decoder, TM (2m) -> data (D). */
  phi: BundleMap;
  /** Metric on the m-dimensional latent manifold. */
  metric: MetricField;
  /** The fused geodesic of ../fast, tried first by exp and geodesic (null where it does not apply). */
  fastFlow?: FastGeodesicFlow;
}

export class TangentBundleModel {
  readonly psi: BundleMap;
  readonly phi: BundleMap;
  readonly metric: MetricField;
  /** D */
  readonly dataDim: number;
  /** m */
  readonly latentDim: number;
  /** The geodesic flow f(z) = (v, -Gamma(v, v)) on TM. */
  readonly field: VectorField;
  private readonly fastFlow: FastGeodesicFlow | null;

  constructor({ psi, phi, metric, fastFlow }: TangentBundleComponents) {
    const m = metric.dim;
    if (psi.outSize !== 2 * m || phi.inSize !== 2 * m || psi.inSize !== phi.outSize) {
      throw new Error(
        `tangent-bundle model: psi ${psi.inSize} -> ${psi.outSize} and phi ${phi.inSize} -> ${phi.outSize} do not fit a metric of dimension ${m} (need D -> ${2 * m} -> D)`,
      );
    }
    this.psi = psi;
    this.phi = phi;
    this.metric = metric;
    this.dataDim = psi.inSize;
    this.latentDim = m;
    this.field = geodesicField(metric);
    this.fastFlow = fastFlow ?? null;
  }

  /** psi(y): [B, D] -> [B, 2m]. */
  encode(y: tf.Tensor2D): tf.Tensor2D {
    return this.psi.apply(y);
  }

  /** phi(z): [B, 2m] -> [B, D]. */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return this.phi.apply(z);
  }

  /** g(x) [B, m, m]. */
  metricAt(x: tf.Tensor2D): tf.Tensor3D {
    return this.metric.metric(x);
  }

  /** Gamma [B, m, m, m], Gamma[b, k, a, c] = Gamma^k_ac(x_b). */
  christoffel(x: tf.Tensor2D): tf.Tensor4D {
    return christoffel(this.metric, x);
  }

  /** exp(z, t) with n fixed steps of t / n (RK4 unless told): [B, 2m]. */
  exp(z: tf.Tensor2D, options: GeodesicOptions): tf.Tensor2D {
    return this.fastFlow?.exp(z, options) ?? expMap(this.metric, z, options);
  }

  /** The whole latent geodesic from z: [B, steps + 1, 2m]. */
  geodesic(z: tf.Tensor2D, options: GeodesicOptions): tf.Tensor3D {
    return this.fastFlow?.geodesic(z, options) ?? geodesic(this.metric, z, options);
  }

  /** phi(exp(psi(y), t)): the data point the flow reaches from y after time t. */
  predict(y: tf.Tensor2D, options: GeodesicOptions): tf.Tensor2D {
    return tf.tidy(() => this.decode(this.exp(this.encode(y), options)));
  }

  /** The geodesic energy g(v, v) [B] of z = (x, v) in TM, conserved by the flow. */
  energy(z: tf.Tensor2D): tf.Tensor1D {
    return geodesicEnergy(this.metric, z);
  }
}
