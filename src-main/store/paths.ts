/**
 * Where the workbench keeps its database: `<user data dir>/ngf-workbench/workbench.db`, where the user
 * data dir is `$XDG_DATA_HOME` (else ~/.local/share) on Linux and other Unixes,
 * ~/Library/Application Support on macOS and %APPDATA% (else ~/AppData/Roaming) on Windows.
 * `NGF_WORKBENCH_DB` overrides the whole path.
 */
import os from 'node:os';
import path from 'node:path';

export const DATABASE_PATH_ENV = 'NGF_WORKBENCH_DB';

export function defaultDatabasePath(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = env[DATABASE_PATH_ENV];
  if (override) return path.resolve(override);
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'ngf-workbench', 'workbench.db');
  }
  const dataDir =
    platform === 'darwin'
      ? path.posix.join(home, 'Library', 'Application Support')
      : env.XDG_DATA_HOME || path.posix.join(home, '.local', 'share');
  return path.posix.join(dataDir, 'ngf-workbench', 'workbench.db');
}
