import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../electron/core/ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The 62 random bits after the variant: the last 16 hex digits, the variant's 2 bits masked off. */
const randomTail = (id: string) => (BigInt(`0x${id.replace(/-/g, '').slice(16)}`) & ((1n << 62n) - 1n)).toString(16);

describe('uuidv7', () => {
  it('encodes the millisecond, version 7 and the RFC 9562 variant', () => {
    const ms = Date.UTC(2026, 11, 1, 12, 0, 0, 123);
    const id = uuidv7(ms);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  it('orders ids made in the same millisecond by creation, and fresh random bits for every one of thousands', () => {
    // More ids than one draw of the random pool holds, so refills are exercised.
    const ms = Date.UTC(2027, 0, 1);
    const ids = Array.from({ length: 3000 }, () => uuidv7(ms));
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids.map(randomTail)).size).toBe(ids.length);
  });

  it('stays monotonic when the clock goes back', () => {
    const later = uuidv7(Date.UTC(2028, 0, 1));
    const earlier = uuidv7(Date.UTC(2027, 6, 1));
    expect(earlier > later).toBe(true);
  });
});
