/**
 * A tiny typed event emitter (browser-safe: no Node `events`).
 *
 * `Events` maps event names to payload types. `on` returns its own unsubscribe function, and `onAny`
 * sees every event, which is what a transport needs to forward all of them (WebSocket, IPC).
 * A listener that throws does not stop the others; the error goes to `onListenerError`.
 */
export interface Emitter<Events extends object> {
  on<E extends keyof Events & string>(event: E, listener: (payload: Events[E]) => void): () => void;
  onAny(listener: <E extends keyof Events & string>(event: E, payload: Events[E]) => void): () => void;
  emit<E extends keyof Events & string>(event: E, payload: Events[E]): void;
}

export function createEmitter<Events extends object>(
  onListenerError: (error: unknown) => void = (error) => console.error('event listener failed:', error),
): Emitter<Events> {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const anyListeners = new Set<(event: string, payload: unknown) => void>();

  function call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      onListenerError(error);
    }
  }

  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => void set.delete(entry);
    },
    onAny(listener) {
      const entry = listener as (event: string, payload: unknown) => void;
      anyListeners.add(entry);
      return () => void anyListeners.delete(entry);
    },
    emit(event, payload) {
      for (const listener of [...(listeners.get(event) ?? [])]) call(() => (listener as (p: unknown) => void)(payload));
      for (const listener of [...anyListeners]) call(() => listener(event, payload));
    },
  };
}
