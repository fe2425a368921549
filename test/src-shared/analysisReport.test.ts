import { describe, expect, it } from 'vitest';
import type { AnalysisReport } from '../../src-shared/api';
import { metricHeatmap, predictionSamples, reversibilityFigures, seriesNamed } from '../../src-shared/analysisReport';

function report(parts: Partial<AnalysisReport>): AnalysisReport {
  return {
    runId: 'r',
    datasetId: null,
    createdAt: 0,
    options: { sections: [], maxSamples: 0, horizon: 1 },
    scalars: {},
    series: [],
    sections: {},
    ...parts,
  };
}

describe('analysis report readers', () => {
  it('read reversibility scalars per kind and solver, ignoring other keys', () => {
    const r = report({ scalars: { 'reversibility.roundTrip.rk4': 1e-6, 'reversibility.reversal.dopri5': 2e-7, 'reversibility.other.rk4': 1, predictionMse: 3 } });
    expect(reversibilityFigures(r)).toEqual([
      { kind: 'roundTrip', solver: 'rk4', value: 1e-6 },
      { kind: 'reversal', solver: 'dopri5', value: 2e-7 },
    ]);
  });

  it('find series by exact name', () => {
    const r = report({ series: [{ name: 'energy.true.median', x: [0], y: [1] }, { name: 'energy.true', x: [0], y: [2] }] });
    expect(seriesNamed(r, 'energy.true')?.y).toEqual([2]);
    expect(seriesNamed(null, 'energy.true')).toBeNull();
  });

  it('accept well-formed sections and return nothing for foreign shapes', () => {
    const sample = { label: 'best', index: 3, times: [0, 1], truth: [[0], [1]], predicted: [[0], [1.1]], mse: 0.005 };
    expect(predictionSamples(report({ sections: { prediction: { samples: [sample] } } }))).toEqual([sample]);
    expect(predictionSamples(report({ sections: { prediction: { samples: [{ label: 'best' }] } } }))).toEqual([]);
    const map = { quantity: 'det g', x: [0, 1], y: [0], values: [[1, 2]] };
    expect(metricHeatmap(report({ sections: { metric: map } }))).toEqual(map);
    expect(metricHeatmap(report({ sections: { metric: { quantity: 'det g' } } }))).toBeNull();
  });
});
