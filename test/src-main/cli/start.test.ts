import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { desktopUnavailable } from '../../../src-main/cli/commands/start';

const built = mkdtempSync(path.join(os.tmpdir(), 'ngf-start-'));
mkdirSync(path.join(built, 'out', 'main'), { recursive: true });
writeFileSync(path.join(built, 'out', 'main', 'index.js'), '');
const unbuilt = mkdtempSync(path.join(os.tmpdir(), 'ngf-start-'));
afterAll(() => [built, unbuilt].forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('desktopUnavailable (npm start: Electron or browser mode)', () => {
  const electron = { path: '/opt/electron/electron' };

  it('runs Electron when its binary, a display and the built app are there', () => {
    expect(desktopUnavailable({ electron, display: null, root: built })).toEqual({ binary: '/opt/electron/electron' });
  });

  it('falls back to browser mode saying why: no binary, no display, or not built', () => {
    expect(desktopUnavailable({ electron: { path: null, reason: 'no binary here' }, display: null, root: built })).toEqual({ reason: 'no binary here' });
    expect(desktopUnavailable({ electron, display: 'there is no display', root: built })).toEqual({ reason: 'there is no display' });
    const notBuilt = desktopUnavailable({ electron, display: null, root: unbuilt });
    expect((notBuilt as { reason: string }).reason).toMatch(/not built .*out[\\/]main[\\/]index\.js is missing/);
  });
});
