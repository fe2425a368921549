import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-main/engine/backend';
import { loadReferenceModel } from '../../../../src-main/engine/models/referenceCheckpoint';
import { createReferenceImporter } from '../../../../src-main/engine/models/referenceImporter';
import { loadCheckpoint } from '../../../../src-main/engine/training/checkpoint';

const MODEL = '../shared/reference/ngf/models/master_thesis/toy-problem_model-A.eqx';
const scratch = mkdtempSync(join(tmpdir(), 'ngf-import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('reference importer', () => {
  it('turns an .eqx into a workbench checkpoint with the same weights and predictions', async () => {
    await initBackend('cpu');
    const imported = await createReferenceImporter().read(MODEL, undefined, join(scratch, 'a'));
    expect(imported.dimDataspace).toBe(6);
    expect(imported.hyperparameters).toMatchObject({ dimM: 2 });

    const reference = await loadReferenceModel(MODEL);
    const { model, optimizer, meta } = await loadCheckpoint(imported.checkpointPath);
    expect(meta.kind).toBe('ngf');
    const y = tf.tensor2d([[0.1, 0.2, 0.97, 0.3, -0.2, 0.01], [0.5, -0.4, 0.76, -0.1, 0.3, 0.1]]);
    const times = tf.tensor2d([[0, 1], [0, 1]]);
    const a = reference.predict(y, times).arraySync();
    const b = model.predict(y, times).arraySync();
    expect(b).toEqual(a);
    tf.dispose([y, times]);
    optimizer.dispose();
    model.dispose();
    reference.dispose();
  });

  it('names the file at fault when the params json is missing', async () => {
    await expect(createReferenceImporter().read(MODEL, join(scratch, 'missing.json'), join(scratch, 'b'))).rejects.toThrow(/missing\.json/);
  });
});
