/**
 * `npm start` (= `electron-vite build && npm run ngf -- start`): the desktop app where it can run,
 * else browser mode.
 *
 * Runs Electron on the built app (`electron .`: package.json "main" is out/main/index.js) when its
 * binary is installed and there is a display; otherwise prints why and runs the `serve` command
 * (loopback server, prints its http://127.0.0.1 URL and tries to open a browser). `--browser` forces
 * browser mode; every other argument is passed to `serve`. Exit code: Electron's or serve's.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary, noDisplayReason, type ElectronBinary } from '../../electron/electronBinary';

export const summary = 'start the workbench: the Electron app where its binary is installed, else browser mode';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Why the desktop app cannot start here, or Electron's path when it can. The lookups are parameters
 * so that every branch is testable on any machine.
 */
export function desktopUnavailable({
  electron = findElectronBinary(),
  display = noDisplayReason(),
  root = repoRoot,
}: { electron?: ElectronBinary; display?: string | null; root?: string } = {}): { reason: string } | { binary: string } {
  if (electron.path === null) return { reason: electron.reason };
  if (display) return { reason: display };
  const main = path.join(root, 'out', 'main', 'index.js');
  if (!existsSync(main)) return { reason: `the app is not built (${main} is missing: run \`npx electron-vite build\`)` };
  return { binary: electron.path };
}

function runElectron(binary: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(binary, ['.'], { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`ngf start: could not run Electron (${binary}): ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: npm start [-- --browser] [serve options]\n  --browser   skip Electron and serve the UI on 127.0.0.1 (see `npm run ngf -- serve --help`)');
    return 0;
  }
  const browser = args.includes('--browser');
  const serveArgs = args.filter((arg) => arg !== '--browser');
  if (!browser) {
    const desktop = desktopUnavailable();
    if ('binary' in desktop) return runElectron(desktop.binary);
    console.log(`ngf start: not starting the desktop app: ${desktop.reason}.\nngf start: starting browser mode instead.`);
  }
  const serve = await import('./serve');
  return serve.run(serveArgs.includes('--open') ? serveArgs : ['--open', ...serveArgs]);
}
