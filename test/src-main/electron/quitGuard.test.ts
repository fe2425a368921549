import { describe, expect, it } from 'vitest';
import { activeRunIds, createQuitGuard, type QuitGuardOptions } from '../../../src-main/electron/quitGuard';

/** A guard wired like main.ts wires it: its quit() fires before-quit again, which the guard sees. */
function harness(runs: string[], answer: boolean, overrides: Partial<QuitGuardOptions> = {}) {
  const log: string[] = [];
  const fire = () => guard({ preventDefault: () => void log.push('held') });
  let quitted: () => void = () => {};
  const quitting = new Promise<void>((resolve) => (quitted = resolve));
  const guard = createQuitGuard({
    activeRuns: async () => runs,
    confirm: async (count) => (log.push(`asked ${count}`), answer),
    cancel: async (id) => void log.push(`cancel ${id}`),
    quit: () => {
      log.push('quit');
      fire(); // let through: nothing more is logged
      quitted();
    },
    warn: (m) => void log.push(`warn ${m}`),
    ...overrides,
  });
  const settle = () => new Promise((r) => setTimeout(r, 10));
  return { log, fire, quitting, settle };
}

describe('createQuitGuard', () => {
  it('quits straight away (after one check) when nothing is running', async () => {
    const h = harness([], true);
    h.fire();
    await h.quitting;
    expect(h.log).toEqual(['held', 'quit']);
  });

  it('asks, cancels every active run, then lets the second quit through', async () => {
    const h = harness(['r1', 'r2'], true);
    h.fire();
    h.fire(); // a second Cmd+Q while the dialog is up is held, not asked twice
    await h.quitting;
    expect(h.log).toEqual(['held', 'held', 'asked 2', 'cancel r1', 'cancel r2', 'quit']);
  });

  it('keeps the app open when the user declines, and asks again next time', async () => {
    const h = harness(['r1'], false);
    h.fire();
    await h.settle();
    h.fire();
    await h.settle();
    expect(h.log).toEqual(['held', 'asked 1', 'held', 'asked 1']);
  });

  it('still quits when listing runs fails or a cancel is refused, saying why', async () => {
    const broken = harness([], true, { activeRuns: async () => Promise.reject(new Error('database is closed')) });
    broken.fire();
    await broken.quitting;
    expect(broken.log).toContain('quit');
    expect(broken.log.some((l) => l.includes('database is closed'))).toBe(true);
    const refused = harness(['r1'], true, { cancel: async () => Promise.reject(new Error('already done')) });
    refused.fire();
    await refused.quitting;
    expect(refused.log.at(-1)).toBe('quit');
    expect(refused.log.some((l) => l.startsWith('warn could not cancel run r1'))).toBe(true);
  });
});

describe('activeRunIds', () => {
  it('asks the service for running and queued runs', async () => {
    const asked: unknown[] = [];
    const service = {
      handle: async (method: string, payload: unknown) => {
        asked.push({ method, payload });
        const status = (payload as { filter: { status: string } }).filter.status;
        return { runs: status === 'running' ? [{ id: 'a' }] : [{ id: 'b' }, { id: 'c' }], total: 0 };
      },
      events: { onAny: () => () => {} },
    };
    expect(await activeRunIds(service)).toEqual(['a', 'b', 'c']);
    expect(asked).toEqual([
      { method: 'runs.list', payload: { filter: { status: 'running', limit: 10_000 } } },
      { method: 'runs.list', payload: { filter: { status: 'queued', limit: 10_000 } } },
    ]);
  });
});
