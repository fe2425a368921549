/**
 * The ideal pendulum of the Hamiltonian-NN paper's toy tasks.
 *
 * H(q, p) = 3 (1 - cos q) + p^2, dq/dt = dH/dp = 2 p, dp/dt = -dH/dq = -3 sin q, integrated with
 * float64 Dormand-Prince 5(4) (rtol 1e-10, atol 1e-12). Initial states lie on a circle of radius
 * uniform in [radiusMin, radiusMax] (default [1.3, 2.3] as in the paper) in the (q, p) plane at a
 * uniform angle. Radii above sqrt 6 can cross the separatrix H = 6 into rotating motion.
 */
import { defineGenerator, type DynamicalSystem } from './generator';
import { integrateDopri5 } from './ode64';
import { circleRadiusParams, onCircle } from './spring';

export function pendulumEnergy(z: ArrayLike<number>): number {
  return 3 * (1 - Math.cos(z[0]!)) + z[1]! ** 2;
}

export function pendulumField(z: ArrayLike<number>): Float64Array {
  return Float64Array.from([2 * z[1]!, -3 * Math.sin(z[0]!)]);
}

const pendulum: DynamicalSystem = {
  name: 'pendulum',
  description: 'Ideal pendulum H = 3(1 - cos q) + p^2, state (q, p) (Hamiltonian-NN toy task)',
  stateLabels: ['q', 'p'],
  params: circleRadiusParams(1.3, 2.3),
  defaults: { n: 50, format: 'trajectories', points: 45, tEnd: 3 },
  sampleInitial: (random, params) => onCircle(random, params, 'pendulum'),
  solve: (z0, times) => integrateDopri5((_t, z) => pendulumField(z), z0, times, { rtol: 1e-10, atol: 1e-12 }),
  energy: pendulumEnergy,
  field: pendulumField,
};

export const pendulumGenerator = defineGenerator(pendulum);
