import { afterEach, describe, expect, it, vi } from 'vitest';
import { toBase64 } from '../../shared/ipc/wire-bytes';

const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) % 256);
const expected = Buffer.from(bytes).toString('base64');

describe('toBase64 outside Node (no Buffer)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('uses the browser’s native Uint8Array toBase64 when there is one', () => {
    vi.stubGlobal('Buffer', undefined);
    const native = vi.fn(function (this: Uint8Array) {
      return `native:${this.length}`;
    });
    const withNative = Object.assign(bytes.slice(), { toBase64: native });
    expect(toBase64(withNative)).toBe(`native:${bytes.length}`);
    expect(native).toHaveBeenCalledOnce();
  });

  it('falls back to btoa, with the same text as Node’s Buffer', () => {
    vi.stubGlobal('Buffer', undefined);
    expect(toBase64(bytes)).toBe(expected);
  });
});
