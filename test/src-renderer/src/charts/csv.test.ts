import { describe, expect, it } from 'vitest';
import { chartCsv } from '../../../../src-renderer/src/charts/csv';
import { barOption, heatmapOption, lineOption } from '../../../../src-renderer/src/charts/options';

describe('chartCsv', () => {
  it('writes line series in long form, one row per point, quoting names with commas', () => {
    const csv = chartCsv(lineOption([{ name: 'NGF, run 1', points: [[0, 1.5], [1, 2]] }], { xName: 't', yName: 'y' }));
    expect(csv).toBe('series,x,y\n"NGF, run 1",0,1.5\n"NGF, run 1",1,2\n');
  });

  it('writes bar values, not their drawn log heights', () => {
    const csv = chartCsv(barOption(['rk4'], [{ name: 'm', values: [1e-6] }], { yName: 'e', logY: true }));
    expect(csv).toBe('series,x,y\nm,rk4,0.000001\n');
  });

  it('writes heat-map cells with their coordinates', () => {
    const csv = chartCsv(heatmapOption({ name: 'g', x: [0.5], y: [2], values: [[7]] }, { xName: 'x', yName: 'y' }));
    expect(csv).toBe('series,x,y,value\ng,0.5,2,7\n');
  });
});
