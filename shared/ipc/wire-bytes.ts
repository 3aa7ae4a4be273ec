/** The zod-free part of the wire protocol the renderer's client needs (wire.ts re-exports it beside the frame schemas). */

/** Raw bytes per upload frame: base64 makes it 4/3 larger, well under the WebSocket's 1 MiB message limit. */
export const uploadChunkBytes = 512 * 1024;

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
