/** Id sources: UUID v7 (time-ordered, for rows whose order matters) and v4. */
import { randomBytes, randomUUID } from 'node:crypto';

export interface IdSource {
  /** Time-ordered UUID (RFC 9562 v7). */
  next(): string;
}

export function uuidv7(nowMs: number = Date.now()): string {
  const bytes = randomBytes(16);
  // 48-bit big-endian timestamp, then version 7 and the RFC 4122 variant bits.
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const uuidv7Source: IdSource = { next: () => uuidv7() };
export const uuidv4 = (): string => randomUUID();
