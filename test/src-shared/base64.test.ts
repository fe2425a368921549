import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../src-shared';

describe('base64', () => {
  it('round-trips bytes larger than one chunk and agrees with Buffer', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7919) % 256);
    const text = bytesToBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64ToBytes(text)).toEqual(bytes);
  });
  it('refuses text that is not base64', () => {
    expect(() => base64ToBytes('a$b')).toThrow('not valid base64');
  });
});
