import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDatabasePath } from '../../../src-main/store/paths';

describe('defaultDatabasePath', () => {
  it('follows each platform\'s convention for user data', () => {
    expect(defaultDatabasePath({}, 'linux', '/home/ada')).toBe('/home/ada/.local/share/ngf-workbench/workbench.db');
    expect(defaultDatabasePath({ XDG_DATA_HOME: '/data' }, 'linux', '/home/ada')).toBe('/data/ngf-workbench/workbench.db');
    expect(defaultDatabasePath({}, 'darwin', '/Users/ada')).toBe(
      '/Users/ada/Library/Application Support/ngf-workbench/workbench.db',
    );
    expect(defaultDatabasePath({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\ngf-workbench\\workbench.db',
    );
  });

  it('is overridden by NGF_WORKBENCH_DB', () => {
    expect(defaultDatabasePath({ NGF_WORKBENCH_DB: 'my.db', XDG_DATA_HOME: '/data' }, 'linux', '/h')).toBe(
      path.resolve('my.db'),
    );
  });
});
