import { describe, expect, it } from 'vitest';
import { flatten, formatDuration, formatNumber } from '../../../src-renderer/src/format';

describe('format', () => {
  it('formats numbers with 4 significant digits, exponents outside [1e-3, 1e5)', () => {
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(2.5e-5)).toBe('2.500e-5');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(Infinity)).toBe('∞');
  });

  it('formats durations', () => {
    expect(formatDuration(4.25)).toBe('4.3 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(null)).toBe('–');
  });

  it('flattens nested summaries to dotted keys', () => {
    expect(flatten({ test: { loss: 1, terms: { a: 2 } }, epochs: 3, list: [1, 2] })).toEqual([
      ['test.loss', 1],
      ['test.terms.a', 2],
      ['epochs', 3],
      ['list', [1, 2]],
    ]);
  });
});
