import { describe, expect, it } from 'vitest';
import { createEmitter } from '../../../src-shared/emitter';
import type { ApiEvents } from '../../../src-shared/api';
import { APP_ORIGIN } from '../../../src-main/electron/appOrigin';
import { SHELL_CHANNELS } from '../../../src-main/electron/bridge';
import { exportFileName, registerDialogHandlers, type FileDialogs } from '../../../src-main/electron/dialogs';
import { appFrame, FakeIpcMain } from './fakeIpc';

function setup(chosen: string | null) {
  const ipc = new FakeIpcMain();
  const calls: { method: string; payload: unknown }[] = [];
  const asked: string[] = [];
  const service = {
    handle: async (method: string, payload: unknown) => {
      calls.push({ method, payload });
      return { method };
    },
    events: createEmitter<ApiEvents>(),
  };
  const dialogs: FileDialogs = {
    chooseFileToOpen: async ({ title }) => (asked.push(title), chosen),
    chooseFileToSave: async ({ title, defaultName }) => (asked.push(`${title} as ${defaultName}`), chosen),
  };
  const unregister = registerDialogHandlers(ipc, service, dialogs, [APP_ORIGIN], () => {});
  return { ipc, calls, asked, unregister };
}

describe('registerDialogHandlers', () => {
  it('calls the path-taking contract method with the path chosen in the dialog', async () => {
    const { ipc, calls, asked } = setup('/data/two-body.npz');
    expect(await ipc.invoke(SHELL_CHANNELS.openDataset, appFrame)).toEqual({ ok: true, result: { method: 'datasets.open' } });
    await ipc.invoke(SHELL_CHANNELS.exportRuns, appFrame, ['r1', 'r2']);
    await ipc.invoke(SHELL_CHANNELS.importRuns, appFrame);
    expect(calls).toEqual([
      { method: 'datasets.open', payload: { path: '/data/two-body.npz' } },
      { method: 'runs.export', payload: { runIds: ['r1', 'r2'], path: '/data/two-body.npz' } },
      { method: 'runs.import', payload: { path: '/data/two-body.npz' } },
    ]);
    expect(asked[1]).toMatch(/^Export runs as ngf-runs-\d{4}-\d\d-\d\d\.zip$/);
  });

  it('resolves with null and calls nothing when the user cancels', async () => {
    const { ipc, calls } = setup(null);
    for (const [channel, args] of [
      [SHELL_CHANNELS.openDataset, []],
      [SHELL_CHANNELS.exportRuns, [['r1']]],
      [SHELL_CHANNELS.importRuns, []],
    ] as const) {
      expect(await ipc.invoke(channel, appFrame, ...args)).toEqual({ ok: true, result: null });
    }
    expect(calls).toEqual([]);
  });

  it('refuses a bad run selection before showing a dialog', async () => {
    const { ipc, calls, asked } = setup('/tmp/out.zip');
    const reply = await ipc.invoke(SHELL_CHANNELS.exportRuns, appFrame, []);
    expect(reply).toEqual({ ok: false, error: { code: 'invalid', message: 'runs.export: runIds: must name at least one run' } });
    expect(asked).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('refuses foreign senders, and unregisters all three channels', async () => {
    const { ipc, calls, asked, unregister } = setup('/x.npz');
    await expect(ipc.invoke(SHELL_CHANNELS.openDataset, { url: 'https://evil.example/', parent: null })).rejects.toThrow(/refused/);
    expect(asked).toEqual([]);
    expect(calls).toEqual([]);
    expect(ipc.handlers.size).toBe(3);
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('exportFileName', () => {
  it('dates the default export name', () => {
    expect(exportFileName(new Date('2025-03-04T23:00:00Z'))).toBe('ngf-runs-2025-03-04.zip');
  });
});
