/**
 * Geodesics of the unit sphere, like the reference half-sphere data.
 *
 * State y = (p, v) in R^6: p on the unit sphere (z > 0 unless `fullSphere`), v tangent (p . v = 0).
 * Initial p is uniform in area; v = a e_theta + b e_phi in the orthonormal frame of the spherical
 * chart with a, b uniform in [-speed, speed] (speed 1 gives |v| up to sqrt 2, as in the reference,
 * whose speeds span 0 to 1.39). The flow is the exact great circle with s = |v|:
 *   p(t) = p cos(s t) + (v / s) sin(s t),   v(t) = -p s sin(s t) + v cos(s t).
 */
import { defineGenerator, type DynamicalSystem } from './generator';

/** Kinetic energy |v|^2 (the reference's g(v, v), no 1/2), conserved along geodesics. */
export function sphereEnergy(state: ArrayLike<number>): number {
  return state[3]! ** 2 + state[4]! ** 2 + state[5]! ** 2;
}

/** The geodesic field in the embedding: dp/dt = v, dv/dt = -|v|^2 p. */
export function sphereField(state: ArrayLike<number>): Float64Array {
  const speed2 = sphereEnergy(state);
  return Float64Array.from([state[3]!, state[4]!, state[5]!, -speed2 * state[0]!, -speed2 * state[1]!, -speed2 * state[2]!]);
}

/** The great circle through y at each time t. */
export function greatCircle(y: ArrayLike<number>, t: number): Float64Array {
  const s = Math.sqrt(sphereEnergy(y));
  const cos = Math.cos(s * t);
  // sin(s t) / s -> t as s -> 0 (a point at rest stays put)
  const sinOverS = s > 0 ? Math.sin(s * t) / s : t;
  const out = new Float64Array(6);
  for (let i = 0; i < 3; i++) {
    out[i] = y[i]! * cos + y[i + 3]! * sinOverS;
    out[i + 3] = -y[i]! * s * s * sinOverS + y[i + 3]! * cos;
  }
  return out;
}

const sphere: DynamicalSystem = {
  name: 'sphere-geodesics',
  description: 'Geodesics (great circles) on the unit sphere, state (p, v) in R^6; like the reference half-sphere data',
  stateLabels: ['x', 'y', 'z', 'vx', 'vy', 'vz'],
  params: [
    { name: 'fullSphere', label: 'Full sphere', description: 'start points on the whole sphere instead of z > 0', kind: 'boolean', default: false },
    { name: 'speed', label: 'Speed', description: 'tangent velocity components uniform in [-speed, speed]', kind: 'number', default: 1, min: 0, max: 100, unit: 'length/time' },
  ],
  defaults: { n: 1024, format: 'inputs-targets', points: 50, tEnd: 1 },
  sampleInitial(random, params) {
    const z = params.fullSphere ? random.uniform(-1, 1) : random.next();
    const phi = random.uniform(0, 2 * Math.PI);
    const rho = Math.sqrt(1 - z * z); // sin theta
    const speed = params.speed as number;
    const a = random.uniform(-speed, speed);
    const b = random.uniform(-speed, speed);
    const [cosPhi, sinPhi] = [Math.cos(phi), Math.sin(phi)];
    // e_theta = (cos theta cos phi, cos theta sin phi, -sin theta), e_phi = (-sin phi, cos phi, 0)
    return Float64Array.from([
      rho * cosPhi,
      rho * sinPhi,
      z,
      a * z * cosPhi - b * sinPhi,
      a * z * sinPhi + b * cosPhi,
      -a * rho,
    ]);
  },
  solve: (z0, times) => times.map((t) => greatCircle(z0, t)),
  energy: sphereEnergy,
  field: sphereField,
};

export const sphereGeodesics = defineGenerator(sphere);
