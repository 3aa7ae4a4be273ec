/**
 * The core side of the wire protocol, for any transport: one connection per subscriber (a socket, a
 * window). Requests go through `dispatch`, streams through `dispatchStream`; chunks and the end of a
 * stream go only to the connection that started it. Closing a connection stops delivery but not the work.
 */
import { zodToAppError, type AppError } from '../../../shared/errors';
import type { Result } from '../../../shared/ipc/api';
import { streams } from '../../../shared/ipc/contract';
import { parseClientFrame, type FrameId, type ServerFrame } from '../../../shared/ipc/wire';
import { dispatch, dispatchStream, isStreamName, type Handlers } from './handlers';

export interface WireConnection {
  /** One frame from the subscriber, already decoded from the transport (JSON text, structured clone). */
  receive(frame: unknown): void;
  /** The subscriber is gone: nothing more is sent; running streams finish and keep what they produce. */
  close(): void;
}

export interface WireServerOptions {
  /** Requests and streams a connection may have running at once; more are refused with their id. */
  maxInFlight?: number;
}

interface OpenStream {
  controller: AbortController;
  /** Set while the upload is arriving; null once the stream runs. */
  upload: { expected: number; received: number; nextSeq: number; parts: Buffer[] } | null;
  run: () => void;
}

export const defaultMaxInFlight = 64;
/** Bodies a connection may be receiving at once: one largest upload's worth, so a caller cannot make core buffer gigabytes. */
export const maxUploadingBytes = Math.max(0, ...Object.values(streams).map((def) => ('upload' in def ? def.upload.maxBytes : 0)));

export function connectWire(handlers: Handlers, send: (frame: ServerFrame) => void, options: WireServerOptions = {}): WireConnection {
  const maxInFlight = options.maxInFlight ?? defaultMaxInFlight;
  const open = new Map<FrameId, OpenStream>();
  let inFlight = 0;
  let closed = false;
  const deliver = (frame: ServerFrame): void => {
    if (!closed) send(frame);
  };
  const answer = (id: FrameId | null, result: Result<unknown>): void => deliver({ id, result });
  const endStream = (id: FrameId, error: AppError): void => {
    open.delete(id);
    deliver({ kind: 'error', id, error });
  };

  function startStream(id: FrameId, name: string, input: unknown, uploadBytes: number | undefined): void {
    // A second start on an open id is the caller's bug: say so on that id.
    if (open.has(id)) return deliver({ kind: 'error', id, error: { code: 'invalid_input', message: `Stream id ${String(id)} is already in use.` } });
    if (!isStreamName(name)) return deliver({ kind: 'error', id, error: { code: 'invalid_input', message: `Unknown stream ${JSON.stringify(name).slice(0, 80)}.` } });
    const def = streams[name];
    const limit = 'upload' in def ? def.upload.maxBytes : 0;
    if ((uploadBytes ?? 0) > limit) {
      const message = limit === 0 ? `${name} takes no upload.` : `The upload is ${uploadBytes} bytes; ${name} accepts at most ${limit}.`;
      return deliver({ kind: 'error', id, error: { code: 'invalid_input', message } });
    }
    if (limit > 0 && uploadBytes === undefined) {
      return deliver({ kind: 'error', id, error: { code: 'invalid_input', message: `${name} needs an upload (uploadBytes).` } });
    }
    const uploading = [...open.values()].reduce((sum, other) => sum + (other.upload?.expected ?? 0), 0);
    if (uploadBytes !== undefined && uploading + uploadBytes > maxUploadingBytes) {
      const error: AppError = { code: 'busy', message: 'Another upload is still arriving; send this one after it.', details: { retryable: true } };
      return deliver({ kind: 'error', id, error });
    }
    const controller = new AbortController();
    const stream: OpenStream = {
      controller,
      upload: uploadBytes === undefined ? null : { expected: uploadBytes, received: 0, nextSeq: 0, parts: [] },
      run() {
        const body = stream.upload ? joinUpload(stream.upload.parts) : null;
        stream.upload = null;
        inFlight++;
        void dispatchStream(handlers, name, input, {
          upload: body,
          signal: controller.signal,
          emit: (chunk) => {
            if (open.get(id) === stream) deliver({ kind: 'chunk', id, chunk });
          },
        })
          .then((result) => {
            if (open.get(id) !== stream) return;
            open.delete(id);
            deliver(result.ok ? { kind: 'done', id, value: result.value } : { kind: 'error', id, error: result.error });
          })
          .finally(() => inFlight--);
      },
    };
    open.set(id, stream);
    if (!stream.upload || stream.upload.expected === 0) stream.run();
  }

  function receiveUpload(id: FrameId, seq: number, data: string | Uint8Array): void {
    const stream = open.get(id);
    const upload = stream?.upload;
    if (!stream || !upload) return; // Cancelled or unknown: a late upload frame is dropped.
    if (seq !== upload.nextSeq) return endStream(id, { code: 'invalid_input', message: `Upload frame ${seq} arrived where ${upload.nextSeq} was expected.` });
    const part = typeof data === 'string' ? Buffer.from(data, 'base64') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    upload.nextSeq++;
    upload.received += part.byteLength;
    if (upload.received > upload.expected) return endStream(id, { code: 'invalid_input', message: `The upload is longer than the announced ${upload.expected} bytes.` });
    upload.parts.push(part);
    if (upload.received === upload.expected) stream.run();
  }

  return {
    receive(raw) {
      if (closed) return;
      const parsed = parseClientFrame(raw);
      if (!parsed.success) {
        const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
        const echoedId = typeof id === 'number' || (typeof id === 'string' && id.length <= 64) ? id : null;
        return answer(echoedId, { ok: false, error: zodToAppError(parsed.error, 'message') });
      }
      const frame = parsed.data;
      if ('kind' in frame && frame.kind === 'upload') return receiveUpload(frame.id, frame.seq, frame.data);
      if ('kind' in frame && frame.kind === 'cancel') {
        const stream = open.get(frame.id);
        if (!stream) return;
        stream.controller.abort();
        // The caller hears `cancelled` at once; the handler sees the aborted signal and stops where it safely can.
        return endStream(frame.id, { code: 'cancelled', message: 'Cancelled.' });
      }
      if (inFlight >= maxInFlight) {
        const error: AppError = { code: 'busy', message: `Too many requests at once (over ${maxInFlight}); wait for answers first.`, details: { retryable: true } };
        return 'kind' in frame ? deliver({ kind: 'error', id: frame.id, error }) : answer(frame.id, { ok: false, error });
      }
      if ('kind' in frame) return startStream(frame.id, frame.stream, frame.input, frame.uploadBytes);
      inFlight++;
      void dispatch(handlers, frame.channel, frame.input)
        .then((result) => answer(frame.id, result))
        .finally(() => inFlight--);
    },
    close() {
      closed = true;
      // Uploads that never completed have nothing to produce; running streams go on and store their result.
      for (const [id, stream] of open) if (stream.upload) open.delete(id);
    },
  };
}

/**
 * The upload's bytes in one Buffer. Frames the web host cut from the one body it received (server.ts) sit side by side
 * in one ArrayBuffer: they are viewed whole, not copied (a copy of a 60 MiB pack costs ~100 ms).
 */
function joinUpload(parts: Buffer[]): Buffer {
  const first = parts[0];
  if (first === undefined) return Buffer.alloc(0);
  let end = first.byteOffset;
  for (const part of parts) {
    if (part.buffer !== first.buffer || part.byteOffset !== end) return Buffer.concat(parts);
    end += part.byteLength;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
