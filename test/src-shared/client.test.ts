import { describe, expect, expectTypeOf, it } from 'vitest';
import { ApiError, createClient, type RunList, type Transport } from '../../src-shared';

function fakeTransport() {
  const calls: [string, unknown][] = [];
  const subscribers = new Map<string, (payload: unknown) => void>();
  const transport: Transport = {
    async invoke(method, payload) {
      calls.push([method, payload]);
      if (method === 'runs.get') throw new Error('socket closed');
      if (method === 'runs.cancel') throw new ApiError('conflict', 'run r1 is done');
      return { echoed: method };
    },
    subscribe(event, cb) {
      subscribers.set(event, cb);
      return () => subscribers.delete(event);
    },
  };
  return { transport, calls, subscribers };
}

describe('createClient', () => {
  it('routes namespaced calls to dotted method names', async () => {
    const { transport, calls } = fakeTransport();
    const client = createClient(transport);
    await client.datasets.list();
    await client.runs.start({ models: [{ model: 'ngf', config: { dimM: 3 } }], trainDatasetId: 'd1', budget: { epochs: 2 } });
    await client.call('app.versions');
    expect(calls).toEqual([
      ['datasets.list', {}],
      ['runs.start', { models: [{ model: 'ngf', config: { dimM: 3 } }], trainDatasetId: 'd1', budget: { epochs: 2 } }],
      ['app.versions', {}],
    ]);
  });

  it('is fully typed', () => {
    const client = createClient(fakeTransport().transport);
    expectTypeOf(client.runs.list).returns.resolves.toEqualTypeOf<RunList>();
    expectTypeOf(client.runs.start).returns.resolves.toEqualTypeOf<{ groupId: string; runIds: string[] }>();
    expectTypeOf(client.analysis.get).parameter(0).toEqualTypeOf<{ runId: string }>();
    // @ts-expect-error: runId is required
    void (() => client.runs.get({}));
    // @ts-expect-error: no such method
    void (() => client.runs.explode());
    // @ts-expect-error: not a model kind
    void (() => client.runs.start({ models: [{ model: 'rnn', config: {} }], trainDatasetId: 'd', budget: {} }));
  });

  it('rejects with ApiError, wrapping transport failures', async () => {
    const client = createClient(fakeTransport().transport);
    await expect(client.runs.get({ runId: 'r1' })).rejects.toMatchObject({ code: 'internal', message: 'runs.get: socket closed' });
    await expect(client.runs.cancel({ runId: 'r1' })).rejects.toMatchObject({ code: 'conflict', message: 'run r1 is done' });
  });

  it('subscribes to events and unsubscribes', () => {
    const { transport, subscribers } = fakeTransport();
    const client = createClient(transport);
    const seen: number[] = [];
    const off = client.on('run.progress', (p) => seen.push(p.epoch));
    subscribers.get('run.progress')!({ runId: 'r', epoch: 4 });
    off();
    expect(seen).toEqual([4]);
    expect(subscribers.has('run.progress')).toBe(false);
  });
});
