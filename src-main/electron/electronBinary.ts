/**
 * Finding the Electron executable without downloading it.
 *
 * `require('electron')` returns the binary's path but, when the binary is missing, first tries to
 * download it (blocking, network), which must not happen on an offline machine or in a test. So this
 * reads what the electron package's index.js reads: `path.txt` (written by its install script) and
 * `dist/<that path>`, honouring ELECTRON_OVERRIDE_DIST_PATH the same way. Runs in plain Node (used by
 * `npm start` and the Electron smoke test), never in Electron.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronBinary = { path: string } | { path: null; reason: string };

/** The electron package's folder, or null when it is not installed. */
export function electronPackageDir(fromDir: string = process.cwd()): string | null {
  try {
    return path.dirname(createRequire(path.join(fromDir, 'noop.js')).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * The Electron executable, or why there is none. `packageDir`: the electron package folder;
 * `env`: where ELECTRON_OVERRIDE_DIST_PATH is read.
 */
export function findElectronBinary(
  packageDir: string | null = electronPackageDir(),
  env: Record<string, string | undefined> = process.env,
): ElectronBinary {
  if (!packageDir) return { path: null, reason: 'the electron package is not installed (npm install)' };
  const pathFile = path.join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = path.join(override, executable || 'electron');
    return existsSync(binary) ? { path: binary } : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH names no Electron binary (${binary} is missing)` };
  }
  if (!executable) {
    return {
      path: null,
      reason: `Electron's binary was never downloaded (${pathFile} is missing: its install script did not run; on a connected machine run \`npx install-electron\` or launch Electron once)`,
    };
  }
  const binary = path.join(packageDir, 'dist', executable);
  return existsSync(binary) ? { path: binary } : { path: null, reason: `Electron's binary is missing (${binary})` };
}

/** Why no window can be shown here (Linux without X11 or Wayland), or null when one can. */
export function noDisplayReason(
  platform: NodeJS.Platform = process.platform,
  env: Record<string, string | undefined> = process.env,
): string | null {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return null;
  return env.DISPLAY || env.WAYLAND_DISPLAY ? null : 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}
