import { describe, expect, it } from 'vitest';
import { dopri5, euler, midpoint, rk4 } from '../../../../src-main/engine/ode/tableaux';
import type { ButcherTableau } from '../../../../src-main/engine/ode/types';

const dot = (x: readonly number[], y: readonly number[]) => x.reduce((s, xi, i) => s + xi * y[i]!, 0);
/** (A v)_i for the strictly lower-triangular a. */
const aTimes = (t: ButcherTableau, v: readonly number[]) => t.a.map((row) => dot(row, v));

/** The classical order conditions up to order 4, as [order, residual]. */
function orderConditions(t: ButcherTableau, b: readonly number[] = t.b): [number, number][] {
  const { c } = t;
  const c2 = c.map((x) => x * x);
  const c3 = c.map((x) => x ** 3);
  const ac = aTimes(t, c);
  return [
    [1, dot(b, c.map(() => 1)) - 1],
    [2, dot(b, c) - 1 / 2],
    [3, dot(b, c2) - 1 / 3],
    [3, dot(b, ac) - 1 / 6],
    [4, dot(b, c3) - 1 / 4],
    [4, dot(b, c.map((x, i) => x * ac[i]!)) - 1 / 8],
    [4, dot(b, aTimes(t, c2)) - 1 / 12],
    [4, dot(b, aTimes(t, ac)) - 1 / 24],
  ];
}

describe('Butcher tableaux', () => {
  for (const t of [euler, midpoint, rk4, dopri5]) {
    it(`${t.name} is consistent and meets the order conditions up to order ${Math.min(t.order, 4)}`, () => {
      expect(t.c.length).toBe(t.b.length);
      expect(t.a.length).toBe(t.b.length);
      t.a.forEach((row, i) => {
        expect(row.length).toBe(i);
        expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(t.c[i]!, 14);
      });
      for (const [order, residual] of orderConditions(t)) {
        if (order <= t.order) expect(Math.abs(residual)).toBeLessThan(1e-14);
      }
    });
  }

  it('rk4 is not accidentally of order 5: one order-5 condition fails', () => {
    expect(Math.abs(dot(rk4.b, rk4.c.map((x) => x ** 4)) - 1 / 5)).toBeGreaterThan(1e-3);
  });

  it("dopri5's embedded weights b - bError are of order 4, and bError sums to 0", () => {
    const bStar = dopri5.b.map((bi, i) => bi - dopri5.bError![i]!);
    for (const [, residual] of orderConditions(dopri5, bStar)) expect(Math.abs(residual)).toBeLessThan(1e-14);
    expect(Math.abs(dopri5.bError!.reduce((s, x) => s + x, 0))).toBeLessThan(1e-15);
    // The error estimate is not identically zero at order 5.
    expect(Math.abs(dot(bStar, dopri5.c.map((x) => x ** 4)) - 1 / 5)).toBeGreaterThan(1e-6);
  });

  it("dopri5's dense output equals b at theta = 1 and integrates polynomials up to degree 3 exactly", () => {
    const weightsAt = (theta: number) => dopri5.dense!.map((row) => row.reduce((s, coeff, p) => s + coeff * theta ** (p + 1), 0));
    weightsAt(1).forEach((w, i) => expect(w).toBeCloseTo(dopri5.b[i]!, 14));
    for (const theta of [0.1, 0.37, 0.8]) {
      const w = weightsAt(theta);
      // sum_i b_i(theta) c_i^(q-1) = theta^q / q: the interpolant integrates t^(q-1) exactly.
      for (let q = 1; q <= 4; q++) expect(dot(w, dopri5.c.map((x) => x ** (q - 1)))).toBeCloseTo(theta ** q / q, 14);
    }
  });
});
