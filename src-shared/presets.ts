/**
 * Named hyperparameter presets: the configurations of the published reference models.
 *
 * Architectures are copied from the reference's ngf/models/.../NAME_high_level_params.json files (class
 * names mapped to our choice values: NN_diffeomorphism -> 'mlp', NN_diffeomorphism_for_chart ->
 * 'mlp-chart', NN_Jacobian_split_diffeomorphism[_for_chart] -> 'jacobian-split[-chart]', NN_metric ->
 * 'cholesky', NN_metric_regularized -> 'regularized'). Learning rate and batch size follow the
 * reference's training (Adam 1e-3; batch 512 for the toy problem; 15 for two-body, whose shipped
 * training file has 90 trajectories). Epoch counts are workbench defaults, not the reference's.
 */
import type { Budget, ModelConfigs, ModelKind } from './hyperparams';

export interface Preset<K extends ModelKind = ModelKind> {
  id: string;
  label: string;
  description: string;
  model: K;
  config: ModelConfigs[K];
  budget: Budget;
  /** The reference file the configuration was taken from, or the README section. */
  source: string;
}

const hidden = (): number[] => [32, 32];

function ngf(
  encoder: ModelConfigs['ngf']['encoder'],
  decoder: ModelConfigs['ngf']['decoder'],
  metric: ModelConfigs['ngf']['metric'],
): ModelConfigs['ngf'] {
  return { dimM: 2, encoder, encoderHidden: hidden(), decoder, decoderHidden: hidden(), metric, metricHidden: hidden(), geodesicSteps: 49 };
}

const TOY_BUDGET: Budget = { epochs: 200, batchSize: 512, lr: 1e-3 };
const TWO_BODY_BUDGET: Budget = { epochs: 500, batchSize: 15, lr: 1e-3 };
const THESIS = 'ngf/models/master_thesis/';

export const PRESETS: readonly Preset[] = [
  ...(['A', 'B', 'C', 'D'] as const).map(
    (name): Preset<'ngf'> => ({
      id: `toy-problem-${name}`,
      label: `Toy problem, model ${name}`,
      description: 'Half-sphere geodesics (6-D data, m = 2), unregularised metric g = L L^T.',
      model: 'ngf',
      config: name === 'A' || name === 'C' ? ngf('jacobian-split', 'jacobian-split', 'cholesky') : ngf('mlp', 'mlp', 'cholesky'),
      budget: TOY_BUDGET,
      source: `${THESIS}toy-problem_model-${name}_high_level_params.json`,
    }),
  ),
  ...(['A', 'B', 'C', 'D'] as const).map(
    (name): Preset<'ngf'> => ({
      id: `two-body-${name}`,
      label: `Two-body problem, model ${name}`,
      description: 'Two-body orbits (8-D data, m = 2), chart encoder, regularised metric g = I + L L^T.',
      model: 'ngf',
      config:
        name === 'A' || name === 'C' ? ngf('jacobian-split-chart', 'jacobian-split', 'regularized') : ngf('mlp-chart', 'mlp', 'regularized'),
      budget: TWO_BODY_BUDGET,
      source: `${THESIS}two-body-problem_model-${name}_high_level_params.json`,
    }),
  ),
  {
    id: 'half-sphere',
    label: 'Half sphere',
    description: 'Half-sphere geodesics with the regularised metric (the half-sphere-good/quick checkpoints).',
    model: 'ngf',
    config: ngf('mlp', 'mlp', 'regularized'),
    budget: TOY_BUDGET,
    source: 'ngf/models/half-sphere-good_high_level_params.json',
  } satisfies Preset<'ngf'>,
  {
    id: 'two-body-hnn',
    label: 'Two-body problem, Hamiltonian NN baseline',
    description: 'The Hamiltonian-NN baseline of the reference: MLP 8-200-200, tanh.',
    model: 'hnn',
    config: { hiddenSizes: [200, 200], activation: 'tanh', solver: 'rk4', stepsPerInterval: 1 },
    budget: TWO_BODY_BUDGET,
    source: 'README.md, accuracy anchors (Hamiltonian NN baseline)',
  } satisfies Preset<'hnn'>,
];

export function presetsFor<K extends ModelKind>(kind: K): Preset<K>[] {
  return PRESETS.filter((p): p is Preset<K> => p.model === kind);
}
