/**
 * Hyperparameters of the three model kinds as plain data, and the one validator built from it.
 *
 * Each model kind has a list of field specs (key, label, help text, default, unit, bounds or
 * choices). The UI renders a form from them; `modelConfigSchema(kind)` builds the valibot schema
 * that both the UI and the service use, so an invalid value gets the same message on both sides.
 * Missing keys take their defaults, unknown keys are refused (a typo must not silently train the
 * default model).
 *
 * Model kinds:
 * - ngf: neural geodesic flow. Encoder psi: data -> (x, v) in T M (dim M = dimM), a learned metric
 *   g(x) on M, the geodesic flow z' = (v, -Gamma^k_ab v^a v^b) integrated with RK4, decoder phi.
 * - hnn: Hamiltonian neural network. An MLP H(q, p); the flow (dH/dp, -dH/dq) is integrated.
 * - node: neural ODE. An MLP f(z) integrated directly as dz/dt = f(z).
 */
import * as v from 'valibot';
import { validate, type Validated } from './validation';

export const MODEL_KINDS = ['ngf', 'hnn', 'node'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

interface FieldBase {
  key: string;
  label: string;
  /** One or two sentences for a tooltip: what the value does, with the maths where it helps. */
  help: string;
}

export interface NumberFieldSpec extends FieldBase {
  kind: 'number';
  default: number;
  min: number;
  max: number;
  integer: boolean;
  /** Display hint: log-scale sliders for rates and tolerances. */
  scale: 'linear' | 'log';
  unit?: string;
}

export interface ChoiceFieldSpec extends FieldBase {
  kind: 'choice';
  default: string;
  options: readonly { value: string; label: string }[];
}

/** Hidden layer widths of an MLP, e.g. [32, 32]. */
export interface LayersFieldSpec extends FieldBase {
  kind: 'layers';
  default: readonly number[];
  minLayers: number;
  maxLayers: number;
  minWidth: number;
  maxWidth: number;
}

export type FieldSpec = NumberFieldSpec | ChoiceFieldSpec | LayersFieldSpec;

const integer = (spec: Omit<NumberFieldSpec, 'kind' | 'integer' | 'scale'>): NumberFieldSpec => ({
  kind: 'number',
  integer: true,
  scale: 'linear',
  ...spec,
});

const layers = (key: string, label: string, help: string, defaults: number[]): LayersFieldSpec => ({
  kind: 'layers',
  key,
  label,
  help,
  default: defaults,
  minLayers: 0,
  maxLayers: 8,
  minWidth: 1,
  maxWidth: 1024,
});

/** Network kinds of the encoder/decoder; the labels give the reference's class names. */
const DIFFEOMORPHISM_OPTIONS = [
  { value: 'mlp', label: 'MLP (NN_diffeomorphism)' },
  { value: 'mlp-chart', label: 'MLP, tanh output (NN_diffeomorphism_for_chart)' },
  { value: 'jacobian-split', label: 'Jacobian split: (x, v) -> (N(x), J_N(x) v) (NN_Jacobian_split_diffeomorphism)' },
  {
    value: 'jacobian-split-chart',
    label: 'Jacobian split, tanh on N (NN_Jacobian_split_diffeomorphism_for_chart)',
  },
] as const;

const ACTIVATION_OPTIONS = [
  { value: 'tanh', label: 'tanh' },
  { value: 'softplus', label: 'softplus' },
  { value: 'sigmoid', label: 'sigmoid' },
] as const;

const FIXED_STEP_SOLVERS = [
  { value: 'rk4', label: 'classical Runge-Kutta 4' },
  { value: 'midpoint', label: 'explicit midpoint' },
  { value: 'euler', label: 'Euler' },
] as const;

const stepsPerInterval = integer({
  key: 'stepsPerInterval',
  label: 'Solver steps per interval',
  help: 'Fixed solver steps between two consecutive time points of the data.',
  default: 1,
  min: 1,
  max: 1000,
});

export const NGF_FIELDS: readonly FieldSpec[] = [
  integer({
    key: 'dimM',
    label: 'Latent manifold dimension m',
    help: 'dim M. The encoder maps a data point to (x, v) in the tangent bundle TM, a vector of length 2m.',
    default: 2,
    min: 1,
    max: 32,
  }),
  {
    kind: 'choice',
    key: 'encoder',
    label: 'Encoder psi',
    help: 'Network kind of psi: data -> (x, v).',
    default: 'mlp',
    options: DIFFEOMORPHISM_OPTIONS,
  },
  layers('encoderHidden', 'Encoder hidden layers', 'Hidden widths of psi (for the Jacobian split kinds: of N).', [32, 32]),
  {
    kind: 'choice',
    key: 'decoder',
    label: 'Decoder phi',
    help: 'Network kind of phi: (x, v) -> data.',
    default: 'mlp',
    options: DIFFEOMORPHISM_OPTIONS,
  },
  layers('decoderHidden', 'Decoder hidden layers', 'Hidden widths of phi (for the Jacobian split kinds: of N).', [32, 32]),
  {
    kind: 'choice',
    key: 'metric',
    label: 'Metric g(x)',
    help: 'A tanh MLP gives the entries of a lower-triangular L with softplus on its diagonal.',
    default: 'cholesky',
    options: [
      { value: 'cholesky', label: 'g = L L^T (NN_metric)' },
      { value: 'regularized', label: 'g = I + L L^T, entries through tanh (NN_metric_regularized)' },
    ],
  },
  layers('metricHidden', 'Metric hidden layers', 'Hidden widths of the metric network.', [32, 32]),
  integer({
    key: 'geodesicSteps',
    label: 'RK4 steps per input/target pair',
    help: 'Fixed RK4 steps (dt = t / n) of the geodesic flow for input/target data; trajectory data uses T - 1 steps.',
    default: 49,
    min: 1,
    max: 1000,
  }),
];

/** The hidden-layer nonlinearity of the baselines' MLPs (tanh by default). */
const activation = (help: string): FieldSpec => ({ kind: 'choice', key: 'activation', label: 'Activation', help, default: 'tanh', options: ACTIVATION_OPTIONS });

export const HNN_FIELDS: readonly FieldSpec[] = [
  layers('hiddenSizes', 'Hidden layers', 'Hidden widths of the MLP that outputs H(q, p).', [200, 200]),
  activation('Nonlinearity of the hidden layers; it must be twice differentiable for training.'),
  { kind: 'choice', key: 'solver', label: 'Solver', help: 'Fixed-step solver for rollouts.', default: 'rk4', options: FIXED_STEP_SOLVERS },
  stepsPerInterval,
];

export const NODE_FIELDS: readonly FieldSpec[] = [
  layers('hiddenSizes', 'Hidden layers', 'Hidden widths of the MLP f in dz/dt = f(z).', [64, 64]),
  activation('Nonlinearity of the hidden layers.'),
  { kind: 'choice', key: 'solver', label: 'Solver', help: 'Fixed-step solver for training and rollouts.', default: 'rk4', options: FIXED_STEP_SOLVERS },
  stepsPerInterval,
];

export const MODEL_FIELDS: Record<ModelKind, readonly FieldSpec[]> = { ngf: NGF_FIELDS, hnn: HNN_FIELDS, node: NODE_FIELDS };

type Diffeomorphism = (typeof DIFFEOMORPHISM_OPTIONS)[number]['value'];
type Activation = (typeof ACTIVATION_OPTIONS)[number]['value'];
type FixedStepSolver = (typeof FIXED_STEP_SOLVERS)[number]['value'];

export interface NgfConfig {
  dimM: number;
  encoder: Diffeomorphism;
  encoderHidden: number[];
  decoder: Diffeomorphism;
  decoderHidden: number[];
  metric: 'cholesky' | 'regularized';
  metricHidden: number[];
  geodesicSteps: number;
}

export interface HnnConfig {
  hiddenSizes: number[];
  activation: Activation;
  solver: FixedStepSolver;
  stepsPerInterval: number;
}

export interface NodeConfig {
  hiddenSizes: number[];
  activation: Activation;
  solver: FixedStepSolver;
  stepsPerInterval: number;
}

export interface ModelConfigs {
  ngf: NgfConfig;
  hnn: HnnConfig;
  node: NodeConfig;
}
export type ModelConfig = ModelConfigs[ModelKind];

/** Training budget shared by every model kind. */
export const BUDGET_FIELDS: readonly FieldSpec[] = [
  integer({ key: 'epochs', label: 'Epochs', help: 'Passes over the training set.', default: 100, min: 1, max: 1_000_000 }),
  integer({
    key: 'batchSize',
    label: 'Batch size',
    help: 'Samples (or trajectories) per optimiser step.',
    default: 512,
    min: 1,
    max: 1_000_000,
  }),
  {
    kind: 'number',
    key: 'lr',
    label: 'Learning rate',
    help: 'Adam step size (constant; eps 1e-8 as in the reference).',
    default: 1e-3,
    min: 1e-8,
    max: 1,
    integer: false,
    scale: 'log',
  },
];

export interface Budget {
  epochs: number;
  batchSize: number;
  lr: number;
}

function rangeText(spec: NumberFieldSpec): string {
  const unit = spec.unit ? ` ${spec.unit}` : '';
  return spec.integer
    ? `must be a whole number from ${spec.min} to ${spec.max}${unit}`
    : `must be a number from ${spec.min} to ${spec.max}${unit}`;
}

function fieldSchema(spec: FieldSpec): v.GenericSchema {
  switch (spec.kind) {
    case 'number': {
      const text = rangeText(spec);
      const number = spec.integer
        ? v.pipe(v.number(text), v.integer(text), v.minValue(spec.min, text), v.maxValue(spec.max, text))
        : v.pipe(v.number(text), v.finite(text), v.minValue(spec.min, text), v.maxValue(spec.max, text));
      return v.optional(number, spec.default);
    }
    case 'choice': {
      const text = `must be one of ${spec.options.map((o) => `'${o.value}'`).join(', ')}`;
      return v.optional(
        v.picklist(
          spec.options.map((o) => o.value),
          text,
        ),
        spec.default,
      );
    }
    case 'layers': {
      const text = `must be a list of ${spec.minLayers} to ${spec.maxLayers} layer widths, each a whole number from ${spec.minWidth} to ${spec.maxWidth}`;
      const width = v.pipe(v.number(text), v.integer(text), v.minValue(spec.minWidth, text), v.maxValue(spec.maxWidth, text));
      return v.optional(
        v.pipe(v.array(width, text), v.minLength(spec.minLayers, text), v.maxLength(spec.maxLayers, text)),
        () => [...spec.default],
      );
    }
  }
}

/** A strict object schema (unknown keys refused, missing keys defaulted) built from field specs. */
export function schemaFromFields<T>(fields: readonly FieldSpec[]): v.GenericSchema<Partial<T> | undefined, T> {
  const entries: Record<string, v.GenericSchema> = {};
  for (const spec of fields) entries[spec.key] = fieldSchema(spec);
  return v.optional(v.strictObject(entries), {}) as unknown as v.GenericSchema<Partial<T> | undefined, T>;
}

const CONFIG_SCHEMAS: { [K in ModelKind]: v.GenericSchema<Partial<ModelConfigs[K]> | undefined, ModelConfigs[K]> } = {
  ngf: schemaFromFields<NgfConfig>(NGF_FIELDS),
  hnn: schemaFromFields<HnnConfig>(HNN_FIELDS),
  node: schemaFromFields<NodeConfig>(NODE_FIELDS),
};

export function modelConfigSchema<K extends ModelKind>(kind: K): v.GenericSchema<Partial<ModelConfigs[K]> | undefined, ModelConfigs[K]> {
  return CONFIG_SCHEMAS[kind];
}

export const budgetSchema: v.GenericSchema<Partial<Budget> | undefined, Budget> = schemaFromFields<Budget>(BUDGET_FIELDS);

/**
 * The one validator of hyperparameters: the UI calls it on every edit, the service on every
 * runs.start. Issues have paths relative to the config (`encoderHidden[1]`).
 */
export function validateModelConfig<K extends ModelKind>(kind: K, config: unknown): Validated<ModelConfigs[K]> {
  return validate(CONFIG_SCHEMAS[kind], config) as Validated<ModelConfigs[K]>;
}

export function validateBudget(budget: unknown): Validated<Budget> {
  return validate(budgetSchema, budget);
}

export function defaultConfig<K extends ModelKind>(kind: K): ModelConfigs[K] {
  const result = validateModelConfig(kind, {});
  if (!result.success) throw new Error(`defaults of ${kind} do not validate: ${JSON.stringify(result.issues)}`);
  return result.output;
}

export function defaultBudget(): Budget {
  const result = validateBudget({});
  if (!result.success) throw new Error(`budget defaults do not validate: ${JSON.stringify(result.issues)}`);
  return result.output;
}
