import { describe, expect, it } from 'vitest';
import { createEmitter } from '../../src-shared';

describe('createEmitter', () => {
  it('delivers to named and catch-all listeners, isolates throwing listeners', () => {
    const errors: unknown[] = [];
    const emitter = createEmitter<{ a: number; b: string }>((e) => errors.push(e));
    const seen: unknown[] = [];
    emitter.on('a', () => {
      throw new Error('boom');
    });
    const off = emitter.on('a', (n) => seen.push(n));
    emitter.onAny((event, payload) => seen.push(`${event}:${payload}`));
    emitter.emit('a', 1);
    off();
    emitter.emit('a', 2);
    emitter.emit('b', 'x');
    expect(seen).toEqual([1, 'a:1', 'a:2', 'b:x']);
    expect(errors).toHaveLength(2);
  });
});
