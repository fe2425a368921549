import { describe, expect, it } from 'vitest';
import { quantileSorted, relativeRowErrors, spread } from '../../../../src-main/engine/analysis/stats';
import { hasNumpy, runPython } from '../../data/numpy-python';

describe('analysis stats', () => {
  it('quantiles interpolate linearly between order statistics (numpy default)', () => {
    const sorted = [1, 2, 4, 8];
    expect(quantileSorted(sorted, 0)).toBe(1);
    expect(quantileSorted(sorted, 1)).toBe(8);
    expect(quantileSorted(sorted, 0.5)).toBe(3);
    expect(quantileSorted(sorted, 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(() => quantileSorted(sorted, 1.5)).toThrow(/p must be in \[0, 1\]/);
    if (hasNumpy) {
      const values = [0.3, 5, -2, 7.5, 1, 1, 9];
      const numpy = JSON.parse(runPython(`import numpy as np, json; print(json.dumps([float(np.quantile(${JSON.stringify(values)}, q)) for q in (0.25, 0.5, 0.75)]))`, '.'));
      const s = spread(values);
      expect([s.q1, s.median, s.q3]).toEqual(numpy.map((x: number) => expect.closeTo(x, 12)));
    }
  });

  it('spread leaves out and counts non-finite values', () => {
    const s = spread([3, NaN, 1, Infinity, 2]);
    expect(s).toMatchObject({ count: 3, nonFinite: 2, mean: 2, median: 2, min: 1, max: 3 });
    expect(spread([]).mean).toBeNaN();
  });

  it('relative row errors are Euclidean per row and check their sizes', () => {
    expect(relativeRowErrors([1, 1, 3, 4], [0, 1, 3, 0], 2, 2)).toEqual([1, 4 / 3]);
    expect(() => relativeRowErrors([1, 2, 3], [1, 2, 3, 4], 2, 2)).toThrow(/expected 2 x 2 values/);
  });
});
