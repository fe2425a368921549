/**
 * Model kinds by name: `createModel(kind, config, { stateDim, seed })` builds any of them from its
 * JSON config, which is how runs, checkpoints and the command line create models.
 */
import { MODEL_KINDS, type ModelKind } from '../../../src-shared/hyperparams';
import { HamiltonianNN } from './hnn';
import { NeuralOde } from './neuralOde';
import { NeuralGeodesicFlow } from './ngf';
import type { Model, ModelInit } from './types';

const FACTORIES: Record<ModelKind, (config: unknown, init: ModelInit) => Model> = {
  ngf: (config, init) => new NeuralGeodesicFlow(config, init),
  hnn: (config, init) => new HamiltonianNN(config, init),
  node: (config, init) => new NeuralOde(config, init),
};

export function isModelKind(kind: string): kind is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(kind);
}

/** A freshly initialised model; errors name an unknown kind, a bad config key or a bad D. */
export function createModel(kind: string, config: unknown, init: ModelInit): Model {
  if (!isModelKind(kind)) throw new Error(`unknown model kind '${kind}': expected one of ${MODEL_KINDS.join(', ')}`);
  if (!Number.isInteger(init.stateDim) || init.stateDim < 1) throw new Error(`${kind}: state dimension must be a whole number >= 1, got ${init.stateDim}`);
  if (!Number.isInteger(init.seed)) throw new Error(`${kind}: seed must be a whole number, got ${init.seed}`);
  return FACTORIES[kind](config, init);
}
