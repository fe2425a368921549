import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuAction } from '../../../src-main/electron/bridge';
import { applicationMenuTemplate } from '../../../src-main/electron/menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function build(isMac: boolean, isDev: boolean) {
  const sent: MenuAction[] = [];
  const items = flatten(applicationMenuTemplate({ appName: 'NGF Workbench', isMac, isDev, send: (a) => sent.push(a) }));
  return { items, sent };
}

describe('applicationMenuTemplate', () => {
  it('has the workbench items, each sending its action to the renderer', () => {
    const { items, sent } = build(false, false);
    const labels = ['Open Dataset…', 'New Experiment', 'Export Runs…', 'Import Runs…'];
    for (const label of labels) {
      const item = items.find((i) => i.label === label);
      expect(item, label).toBeDefined();
      expect(item!.accelerator).toMatch(/^CmdOrCtrl\+/);
      (item!.click as () => void)();
    }
    expect(sent).toEqual(['open-dataset', 'new-experiment', 'export-runs', 'import-runs']);
  });

  it('offers Reload and DevTools only in development', () => {
    const roles = (isDev: boolean) => build(false, isDev).items.map((i) => i.role);
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
    for (const role of ['reload', 'forceReload', 'toggleDevTools']) expect(roles(false)).not.toContain(role);
  });

  it('has Quit on every platform (app menu on macOS, File elsewhere) and the edit roles for copy/paste', () => {
    for (const isMac of [true, false]) {
      const { items } = build(isMac, false);
      expect(items.filter((i) => i.role === 'quit').length).toBe(1);
      expect(items.some((i) => i.role === 'editMenu')).toBe(true);
    }
    expect(build(true, false).items[0].label).toBe('NGF Workbench');
  });
});
