import { describe, expect, it } from 'vitest';
import { ApiError, METHOD_NAMES, parsePayload } from '../../src-shared';

function invalid(method: string, payload: unknown): string {
  try {
    parsePayload(method, payload);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid');
    return (error as ApiError).message;
  }
  throw new Error(`${method} accepted ${JSON.stringify(payload)}`);
}

describe('parsePayload', () => {
  it('names the method and the field at fault', () => {
    expect(invalid('runs.get', {})).toBe('runs.get: runId: is required');
    expect(invalid('runs.get', { runId: 7 })).toBe('runs.get: runId: must be a run id');
    expect(invalid('runs.get', { runId: 'a', extra: 1 })).toBe('runs.get: extra: unknown field');
    expect(invalid('runs.get', null)).toMatch(/^runs\.get: must be an object/);
    expect(invalid('datasets.upload', { name: 'x.npz', bytesBase64: '%%%' })).toMatch(/bytesBase64: must be base64/);
    expect(invalid('runs.list', { filter: { status: 'weird' } })).toMatch(/^runs\.list: filter\.status: must be one of queued/);
    expect(invalid('runs.import', { file: 'x' })).toMatch(/must be \{path\} or \{bytesBase64\}/);
  });

  it('reports nested hyperparameter errors with their full path', () => {
    const base = { trainDatasetId: 'd1', budget: {} };
    expect(invalid('runs.start', { ...base, models: [{ model: 'ngf', config: { dimM: 0 } }] })).toBe(
      'runs.start: models[0].config.dimM: must be a whole number from 1 to 32',
    );
    expect(invalid('runs.start', { ...base, models: [{ model: 'ngf' }, { model: 'rnn', config: {} }] })).toMatch(
      /models\[1\]\.model: must be one of 'ngf', 'hnn', 'node'/,
    );
    expect(invalid('runs.start', { ...base, models: [{ model: 'hnn', config: { hiddenSizes: [200, 2.5] } }] })).toMatch(
      /models\[0\]\.config\.hiddenSizes\[1\]: must be a list of 0 to 8 layer widths/,
    );
    expect(invalid('runs.start', { ...base, models: [], budget: { lr: -1 } })).toMatch(/models: must have at least one model; budget\.lr: must be a number from 1e-8 to 1/);
  });

  it('fills defaults of a valid payload', () => {
    const parsed = parsePayload('runs.start', { models: [{ model: 'node', config: { solver: 'euler' } }], trainDatasetId: 'd1', budget: { epochs: 3 } });
    expect(parsed.seed).toBe(0);
    expect(parsed.tags).toEqual([]);
    expect(parsed.budget).toEqual({ epochs: 3, batchSize: 512, lr: 1e-3 });
    expect(parsed.models[0]).toEqual({ model: 'node', config: { hiddenSizes: [64, 64], activation: 'tanh', solver: 'euler', stepsPerInterval: 1 } });
    const bare = parsePayload('runs.start', { models: [{ model: 'hnn' }], trainDatasetId: 'd1' });
    expect(bare.models[0]!.config).toEqual({ hiddenSizes: [200, 200], activation: 'tanh', solver: 'rk4', stepsPerInterval: 1 });
    expect(bare.budget).toEqual({ epochs: 100, batchSize: 512, lr: 1e-3 });
    expect(parsePayload('datasets.list', undefined)).toEqual({});
    expect(parsePayload('runs.list', {})).toEqual({ filter: {} });
  });

  it('refuses unknown methods with their own code', () => {
    expect(() => parsePayload('runs.explode', {})).toThrow(expect.objectContaining({ code: 'unknown-method' }));
  });

  it('every method refuses a non-object payload without crashing', () => {
    for (const method of METHOD_NAMES) {
      expect(() => parsePayload(method, 'garbage'), method).toThrow(ApiError);
      expect(() => parsePayload(method, [1, 2]), method).toThrow(ApiError);
    }
  });
});
