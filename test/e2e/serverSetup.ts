/**
 * Playwright global setup: starts the browser-mode server (`tsx src-main/cli/index.ts serve`) on a
 * free port with a fresh database in a temporary folder, reads the token URL it prints, and hands it
 * to the tests as NGF_E2E_URL. The returned function stops the server and removes the folder.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START_TIMEOUT_MS = 90_000;
const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_\-%]+/;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'ngf-e2e-'));
  const port = await freePort();
  // Its own process group, so teardown stops tsx and the node process it runs (and their workers).
  const server = spawn(join('node_modules', '.bin', 'tsx'), ['src-main/cli/index.ts', 'serve', '--port', String(port), '--db', join(dir, 'workbench.db')], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = URL_PATTERN.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with code ${code} before printing its URL:\n${output}`));
    });
  });
  process.env.NGF_E2E_URL = url;
  process.env.NGF_E2E_DIR = dir;

  return async () => {
    if (server.exitCode === null && server.pid) {
      const group = -server.pid;
      process.kill(group, 'SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(group, 'SIGKILL');
          } catch {
            /* already gone */
          }
          resolve(null);
        }, 10_000);
        server.once('exit', () => {
          clearTimeout(timer);
          resolve(null);
        });
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
