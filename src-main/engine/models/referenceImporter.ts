/**
 * Imports a reference checkpoint (.eqx + _high_level_params.json) as a workbench checkpoint, so that
 * a shipped model becomes a run like any trained one: eval, analysis and comparison load it through
 * the same checkpoint reader (../training/checkpoint.ts). The optimizer state is fresh (step 0).
 */
import type { ReferenceImporter } from '../../services/engines';
import { initBackend } from '../backend';
import { Adam } from '../optim/adam';
import { bundleCheckpoint, saveCheckpoint } from '../training/checkpoint';
import { loadReferenceModel } from './referenceCheckpoint';

export function createReferenceImporter(): ReferenceImporter {
  return {
    async read(eqxPath, paramsPath, scratchDir) {
      await initBackend();
      const model = await loadReferenceModel(eqxPath, paramsPath);
      const optimizer = new Adam(model.parameters, { lr: 1e-3 });
      try {
        await saveCheckpoint(scratchDir, model, optimizer, { seed: 0, epoch: 0, step: 0, training: { source: 'reference', eqxPath } });
        return { hyperparameters: model.config, dimDataspace: model.stateDim, checkpointPath: await bundleCheckpoint(scratchDir) };
      } finally {
        optimizer.dispose();
        model.dispose();
      }
    },
  };
}
