/**
 * What a dataset generator is, and the sampling loop they all share.
 *
 * A generator is a dynamical system with known true flow: it draws initial states, solves for the
 * states at requested times (closed form or float64 integration), and knows its conserved energy.
 * `generateDataset` turns that into either reference format:
 * - inputs-targets: inputs z(0), targets z(tEnd), times tEnd;
 * - trajectories: z at `points` evenly spaced times over [0, tEnd].
 * Optional Gaussian observation noise (std `noise`) is added to every stored state value.
 */
import type { DatasetArrays, DatasetFormat } from '../dataset';
import { Random } from './random';

export type ParamValue = number | boolean | string;

/** One user-settable parameter, as plain JSON-able data (the UI builds its form from it). */
export interface ParamSpec {
  /** Key in the params object; the CLI option is its kebab-case form (tEnd -> --t-end). */
  name: string;
  label: string;
  description: string;
  kind: 'integer' | 'number' | 'boolean' | 'choice';
  default: ParamValue;
  min?: number;
  max?: number;
  unit?: string;
  choices?: string[];
}

/** Resolved parameters: every spec'd name present with a valid value. */
export type Params = Record<string, ParamValue>;

/** The system-specific part of a generator. */
export interface DynamicalSystem {
  name: string;
  description: string;
  /** One label per state coordinate, e.g. ['q', 'p']. */
  stateLabels: string[];
  /** Parameters of this system beyond the common ones (n, seed, format, points, tEnd, noise). */
  params: ParamSpec[];
  /** Defaults of the common parameters for this system. */
  defaults: { n: number; format: DatasetFormat; points: number; tEnd: number };
  /** Draws one initial condition, in whatever coordinates `solve` takes (a chart, or the state). */
  sampleInitial(random: Random, params: Params): Float64Array;
  /** The true states (dataset coordinates) at `times` (increasing, times[0] = 0: the initial state). */
  solve(z0: Float64Array, times: number[], params: Params): Float64Array[];
  /** The conserved quantity of the true flow, evaluated at one state. */
  energy(state: ArrayLike<number>): number;
  /** The true vector field dz/dt = f(z), where the system has a simple one. */
  field?(state: ArrayLike<number>): Float64Array;
}

/** A generator as listed in GENERATORS: the system plus every parameter, common ones first. */
export interface Generator extends Omit<DynamicalSystem, 'params' | 'defaults' | 'sampleInitial' | 'solve'> {
  params: ParamSpec[];
  /** Generates a dataset; missing params take their defaults, bad ones throw naming the param. */
  generate(params?: Partial<Params>): DatasetArrays;
}

/** The parameters every generator has, with this system's defaults. */
export function commonParams(defaults: DynamicalSystem['defaults']): ParamSpec[] {
  return [
    { name: 'n', label: 'Samples', description: 'number of samples (trajectories or input/target pairs)', kind: 'integer', default: defaults.n, min: 1, max: 1_000_000 },
    { name: 'seed', label: 'Seed', description: 'random seed: the same seed gives the same file', kind: 'integer', default: 0, min: 0, max: 2 ** 32 - 1 },
    { name: 'format', label: 'Format', description: 'inputs-targets: (z(0), z(tEnd)) pairs; trajectories: z on an even time grid', kind: 'choice', default: defaults.format, choices: ['inputs-targets', 'trajectories'] },
    { name: 'points', label: 'Time points', description: 'points per trajectory, both ends included (trajectories format)', kind: 'integer', default: defaults.points, min: 2, max: 100_000 },
    { name: 'tEnd', label: 'End time', description: 'flow time of the targets, or length of the trajectories', kind: 'number', default: defaults.tEnd, min: 1e-6, max: 1e4, unit: 'time' },
    { name: 'noise', label: 'Noise std', description: 'standard deviation of Gaussian noise added to every stored state value', kind: 'number', default: 0, min: 0, max: 10, unit: 'state units' },
  ];
}

/** Builds the registry entry of a system. */
export function defineGenerator(system: DynamicalSystem): Generator {
  const params = [...commonParams(system.defaults), ...system.params];
  const generator: Generator = {
    name: system.name,
    description: system.description,
    stateLabels: system.stateLabels,
    params,
    energy: system.energy,
    generate: (given = {}) => generateDataset(system, resolveParams(system.name, params, given)),
  };
  if (system.field) generator.field = system.field;
  return generator;
}

/** Fills defaults and validates every value; errors name the generator, parameter and range. */
export function resolveParams(generator: string, specs: readonly ParamSpec[], given: Partial<Params>): Params {
  const known = new Map(specs.map((spec) => [spec.name, spec]));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) throw new Error(`${generator}: unknown parameter '${name}' (known: ${specs.map((s) => s.name).join(', ')})`);
  }
  const params: Params = {};
  for (const spec of specs) {
    const value = given[spec.name] ?? spec.default;
    const fail = (expected: string): never => {
      throw new Error(`${generator}: parameter '${spec.name}' must be ${expected}, got ${JSON.stringify(value)}`);
    };
    if (spec.kind === 'boolean') {
      if (typeof value !== 'boolean') fail('true or false');
    } else if (spec.kind === 'choice') {
      if (typeof value !== 'string' || !spec.choices!.includes(value)) fail(`one of ${spec.choices!.join(', ')}`);
    } else {
      const range = `${spec.kind === 'integer' ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}]`;
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(range);
      if (spec.kind === 'integer' && !Number.isInteger(value)) fail(range);
      if ((value as number) < spec.min! || (value as number) > spec.max!) fail(range);
    }
    params[spec.name] = value;
  }
  return params;
}

/** The shared sampling loop: initial states, true flow, optional noise, float64 arrays. */
function generateDataset(system: DynamicalSystem, params: Params): DatasetArrays {
  const n = params.n as number;
  const tEnd = params.tEnd as number;
  const noise = params.noise as number;
  const format = params.format as DatasetFormat;
  const dim = system.stateLabels.length;
  const random = new Random(params.seed as number);
  const times = format === 'trajectories' ? linspace(0, tEnd, params.points as number) : [0, tEnd];
  const steps = times.length;
  const states = new Float64Array(n * steps * dim);
  for (let i = 0; i < n; i++) {
    const path = system.solve(system.sampleInitial(random, params), times, params);
    path.forEach((state, j) => states.set(state, (i * steps + j) * dim));
  }
  if (noise > 0) for (let k = 0; k < states.length; k++) states[k]! += noise * random.normal();
  const f64 = (shape: number[], data: Float64Array) => ({ dtype: 'float64' as const, shape, data });
  if (format === 'trajectories') {
    const grid = new Float64Array(n * steps);
    for (let i = 0; i < n; i++) grid.set(times, i * steps);
    return { trajectories: f64([n, steps, dim], states), times: f64([n, steps], grid) };
  }
  const inputs = new Float64Array(n * dim);
  const targets = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    inputs.set(states.subarray(2 * i * dim, (2 * i + 1) * dim), i * dim);
    targets.set(states.subarray((2 * i + 1) * dim, (2 * i + 2) * dim), i * dim);
  }
  return { inputs: f64([n, dim], inputs), targets: f64([n, dim], targets), times: f64([n], new Float64Array(n).fill(tEnd)) };
}

/** count evenly spaced values from start to stop, both included. */
export function linspace(start: number, stop: number, count: number): number[] {
  return Array.from({ length: count }, (_, j) => (j === count - 1 ? stop : start + ((stop - start) * j) / (count - 1)));
}
