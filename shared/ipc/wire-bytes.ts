/** The zod-free part of the wire protocol the renderer's client needs (wire.ts re-exports it beside the frame schemas). */

/** Raw bytes per upload frame: base64 makes it 4/3 larger, well under the WebSocket's 1 MiB message limit. */
export const uploadChunkBytes = 512 * 1024;

/** A binary upload frame: a 4-byte big-endian header length, the header as JSON text, then the raw bytes. */
export interface BinaryUploadHeader {
  kind: 'upload';
  id: number | string;
  seq: number;
}
const maxUploadHeaderBytes = 256;

/** The web host's upload frame as one binary WebSocket message: no base64, no JSON around the bytes. */
export function encodeBinaryUpload(header: BinaryUploadHeader, bytes: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const message = new Uint8Array(4 + head.byteLength + bytes.byteLength);
  new DataView(message.buffer).setUint32(0, head.byteLength);
  message.set(head, 4);
  message.set(bytes, 4 + head.byteLength);
  return message;
}

/** The header (unchecked JSON: the wire's frame schema checks it) and the bytes of a binary upload frame; null when malformed. */
export function decodeBinaryUpload(message: Uint8Array): { header: unknown; data: Uint8Array } | null {
  if (message.byteLength < 4) return null;
  const length = new DataView(message.buffer, message.byteOffset, message.byteLength).getUint32(0);
  if (length > maxUploadHeaderBytes || 4 + length > message.byteLength) return null;
  try {
    const header: unknown = JSON.parse(new TextDecoder().decode(message.subarray(4, 4 + length)));
    return { header, data: message.subarray(4 + length) };
  } catch {
    return null;
  }
}

export function toBase64(bytes: Uint8Array): string {
  // Buffer in Node; the native Uint8Array.prototype.toBase64 where the browser has it (Chromium 140+: 35 MiB in about
  // 50 ms, against seconds for the btoa loop, which the content workspace's 100k-question upload measured); else btoa.
  const NodeBuffer = (globalThis as { Buffer?: { from(bytes: Uint8Array): { toString(encoding: 'base64'): string } } }).Buffer;
  if (NodeBuffer) return NodeBuffer.from(bytes).toString('base64');
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
