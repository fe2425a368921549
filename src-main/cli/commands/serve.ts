/**
 * `npm run serve -- [--port N] [--db FILE] [--data-dir DIR] [--open]`: browser mode.
 *
 * Opens the run store (default: the same database file as the CLI, see store/paths.ts), starts the
 * workbench service (training in a worker thread) and the loopback server (src-main/server), and
 * prints the URL with its token.
 * Runs until SIGINT/SIGTERM, then cancels training in progress, closes the server and the database.
 * Port: --port, else 5170 when free, else any free port. Exit codes: 0 after a clean stop, 2 bad
 * usage, 1 anything else.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startWorkbenchServer, type WorkbenchServer } from '../../server/workbenchServer';
import { openWorkbench } from '../../services/openWorkbench';
import { defaultDatabasePath } from '../../store/paths';
import { parseOptions, UsageError } from '../options';

export const summary = 'browser mode: serve the workbench UI and API on http://127.0.0.1 (token-protected)';

const PREFERRED_PORT = 5170;

const HELP = `usage: npm run serve -- [--port N] [--db FILE] [--data-dir DIR] [--open]
  --port N        port on 127.0.0.1 (default ${PREFERRED_PORT} when free, else any free port)
  --db FILE       run database (default ${defaultDatabasePath()})
  --data-dir DIR  where uploaded/generated datasets and scratch files go (default: DB folder/data)
  --open          open the URL in the default browser`;

interface ServeArgs {
  port: number | null;
  db: string;
  dataDir: string | null;
  open: boolean;
}

function parseArgs(args: string[]): ServeArgs {
  const { values, flags } = parseOptions('serve', args, { values: ['--port', '--db', '--data-dir'], flags: ['--open'], unknownHint: `\n${HELP}` });
  const portText = values.get('--port');
  const port = portText === undefined ? null : Number(portText);
  if (port !== null && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`serve: --port must be an integer from 0 to 65535, got '${portText}'`);
  const dataDir = values.get('--data-dir');
  return { port, db: resolve(values.get('--db') ?? defaultDatabasePath()), dataDir: dataDir === undefined ? null : resolve(dataDir), open: flags.has('--open') };
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', (error) => console.error(`serve: could not open a browser (${error.message}); open the URL above yourself`));
  child.unref();
}

async function listen(service: Parameters<typeof startWorkbenchServer>[0]['service'], port: number | null): Promise<WorkbenchServer> {
  if (port !== null) return startWorkbenchServer({ service, port });
  try {
    return await startWorkbenchServer({ service, port: PREFERRED_PORT });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startWorkbenchServer({ service, port: 0 });
  }
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  let options: ServeArgs;
  try {
    options = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
  const workbench = openWorkbench({ dbPath: options.db, dataDir: options.dataDir ?? undefined, host: 'browser' });
  const { service, store } = workbench;
  let server: WorkbenchServer;
  try {
    server = await listen(service, options.port);
  } catch (error) {
    await workbench.close();
    throw new Error(`cannot listen on 127.0.0.1:${options.port ?? PREFERRED_PORT} (${(error as Error).message})`);
  }
  console.log(`NGF Workbench (browser mode) at ${server.url}`);
  console.log(`database: ${store.dbPath}`);
  if (options.open) openBrowser(server.url);

  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  console.log('serve: stopping');
  await server.close();
  await workbench.close();
  return 0;
}
