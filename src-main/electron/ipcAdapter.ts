/**
 * The workbench service over Electron IPC: one `ipcMain.handle` per method of the shared contract,
 * and the service's events pushed to the windows.
 *
 * Every handler first checks who is calling: the sending frame must be a main frame whose URL is on
 * the app origin (a frame that navigated elsewhere, an iframe, or a foreign page gets nothing and the
 * service is not called). Then the payload is validated against the contract's schema, so a malformed
 * call is refused with the contract's message before the service sees it (the service validates
 * again: it is also reached over HTTP). Answers are IpcReply envelopes (./bridge.ts), never throws,
 * because Electron mangles errors thrown from handlers.
 *
 * Takes an ipcMain-like object, so it is tested against a fake.
 */
import { METHOD_NAMES, parsePayload, type ApiEvents, type EventName } from '../../src-shared/api';
import { ApiError } from '../../src-shared/errors';
import { apiChannel, EVENT_CHANNEL, type IpcReply } from './bridge';
import { isAllowedUrl } from './security';

/** The parts of an IpcMainInvokeEvent used here. */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** The parts of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** What the adapter needs of the workbench service (src-main/services). */
export interface ServiceLike {
  handle(method: string, payload: unknown): unknown;
  events: {
    onAny(listener: <E extends EventName>(event: E, payload: ApiEvents[E]) => void): () => void;
  };
}

/** The parts of a WebContents that events are sent to. */
export interface EventReceiver {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Why a sender is refused, or null when it is the workbench page. */
export function senderProblem(event: InvokeEventLike, allowedOrigins: readonly string[]): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent) return `a subframe (${frame.url}) may not call the API`;
  if (!isAllowedUrl(frame.url, allowedOrigins)) return `${frame.url || 'a page without URL'} is not the workbench (${allowedOrigins.join(', ')})`;
  return null;
}

function toReply(error: unknown): IpcReply<never> {
  const apiError =
    error instanceof ApiError ? error : new ApiError('internal', error instanceof Error ? error.message : String(error));
  return { ok: false, error: apiError.toJSON() };
}

/**
 * Registers `run` on `channel` behind the sender check. A refused sender gets a rejection (not an
 * envelope: it is not our page) and is logged; `run`'s result or error is answered as an IpcReply.
 */
export function handleTrusted(
  ipc: IpcMainLike,
  channel: string,
  allowedOrigins: readonly string[],
  run: (...args: unknown[]) => unknown,
  warn: (message: string) => void = console.warn,
): void {
  ipc.handle(channel, async (event, ...args): Promise<IpcReply<unknown>> => {
    const problem = senderProblem(event, allowedOrigins);
    if (problem) {
      const message = `${channel}: refused: ${problem}`;
      warn(message);
      throw new Error(message);
    }
    try {
      return { ok: true, result: await run(...args) };
    } catch (error) {
      return toReply(error);
    }
  });
}

/**
 * One handler per contract method (`api:<method>`), each taking the payload as its one argument.
 * Returns a function that removes them all.
 */
export function registerApiHandlers(
  ipc: IpcMainLike,
  service: ServiceLike,
  allowedOrigins: readonly string[],
  warn?: (message: string) => void,
): () => void {
  for (const method of METHOD_NAMES) {
    handleTrusted(
      ipc,
      apiChannel(method),
      allowedOrigins,
      (payload) => {
        parsePayload(method, payload);
        return service.handle(method, payload);
      },
      warn,
    );
  }
  return () => {
    for (const method of METHOD_NAMES) ipc.removeHandler(apiChannel(method));
  };
}

/**
 * Sends every service event to the live targets `targets()` returns at that moment (so windows
 * opened later get events too, and closed ones are skipped). Returns the unsubscribe function.
 */
export function forwardEvents(service: ServiceLike, targets: () => Iterable<EventReceiver>): () => void {
  return service.events.onAny((event, payload) => {
    for (const target of targets()) {
      if (!target.isDestroyed()) target.send(EVENT_CHANNEL, event, payload);
    }
  });
}
