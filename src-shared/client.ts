/**
 * The typed API client, independent of how messages travel.
 *
 * `createClient(transport)` turns the method map into `client.datasets.list()`,
 * `client.runs.start({...})`, ... with payload and result types taken from ./api.ts, plus
 * `client.on(event, cb)` for events. A transport only moves untyped messages: the browser transport
 * (./browserTransport.ts) uses fetch + WebSocket, the Electron preload uses IPC, tests use a fake.
 * Transports reject with ApiError (./errors.ts); anything else is wrapped as an 'internal' ApiError.
 */
import { METHOD_NAMES, type ApiEvents, type EventName, type MethodName, type Payload, type Result } from './api';
import { ApiError } from './errors';

export interface Transport {
  invoke(method: string, payload: unknown): Promise<unknown>;
  subscribe(event: string, cb: (payload: unknown) => void): () => void;
}

type Namespace = MethodName extends `${infer N}.${string}` ? N : never;

/** Methods whose payload may be omitted (every field optional) take it as an optional argument. */
type Call<M extends MethodName> = undefined extends Payload<M>
  ? (payload?: Payload<M>) => Promise<Result<M>>
  : (payload: Payload<M>) => Promise<Result<M>>;

export type WorkbenchClient = {
  [N in Namespace]: { [M in MethodName as M extends `${N}.${infer Verb}` ? Verb : never]: Call<M> };
} & {
  /** Calls a method by its dotted name (what the namespaced functions do). */
  call<M extends MethodName>(method: M, payload?: Payload<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, cb: (payload: ApiEvents[E]) => void): () => void;
};

export function createClient(transport: Transport): WorkbenchClient {
  async function call(method: string, payload?: unknown): Promise<unknown> {
    try {
      return await transport.invoke(method, payload ?? {});
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('internal', `${method}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const client: Record<string, unknown> = {
    call,
    on: (event: string, cb: (payload: unknown) => void) => transport.subscribe(event, cb),
  };
  for (const method of METHOD_NAMES) {
    const [namespace, verb] = method.split('.') as [string, string];
    const group = (client[namespace] ??= {}) as Record<string, unknown>;
    group[verb] = (payload?: unknown) => call(method, payload);
  }
  return client as WorkbenchClient;
}
