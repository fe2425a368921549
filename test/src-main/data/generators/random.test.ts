import { describe, expect, it } from 'vitest';
import { Random } from '../../../../src-main/data/generators/random';

describe('Random', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((r) => () => r.next())(new Random(seed)));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(1)).not.toEqual(draw(1 + 2 ** 32));
    expect(() => new Random(0.5)).toThrow(/seed must be an integer, got 0.5/);
  });

  it('draws uniforms in [0, 1) and standard normals with the right moments', () => {
    const random = new Random(123);
    const count = 100_000;
    let [sum, sum2, min, max] = [0, 0, 1, 0];
    for (let i = 0; i < count; i++) {
      const u = random.next();
      [sum, min, max] = [sum + u, Math.min(min, u), Math.max(max, u)];
    }
    expect(sum / count).toBeCloseTo(0.5, 2);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    sum = 0;
    let beyond2 = 0;
    for (let i = 0; i < count; i++) {
      const x = random.normal();
      sum += x;
      sum2 += x * x;
      if (Math.abs(x) > 2) beyond2++;
    }
    expect(Math.abs(sum / count)).toBeLessThan(0.015);
    expect(sum2 / count).toBeCloseTo(1, 1);
    expect(beyond2 / count).toBeCloseTo(0.0455, 2);
    const integers = new Set(Array.from({ length: 1000 }, () => random.integer(6)));
    expect([...integers].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
