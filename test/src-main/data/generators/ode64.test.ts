import { describe, expect, it } from 'vitest';
import { integrateDopri5, integrateRk4 } from '../../../../src-main/data/generators/ode64';

// z' = (z1, -z0): the harmonic oscillator, exact solution a rotation.
const oscillator = (_t: number, z: Float64Array) => Float64Array.from([z[1]!, -z[0]!]);
const exact = (t: number) => [Math.cos(t), -Math.sin(t)];

describe('float64 integrators', () => {
  it('RK4 converges at order 4', () => {
    const error = (substeps: number) => {
      const z = integrateRk4(oscillator, [1, 0], [0, 1, 2], substeps)[2]!;
      return Math.hypot(z[0]! - exact(2)[0]!, z[1]! - exact(2)[1]!);
    };
    const slope = Math.log2(error(10) / error(20));
    expect(slope).toBeGreaterThan(3.8);
    expect(slope).toBeLessThan(4.2);
    expect(error(200)).toBeLessThan(1e-10);
  });

  it('dopri5 meets a tight tolerance at every output time, including a time-dependent field', () => {
    const times = [0, 0.3, 1, 5, 20];
    const states = integrateDopri5(oscillator, [1, 0], times, { rtol: 1e-11, atol: 1e-13 });
    expect(states).toHaveLength(times.length);
    states.forEach((z, j) => {
      expect(Math.abs(z[0]! - exact(times[j]!)[0]!)).toBeLessThan(1e-9);
      expect(Math.abs(z[1]! - exact(times[j]!)[1]!)).toBeLessThan(1e-9);
    });
    // z' = 2t z, z(0) = 1 -> exp(t^2)
    const growth = integrateDopri5((t, z) => Float64Array.from([2 * t * z[0]!]), [1], [0, 1.5], { rtol: 1e-10 });
    expect(Math.abs(growth[1]![0]! / Math.exp(2.25) - 1)).toBeLessThan(1e-8);
  });

  it('reports runaway and bad times clearly', () => {
    // z' = z^2, z(0) = 1 blows up at t = 1
    expect(() => integrateDopri5((_t, z) => Float64Array.from([z[0]! ** 2]), [1], [0, 2], { maxSteps: 500 })).toThrow(
      /integrateDopri5: (more than 500 steps at t = 0\.99|the state became non-finite)/,
    );
    expect(() => integrateDopri5(oscillator, [1, 0], [0, 1, 1])).toThrow(/times must increase strictly, but times\[2\] = 1 <= times\[1\] = 1/);
    expect(() => integrateRk4(oscillator, [1, 0], [0, 1], 0)).toThrow(/substeps must be an integer >= 1/);
  });
});
