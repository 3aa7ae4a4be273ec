/** Id sources: UUID v7 (time-ordered, for rows whose order matters) and v4. */
import { randomFillSync, randomUUID } from 'node:crypto';

let lastMs = 0;
let sequence = 0;
/** Random bytes drawn in bulk, as randomUUID does: one call into the CSPRNG costs as much as 500 ids need. */
const RANDOM_BYTES_PER_ID = 8;
const randomPool = Buffer.alloc(RANDOM_BYTES_PER_ID * 512);
let randomPoolOffset = randomPool.length;

/**
 * UUID v7 that is monotonic within this process (RFC 9562 §6.2, method 1): ids made in the same
 * millisecond carry an increasing 12-bit counter, so ordering by id follows creation order.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    lastMs += 1;
    sequence = 0;
  }
  if (randomPoolOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  // 48-bit big-endian timestamp, version 7 with the counter, then the RFC 4122 variant bits over 62 random bits.
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  randomPool.copy(bytes, 8, randomPoolOffset, randomPoolOffset + RANDOM_BYTES_PER_ID);
  randomPoolOffset += RANDOM_BYTES_PER_ID;
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const uuidv4 = (): string => randomUUID();
