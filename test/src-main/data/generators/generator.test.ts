import { describe, expect, it } from 'vitest';
import { datasetFromArrays, encodeDataset } from '../../../../src-main/data/dataset';
import { GENERATORS } from '../../../../src-main/data/generators/index';
import { linspace, resolveParams } from '../../../../src-main/data/generators/generator';

describe('GENERATORS registry', () => {
  it('lists every system as plain JSON-able data with valid defaults', () => {
    expect(Object.keys(GENERATORS)).toEqual(['sphere-geodesics', 'torus-geodesics', 'two-body', 'spring', 'pendulum']);
    for (const generator of Object.values(GENERATORS)) {
      const info = { name: generator.name, description: generator.description, stateLabels: generator.stateLabels, params: generator.params };
      expect(JSON.parse(JSON.stringify(info))).toEqual(info);
      expect(generator.params.slice(0, 6).map((p) => p.name)).toEqual(['n', 'seed', 'format', 'points', 'tEnd', 'noise']);
      for (const spec of generator.params) {
        if (spec.kind === 'integer' || spec.kind === 'number') {
          expect(spec.default as number).toBeGreaterThanOrEqual(spec.min!);
          expect(spec.default as number).toBeLessThanOrEqual(spec.max!);
        }
      }
      expect(() => resolveParams(generator.name, generator.params, {})).not.toThrow();
    }
  });

  it.each(Object.keys(GENERATORS))('%s: same seed -> identical bytes, other seed -> different; both formats validate', (name) => {
    const generator = GENERATORS[name]!;
    const small = { n: 3, points: 5 };
    for (const format of ['inputs-targets', 'trajectories']) {
      const bytes = (seed: number) => encodeDataset(generator.generate({ ...small, format, seed }));
      expect(bytes(1)).toEqual(bytes(1));
      expect(bytes(1)).not.toEqual(bytes(2));
      const ds = datasetFromArrays({ ...generator.generate({ ...small, format }) }, name);
      expect(ds.format).toBe(format);
      expect([ds.n, ds.dim]).toEqual([3, generator.stateLabels.length]);
      if (ds.format === 'trajectories') expect(ds.steps).toBe(5);
    }
  });

  it('inputs-targets pairs are the ends of the trajectories; noise perturbs with the requested std', () => {
    const generator = GENERATORS.spring!;
    const pairs = generator.generate({ n: 4, seed: 3, format: 'inputs-targets', tEnd: 2 });
    const paths = generator.generate({ n: 4, seed: 3, format: 'trajectories', tEnd: 2, points: 7 });
    if (!('inputs' in pairs) || !('trajectories' in paths)) throw new Error('unexpected formats');
    const traj = paths.trajectories.data as Float64Array;
    for (let i = 0; i < 4; i++) {
      expect(Array.from((pairs.inputs.data as Float64Array).slice(2 * i, 2 * i + 2))).toEqual(Array.from(traj.slice(14 * i, 14 * i + 2)));
      const end = traj.slice(14 * i + 12, 14 * i + 14);
      expect((pairs.targets.data[2 * i] as number) - end[0]!).toBeCloseTo(0, 14);
    }
    expect(Array.from(pairs.times.data as Float64Array)).toEqual([2, 2, 2, 2]);
    const clean = generator.generate({ n: 500, seed: 9 });
    const noisy = generator.generate({ n: 500, seed: 9, noise: 0.1 });
    if (!('trajectories' in clean) || !('trajectories' in noisy)) throw new Error('unexpected formats');
    const a = clean.trajectories.data as Float64Array;
    const b = noisy.trajectories.data as Float64Array;
    const variance = a.reduce((s, v, k) => s + (b[k]! - v) ** 2, 0) / a.length;
    expect(Math.sqrt(variance)).toBeCloseTo(0.1, 2);
  });

  it('rejects unknown and out-of-range parameters naming them', () => {
    const generate = GENERATORS['two-body']!.generate;
    expect(() => generate({ bogus: 1 })).toThrow(/two-body: unknown parameter 'bogus' \(known: n, seed, format/);
    expect(() => generate({ n: 1.5 })).toThrow(/two-body: parameter 'n' must be an integer in \[1, 1000000\], got 1.5/);
    expect(() => generate({ format: 'csv' })).toThrow(/parameter 'format' must be one of inputs-targets, trajectories, got "csv"/);
    expect(() => generate({ noise: -1 })).toThrow(/parameter 'noise' must be a number in \[0, 10\]/);
    expect(() => generate({ coordMin: 2, coordMax: 1 })).toThrow(/'coordMax' \(1\) must be >= 'coordMin' \(2\)/);
    expect(() => GENERATORS['sphere-geodesics']!.generate({ fullSphere: 'yes' })).toThrow(/'fullSphere' must be true or false/);
  });

  it('linspace includes both ends exactly', () => {
    expect(linspace(0, 20, 5)).toEqual([0, 5, 10, 15, 20]);
    expect(linspace(0, 2, 99)[98]).toBe(2);
  });
});
