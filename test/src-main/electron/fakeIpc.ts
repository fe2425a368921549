/** A stand-in for Electron's ipcMain and the senders that call it (test helper, not a test). */
import type { InvokeEventLike, IpcMainLike } from '../../../src-main/electron/ipcAdapter';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  registrations: string[] = [];

  handle(channel: string, listener: Listener): void {
    // Electron throws on a second handler for one channel; so does the fake.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
    this.registrations.push(channel);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** Calls `channel` as a renderer frame at `url` would (`parent` set for a subframe). */
  async invoke(channel: string, from: InvokeEventLike['senderFrame'], ...args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener({ senderFrame: from }, ...args);
  }
}

export const appFrame = { url: 'app://workbench/index.html#/datasets', parent: null };
