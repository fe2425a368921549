/**
 * The analysis engine as the workbench service drives it (src-main/services/engines.ts,
 * AnalysisRunner): load the run's checkpoint and the dataset, run `analyzeModel` with the report's
 * options. The system whose true energy is used is guessed from the dataset's file name (see
 * ./systems.ts guessSystem); without a match there is no true energy.
 */
import { loadDataset } from '../../data/datasetFile';
import type { AnalysisFigures, AnalysisRunner, AnalysisSpec } from '../../services/engines';
import { initBackend, type BackendChoice } from '../backend';
import { loadCheckpoint } from '../training/checkpoint';
import { analyzeModel } from './analyzeModel';
import { guessSystem } from './systems';

export function createAnalysisRunner(options: { backend?: BackendChoice | 'auto' } = {}): AnalysisRunner {
  return {
    async run(spec: AnalysisSpec): Promise<AnalysisFigures> {
      await initBackend(options.backend ?? 'auto');
      const { model, optimizer, meta } = await loadCheckpoint(spec.checkpointPath);
      optimizer.dispose();
      try {
        if (meta.kind !== spec.model) throw new Error(`${spec.checkpointPath}: the checkpoint holds a ${meta.kind} model, the run says ${spec.model}`);
        const dataset = await loadDataset(spec.datasetPath);
        const { sections, maxSamples, horizon } = spec.options;
        return analyzeModel(model, dataset, { sections, maxSamples, horizon, system: guessSystem(spec.datasetPath) ?? 'none' });
      } finally {
        model.dispose();
      }
    },
  };
}
