/**
 * The ideal mass-spring system of the Hamiltonian-NN paper's toy tasks.
 *
 * H(q, p) = (q^2 + p^2) / 2, dq/dt = p, dp/dt = -q: the exact flow is a rotation of (q, p),
 *   q(t) = q cos t + p sin t,   p(t) = -q sin t + p cos t.
 * Initial states lie on a circle of radius uniform in [radiusMin, radiusMax] (energy r^2 / 2) at a
 * uniform angle.
 */
import { defineGenerator, type DynamicalSystem, type ParamSpec } from './generator';

export function springEnergy(z: ArrayLike<number>): number {
  return (z[0]! ** 2 + z[1]! ** 2) / 2;
}

export function springField(z: ArrayLike<number>): Float64Array {
  return Float64Array.from([z[1]!, -z[0]!]);
}

const spring: DynamicalSystem = {
  name: 'spring',
  description: 'Ideal spring H = (q^2 + p^2)/2, state (q, p) (Hamiltonian-NN toy task)',
  stateLabels: ['q', 'p'],
  params: circleRadiusParams(0.1, 1),
  defaults: { n: 50, format: 'trajectories', points: 30, tEnd: 3 },
  sampleInitial: (random, params) => onCircle(random, params, 'spring'),
  solve: (z0, times) => times.map((t) => Float64Array.from([z0[0]! * Math.cos(t) + z0[1]! * Math.sin(t), -z0[0]! * Math.sin(t) + z0[1]! * Math.cos(t)])),
  energy: springEnergy,
  field: springField,
};

/** The parameters radiusMin and radiusMax that {@link onCircle} reads, with their defaults. */
export function circleRadiusParams(radiusMin: number, radiusMax: number): ParamSpec[] {
  return [
    { name: 'radiusMin', label: 'Radius min', description: 'initial |(q, p)| uniform in [radiusMin, radiusMax]', kind: 'number', default: radiusMin, min: 0, max: 100 },
    { name: 'radiusMax', label: 'Radius max', description: 'upper end of the initial |(q, p)|', kind: 'number', default: radiusMax, min: 0, max: 100 },
  ];
}

/** A point (q, p) at a uniform angle on a circle of radius uniform in [radiusMin, radiusMax]. */
export function onCircle(random: { uniform(low: number, high: number): number }, params: Record<string, unknown>, system: string): Float64Array {
  const [low, high] = [params.radiusMin as number, params.radiusMax as number];
  if (!(high >= low)) throw new Error(`${system}: parameter 'radiusMax' (${high}) must be >= 'radiusMin' (${low})`);
  const radius = random.uniform(low, high);
  const angle = random.uniform(0, 2 * Math.PI);
  return Float64Array.from([radius * Math.cos(angle), radius * Math.sin(angle)]);
}

export const springGenerator = defineGenerator(spring);
