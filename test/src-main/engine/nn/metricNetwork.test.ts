import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src-main/engine/backend';
import { createMetricNetwork, type MetricKind } from '../../../../src-main/engine/nn/metricNetwork';

const xs = [[0.3, -0.7], [-0.2, 0.5], [0.9, 0.1]];

describe('metric network prepared for one integration', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  for (const kind of ['NN_metric', 'NN_metric_regularized'] as MetricKind[]) {
    it(`${kind}: prepared() gives the same g, dg and parameter gradients, and frees its tensors with the scope`, () => {
      const net = createMetricNetwork({ kind, dim: 2, hiddenSizes: [8, 8] }, `prepared-${kind}`, 'g', 3);
      const x = tf.tensor2d(xs);
      const before = tf.memory().numTensors;
      const [direct, prepared] = tf.tidy(() => {
        const once = net.prepared!();
        const a = net.metricWithDerivatives(x);
        const b = once.metricWithDerivatives(x);
        return [
          { g: a.g.arraySync(), dg: a.dg.arraySync(), metric: net.metric(x).arraySync() },
          { g: b.g.arraySync(), dg: b.dg.arraySync(), metric: once.metric(x).arraySync() },
        ];
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(prepared.g).toEqual(direct.g);
      expect(prepared.dg).toEqual(direct.dg);
      expect(prepared.metric).toEqual(direct.metric);

      const gradients = (useOnce: boolean) =>
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => {
            const field = useOnce ? net.prepared!() : net;
            return tf.sum(tf.square(field.metricWithDerivatives(x).dg));
          });
          return net.parameters.map((p) => grads[p.variable.name]!.arraySync());
        });
      const [a, b] = [gradients(false), gradients(true)];
      expect(b.length).toBe(net.parameters.length);
      b.forEach((g, i) => expect(g).toEqual(a[i]));
      x.dispose();
      net.dispose();
    });
  }
});
