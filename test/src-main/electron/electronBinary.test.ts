import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { electronPackageDir, findElectronBinary, noDisplayReason } from '../../../src-main/electron/electronBinary';

const base = mkdtempSync(path.join(os.tmpdir(), 'ngf-electron-binary-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function fakePackage(name: string, pathTxt: string | null, binary: string | null): string {
  const dir = path.join(base, name);
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  if (pathTxt !== null) writeFileSync(path.join(dir, 'path.txt'), pathTxt);
  if (binary !== null) {
    writeFileSync(path.join(dir, 'dist', binary), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'dist', binary), 0o755);
  }
  return dir;
}

describe('findElectronBinary', () => {
  it('finds dist/<path.txt> like the electron package does', () => {
    const dir = fakePackage('installed', 'electron', 'electron');
    expect(findElectronBinary(dir, {})).toEqual({ path: path.join(dir, 'dist', 'electron') });
  });

  it('says why when the install script never ran, or the binary is gone, without downloading anything', () => {
    const never = findElectronBinary(fakePackage('never', null, null), {});
    expect(never.path).toBeNull();
    expect((never as { reason: string }).reason).toMatch(/never downloaded .*path\.txt is missing/);
    const gone = findElectronBinary(fakePackage('gone', 'electron', null), {});
    expect((gone as { reason: string }).reason).toMatch(/binary is missing/);
    expect(findElectronBinary(null, {})).toEqual({ path: null, reason: expect.stringMatching(/not installed/) });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const dir = fakePackage('override', null, null);
    const dist = path.join(base, 'custom-dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(path.join(dist, 'electron'), '');
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: dist })).toEqual({ path: path.join(dist, 'electron') });
    expect(findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: path.join(base, 'nowhere') }).path).toBeNull();
  });

  it('locates the installed electron package of this repository', () => {
    expect(electronPackageDir()).toMatch(/node_modules[\\/]electron$/);
  });
});

describe('noDisplayReason', () => {
  it('needs X11 or Wayland on Linux only', () => {
    expect(noDisplayReason('linux', {})).toMatch(/no display/);
    expect(noDisplayReason('linux', { DISPLAY: ':0' })).toBeNull();
    expect(noDisplayReason('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(noDisplayReason('darwin', {})).toBeNull();
    expect(noDisplayReason('win32', {})).toBeNull();
  });
});
