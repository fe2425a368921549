/**
 * Geodesics of the torus with radii R = 1.5 (centre circle) and r = 0.5 (tube) embedded in R^3.
 *
 * Chart (theta around the tube, phi around the axis):
 *   X(theta, phi) = ((R + r cos theta) cos phi, (R + r cos theta) sin phi, r sin theta),
 *   g = diag(r^2, (R + r cos theta)^2).
 * Geodesic equations (Gamma^theta_phiphi = (R + r cos theta) sin theta / r,
 * Gamma^phi_thetaphi = -r sin theta / (R + r cos theta)):
 *   theta'' = -(R + r cos theta) sin theta phi'^2 / r,   phi'' = 2 r sin theta theta' phi' / (R + r cos theta).
 * Integrated with float64 RK4 in the chart (step <= 5e-3; the chart has no singularity on the torus),
 * then mapped to the state (p, v) = (X, dX/dt) in R^6. Initial angles are uniform in [0, 2 pi) and
 * v = a e_theta + b e_phi in the orthonormal frame, a, b uniform in [-speed, speed].
 */
import { defineGenerator, type DynamicalSystem } from './generator';
import { integrateRk4 } from './ode64';

export const TORUS_R = 1.5;
export const TORUS_TUBE = 0.5;
/** Largest RK4 step in the chart: global float64 RK4 error ~ h^4 (about 1e-8 here) stays below float32 resolution. */
const MAX_STEP = 5e-3;

/** Kinetic energy |v|^2 in the embedding, conserved along geodesics. */
export function torusEnergy(state: ArrayLike<number>): number {
  return state[3]! ** 2 + state[4]! ** 2 + state[5]! ** 2;
}

/** Geodesic equation in the chart, state (theta, phi, theta', phi'). */
function chartField(_t: number, s: Float64Array): Float64Array {
  const [theta, , dTheta, dPhi] = s as unknown as [number, number, number, number];
  const sin = Math.sin(theta);
  const ring = TORUS_R + TORUS_TUBE * Math.cos(theta);
  return Float64Array.from([dTheta, dPhi, (-ring * sin * dPhi * dPhi) / TORUS_TUBE, (2 * TORUS_TUBE * sin * dTheta * dPhi) / ring]);
}

/** (theta, phi, theta', phi') -> (X, dX/dt) in R^6. */
export function torusEmbed(chart: ArrayLike<number>): Float64Array {
  const [theta, phi, dTheta, dPhi] = [chart[0]!, chart[1]!, chart[2]!, chart[3]!];
  const [cosT, sinT, cosP, sinP] = [Math.cos(theta), Math.sin(theta), Math.cos(phi), Math.sin(phi)];
  const ring = TORUS_R + TORUS_TUBE * cosT;
  return Float64Array.from([
    ring * cosP,
    ring * sinP,
    TORUS_TUBE * sinT,
    -TORUS_TUBE * sinT * cosP * dTheta - ring * sinP * dPhi,
    -TORUS_TUBE * sinT * sinP * dTheta + ring * cosP * dPhi,
    TORUS_TUBE * cosT * dTheta,
  ]);
}

const torus: DynamicalSystem = {
  name: 'torus-geodesics',
  description: `Geodesics on the torus R = ${TORUS_R}, r = ${TORUS_TUBE} in R^3, state (p, v) in R^6 (float64 RK4 in the angle chart)`,
  stateLabels: ['x', 'y', 'z', 'vx', 'vy', 'vz'],
  params: [
    { name: 'speed', label: 'Speed', description: 'tangent velocity components uniform in [-speed, speed]', kind: 'number', default: 1, min: 0, max: 100, unit: 'length/time' },
  ],
  defaults: { n: 1024, format: 'inputs-targets', points: 50, tEnd: 1 },
  // The chart state is what we integrate; sampleInitial returns it and solve embeds the results.
  sampleInitial(random, params) {
    const theta = random.uniform(0, 2 * Math.PI);
    const phi = random.uniform(0, 2 * Math.PI);
    const speed = params.speed as number;
    const a = random.uniform(-speed, speed);
    const b = random.uniform(-speed, speed);
    return Float64Array.from([theta, phi, a / TORUS_TUBE, b / (TORUS_R + TORUS_TUBE * Math.cos(theta))]);
  },
  solve(chart0, times) {
    const span = times[times.length - 1]! - times[0]!;
    const substeps = Math.max(1, Math.ceil(span / (times.length - 1) / MAX_STEP));
    return integrateRk4(chartField, chart0, times, substeps).map(torusEmbed);
  },
  energy: torusEnergy,
};

export const torusGeodesics = defineGenerator(torus);
