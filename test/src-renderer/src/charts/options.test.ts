import { describe, expect, it } from 'vitest';
import { barOption, heatmapOption, lineOption } from '../../../../src-renderer/src/charts/options';

type Series = { type: string; sampling?: string; data: unknown[] };
const seriesOf = (option: object) => (option as { series: Series[] }).series;

describe('lineOption', () => {
  it('draws every series with LTTB sampling and keeps 100 000 points', () => {
    const points = Array.from({ length: 100_000 }, (_, i) => [i, Math.exp(-i / 1e4)] as [number, number]);
    const series = seriesOf(lineOption([{ name: 'a', points }, { name: 'b', points }], { xName: 't', yName: 'y', logY: true }));
    expect(series).toHaveLength(2);
    for (const s of series) {
      expect(s.sampling).toBe('lttb');
      expect(s.data).toHaveLength(100_000);
    }
  });

  it('turns values a log axis cannot show into gaps', () => {
    const [s] = seriesOf(lineOption([{ name: 'a', points: [[0, 1], [1, 0], [2, -1], [3, NaN], [4, 2]] }], { xName: 't', yName: 'y', logY: true }));
    expect(s!.data).toEqual([[0, 1], [1, null], [2, null], [3, null], [4, 2]]);
    const [linear] = seriesOf(lineOption([{ name: 'a', points: [[0, -1]] }], { xName: 't', yName: 'y' }));
    expect(linear!.data).toEqual([[0, -1]]);
  });
});

describe('barOption', () => {
  it('draws log bars from a decade below the smallest value and keeps the raw values', () => {
    const option = barOption(['rk4', 'euler'], [{ name: 'm', values: [1e-6, 1e-2] }, { name: 'n', values: [null, 0] }], { yName: 'error', logY: true });
    const [m, n] = seriesOf(option) as { data: { value: number | null; raw: number | null }[] }[];
    expect(m!.data[0]!.value).toBeCloseTo(1);
    expect(m!.data[1]!.value).toBeCloseTo(5);
    expect(m!.data.map((d) => d.raw)).toEqual([1e-6, 1e-2]);
    expect(n!.data.map((d) => d.value)).toEqual([null, null]);
    const formatter = (option as { yAxis: { axisLabel: { formatter: (v: number) => string } } }).yAxis.axisLabel.formatter;
    expect(formatter(0)).toBe('1e-7');
    expect(formatter(5)).toBe('1e-2');
  });
});

describe('heatmapOption', () => {
  it('indexes values[j][i] at (x[i], y[j]) and skips non-finite cells', () => {
    const option = heatmapOption({ name: 'det g', x: [0, 1], y: [10, 20, 30], values: [[1, 2], [3, NaN], [5, 6]] }, { xName: 'x', yName: 'y' });
    const [s] = seriesOf(option);
    expect(s!.data).toEqual([[0, 0, 1], [1, 0, 2], [0, 1, 3], [0, 2, 5], [1, 2, 6]]);
    expect((option as { visualMap: { min: number; max: number } }).visualMap).toMatchObject({ min: 1, max: 6 });
  });
});
