import { describe, expect, it } from 'vitest';
import { METHOD_NAMES, type ApiEvents } from '../../../src-shared/api';
import { createEmitter } from '../../../src-shared/emitter';
import { ApiError } from '../../../src-shared/errors';
import { APP_ORIGIN } from '../../../src-main/electron/appOrigin';
import { apiChannel, EVENT_CHANNEL } from '../../../src-main/electron/bridge';
import { forwardEvents, registerApiHandlers, senderProblem, type ServiceLike } from '../../../src-main/electron/ipcAdapter';
import { appFrame, FakeIpcMain } from './fakeIpc';

function fakeService(answer: (method: string, payload: unknown) => unknown = () => ({ answered: true })) {
  const calls: { method: string; payload: unknown }[] = [];
  const service: ServiceLike & { events: ReturnType<typeof createEmitter<ApiEvents>> } = {
    handle: async (method, payload) => {
      calls.push({ method, payload });
      return answer(method, payload);
    },
    events: createEmitter<ApiEvents>(),
  };
  return { service, calls };
}

function setup(answer?: (method: string, payload: unknown) => unknown) {
  const ipc = new FakeIpcMain();
  const { service, calls } = fakeService(answer);
  const warnings: string[] = [];
  const unregister = registerApiHandlers(ipc, service, [APP_ORIGIN], (m) => warnings.push(m));
  return { ipc, service, calls, warnings, unregister };
}

describe('registerApiHandlers', () => {
  it('registers exactly one handler per contract method, on api:<method>, and removes them all', () => {
    const { ipc, unregister } = setup();
    expect(ipc.registrations.length).toBe(METHOD_NAMES.length);
    expect(new Set(ipc.registrations)).toEqual(new Set(METHOD_NAMES.map((m) => `api:${m}`)));
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('dispatches a valid payload to the service and answers with an ok envelope', async () => {
    const { ipc, calls } = setup(() => [{ id: 'd1' }]);
    const reply = await ipc.invoke(apiChannel('datasets.list'), appFrame, {});
    expect(reply).toEqual({ ok: true, result: [{ id: 'd1' }] });
    const payload = { runIds: ['a', 'b'] };
    await ipc.invoke(apiChannel('runs.delete'), appFrame, payload);
    expect(calls).toEqual([
      { method: 'datasets.list', payload: {} },
      { method: 'runs.delete', payload },
    ]);
  });

  it('refuses a bad payload with the contract message, without calling the service', async () => {
    const { ipc, calls } = setup();
    const reply = await ipc.invoke(apiChannel('runs.start'), appFrame, { models: [], trainDatasetId: '' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const message = (reply as { error: { message: string } }).error.message;
    expect(message).toMatch(/^runs\.start: /);
    expect(message).toContain('models: must have at least one model');
    const extra = await ipc.invoke(apiChannel('datasets.open'), appFrame, { path: '/x.npz', evil: 1 });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid', message: 'datasets.open: evil: unknown field' } });
    const notAnObject = await ipc.invoke(apiChannel('runs.get'), appFrame, 'run-1');
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(calls).toEqual([]);
  });

  it('rejects callers that are not the workbench page and never reaches the service', async () => {
    const { ipc, calls, warnings } = setup();
    const foreign = [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://workbench.evil/index.html', parent: null },
      { url: 'file:///tmp/page.html', parent: null },
      { url: 'http://localhost:5173/', parent: null },
      { url: 'app://workbench/index.html', parent: { url: 'app://workbench/' } },
      null,
    ];
    for (const frame of foreign) {
      await expect(ipc.invoke(apiChannel('datasets.list'), frame, {})).rejects.toThrow(/api:datasets\.list: refused/);
    }
    expect(calls).toEqual([]);
    expect(warnings.length).toBe(foreign.length);
    expect(warnings[0]).toContain('https://evil.example/');
  });

  it('accepts the dev server origin only when it is allowed', async () => {
    const ipc = new FakeIpcMain();
    const { service, calls } = fakeService();
    registerApiHandlers(ipc, service, [APP_ORIGIN, 'http://localhost:5173'], () => {});
    await ipc.invoke(apiChannel('app.versions'), { url: 'http://localhost:5173/', parent: null }, {});
    expect(calls.length).toBe(1);
  });

  it('answers service errors as envelopes keeping the ApiError code; other errors become internal', async () => {
    const { ipc } = setup((method) => {
      if (method === 'runs.get') throw new ApiError('not-found', 'run r1 does not exist');
      throw new TypeError('boom');
    });
    expect(await ipc.invoke(apiChannel('runs.get'), appFrame, { runId: 'r1' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'run r1 does not exist' },
    });
    expect(await ipc.invoke(apiChannel('app.backend'), appFrame, {})).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });
});

describe('senderProblem', () => {
  it('is null only for the main frame of the app origin', () => {
    expect(senderProblem({ senderFrame: appFrame }, [APP_ORIGIN])).toBeNull();
    expect(senderProblem({ senderFrame: { url: '', parent: null } }, [APP_ORIGIN])).toMatch(/not the workbench/);
    expect(senderProblem({ senderFrame: null }, [APP_ORIGIN])).toMatch(/gone/);
  });
});

describe('forwardEvents', () => {
  it('sends every service event to the live targets of the moment, skipping destroyed ones', () => {
    const { service } = fakeService();
    const sent: { target: string; args: unknown[] }[] = [];
    const target = (name: string, destroyed = false) => ({
      send: (...args: unknown[]) => void sent.push({ target: name, args }),
      isDestroyed: () => destroyed,
    });
    let targets = [target('a'), target('gone', true)];
    const stop = forwardEvents(service, () => targets);
    const progress = { runId: 'r', epoch: 1, epochs: 2, step: 0, losses: { total: 1 }, samplesPerSecond: 5, etaSeconds: 3 };
    service.events.emit('run.progress', progress);
    targets = [target('a'), target('b')];
    service.events.emit('run.status', { runId: 'r', status: 'done', error: null });
    stop();
    service.events.emit('run.status', { runId: 'r', status: 'failed', error: 'x' });
    expect(sent).toEqual([
      { target: 'a', args: [EVENT_CHANNEL, 'run.progress', progress] },
      { target: 'a', args: [EVENT_CHANNEL, 'run.status', { runId: 'r', status: 'done', error: null }] },
      { target: 'b', args: [EVENT_CHANNEL, 'run.status', { runId: 'r', status: 'done', error: null }] },
    ]);
  });
});
