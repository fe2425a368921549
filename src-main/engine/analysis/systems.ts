/**
 * The physical systems whose true energy (and, where simple, true vector field) the analysis knows,
 * by the short names of the `analyze` command: the data generators' own functions, in float64.
 */
import { basename } from 'node:path';
import { GENERATORS, type Generator } from '../../data/generators/index';

/** Short name -> generator name. */
export const SYSTEMS = {
  'two-body': 'two-body',
  spring: 'spring',
  pendulum: 'pendulum',
  sphere: 'sphere-geodesics',
  torus: 'torus-geodesics',
} as const;
export type SystemName = keyof typeof SYSTEMS;

export interface KnownSystem {
  name: SystemName;
  /** The state dimension D the energy reads. */
  dim: number;
  /** The true conserved energy of one data-space state. */
  energy(state: ArrayLike<number>): number;
  /** The true field dz/dt, where the generator has one (used to extend the truth past the data). */
  field: ((state: ArrayLike<number>) => Float64Array) | null;
}

export function isSystemName(name: string): name is SystemName {
  return Object.hasOwn(SYSTEMS, name);
}

/** The system by short name, null for 'none'; an unknown name is an error listing the known ones. */
export function knownSystem(name: string): KnownSystem | null {
  if (name === 'none') return null;
  if (!isSystemName(name)) throw new Error(`unknown system '${name}': expected one of ${Object.keys(SYSTEMS).join(', ')}, none`);
  const generator: Generator = GENERATORS[SYSTEMS[name]]!;
  return { name, dim: generator.stateLabels.length, energy: generator.energy, field: generator.field ?? null };
}

/**
 * A system named in a dataset's file name ('two-body-problem_...npz' -> 'two-body',
 * 'half-sphere_...' -> 'sphere'), or null. Only a hint, for callers that have nothing better.
 */
export function guessSystem(file: string): SystemName | null {
  const name = basename(file).toLowerCase();
  const found = (Object.keys(SYSTEMS) as SystemName[]).find((system) => name.includes(system));
  return found ?? null;
}
