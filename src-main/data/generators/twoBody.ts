/**
 * The gravitational two-body problem of the Hamiltonian-NN paper (and of the reference data).
 *
 * Unit masses, G = 1, centre-of-mass frame; state z = (xA, yA, xB, yB, vxA, vyA, vxB, vyB).
 * Initial conditions: body A at (x, y) with both coordinates uniform in [coordMin, coordMax], body B
 * at -(x, y); A moves with the circular-orbit velocity (-y, x) / (2 r^1.5), r = |(x, y)| (so that
 * |v| = 1 / (2 sqrt r) balances the attraction 1 / (2r)^2), B with its negative, both scaled by one
 * factor (1 + velocityNoise N(0, 1)). The flow is integrated with float64 Dormand-Prince 5(4),
 * rtol 1e-10, atol 1e-12.
 * Energy E = -1 / |rA - rB| + (|vA|^2 + |vB|^2) / 2.
 */
import { defineGenerator, type DynamicalSystem } from './generator';
import { integrateDopri5 } from './ode64';

/** Total energy E = -1/|rA - rB| + (|vA|^2 + |vB|^2)/2. */
export function twoBodyEnergy(z: ArrayLike<number>): number {
  const distance = Math.hypot(z[0]! - z[2]!, z[1]! - z[3]!);
  return -1 / distance + (z[4]! ** 2 + z[5]! ** 2 + z[6]! ** 2 + z[7]! ** 2) / 2;
}

/** dz/dt: velocities, then accelerations +-(rB - rA) / |rB - rA|^3. */
export function twoBodyField(z: ArrayLike<number>): Float64Array {
  const dx = z[2]! - z[0]!;
  const dy = z[3]! - z[1]!;
  const inverseCube = 1 / Math.hypot(dx, dy) ** 3;
  return Float64Array.from([z[4]!, z[5]!, z[6]!, z[7]!, dx * inverseCube, dy * inverseCube, -dx * inverseCube, -dy * inverseCube]);
}

const twoBody: DynamicalSystem = {
  name: 'two-body',
  description: 'Two unit masses under gravity (G = 1), centre-of-mass frame, near-circular orbits as in the Hamiltonian-NN paper',
  stateLabels: ['xA', 'yA', 'xB', 'yB', 'vxA', 'vyA', 'vxB', 'vyB'],
  params: [
    { name: 'coordMin', label: 'Coordinate min', description: 'body A starts with both coordinates uniform in [coordMin, coordMax]', kind: 'number', default: 0.5, min: 0.01, max: 100, unit: 'length' },
    { name: 'coordMax', label: 'Coordinate max', description: 'upper end of the start coordinates of body A', kind: 'number', default: 1.5, min: 0.01, max: 100, unit: 'length' },
    { name: 'velocityNoise', label: 'Velocity spread', description: 'circular velocity scaled by (1 + velocityNoise N(0, 1))', kind: 'number', default: 0.05, min: 0, max: 0.5 },
  ],
  defaults: { n: 100, format: 'trajectories', points: 50, tEnd: 20 },
  sampleInitial(random, params) {
    const [low, high] = [params.coordMin as number, params.coordMax as number];
    if (!(high >= low)) throw new Error(`two-body: parameter 'coordMax' (${high}) must be >= 'coordMin' (${low})`);
    const x = random.uniform(low, high);
    const y = random.uniform(low, high);
    const r = Math.hypot(x, y);
    const scale = (1 + (params.velocityNoise as number) * random.normal()) / (2 * r ** 1.5);
    return Float64Array.from([x, y, -x, -y, -y * scale, x * scale, y * scale, -x * scale]);
  },
  solve: (z0, times) => integrateDopri5((_t, z) => twoBodyField(z), z0, times, { rtol: 1e-10, atol: 1e-12 }),
  energy: twoBodyEnergy,
  field: twoBodyField,
};

export const twoBodyGenerator = defineGenerator(twoBody);
