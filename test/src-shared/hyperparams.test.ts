import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultBudget, defaultConfig, MODEL_FIELDS, MODEL_KINDS, PRESETS, validateBudget, validateModelConfig } from '../../src-shared';

const REFERENCE = '../shared/reference/ngf/models/';
const CLASS_TO_CHOICE: Record<string, string> = {
  NN_diffeomorphism: 'mlp',
  NN_diffeomorphism_for_chart: 'mlp-chart',
  NN_Jacobian_split_diffeomorphism: 'jacobian-split',
  NN_Jacobian_split_diffeomorphism_for_chart: 'jacobian-split-chart',
  NN_metric: 'cholesky',
  NN_metric_regularized: 'regularized',
};

describe('hyperparameter specs', () => {
  it('defaults are the spec defaults and validate', () => {
    for (const kind of MODEL_KINDS) {
      const config = defaultConfig(kind) as unknown as Record<string, unknown>;
      for (const field of MODEL_FIELDS[kind]) expect(config[field.key], `${kind}.${field.key}`).toEqual(field.default);
    }
    expect(defaultBudget()).toEqual({ epochs: 100, batchSize: 512, lr: 1e-3 });
  });

  it('gives per-field messages the UI can show next to the field', () => {
    const result = validateModelConfig('ngf', { dimM: 2.5, metric: 'euclid', encoderHidden: [32, 0], typo: 1 });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toEqual([
      { path: 'dimM', message: 'must be a whole number from 1 to 32' },
      { path: 'encoderHidden[1]', message: 'must be a list of 0 to 8 layer widths, each a whole number from 1 to 1024' },
      { path: 'metric', message: "must be one of 'cholesky', 'regularized'" },
      { path: 'typo', message: 'unknown field' },
    ]);
    const budget = validateBudget({ epochs: 0, lr: 2 });
    expect(budget.success ? [] : budget.issues.map((i) => i.path)).toEqual(['epochs', 'lr']);
  });

  it('presets validate and match the reference architectures', () => {
    for (const preset of PRESETS) {
      const result = validateModelConfig(preset.model, preset.config);
      expect(result.success, preset.id).toBe(true);
      expect(validateBudget(preset.budget).success).toBe(true);
      if (!preset.source.endsWith('.json')) continue;
      const params = JSON.parse(readFileSync(REFERENCE + preset.source.replace(/^ngf\/models\//, ''), 'utf8'));
      const config = preset.config as unknown as Record<string, unknown>;
      expect(config.dimM, preset.id).toBe(params.dim_M);
      expect(config.encoder, preset.id).toBe(CLASS_TO_CHOICE[params.psi_neural_network_classname]);
      expect(config.decoder, preset.id).toBe(CLASS_TO_CHOICE[params.phi_neural_network_classname]);
      expect(config.metric, preset.id).toBe(CLASS_TO_CHOICE[params.g_neural_network_classname]);
      expect(config.encoderHidden).toEqual(params.psi_arguments.hidden_sizes ?? params.psi_arguments.hidden_sizes_x);
      expect(config.metricHidden).toEqual(params.g_arguments.hidden_sizes);
    }
  });
});
