/** Builds the renderer-facing `StudyApi` from the contract over the wire protocol, for any transport (Electron IPC or WebSocket). */
import { toAppError, type AppError } from '../errors';
import { methodName, type Result, type StreamCall, type StreamOptions, type StudyApi } from './api';
import { channels, events, streams, type ChannelName, type EventName, type StreamName } from './contract';
import type { ClientFrame, FrameId } from './wire';
import { toBase64, uploadChunkBytes } from './wire-bytes';

export const channelNames = Object.keys(channels) as ChannelName[];
export const streamNames = Object.keys(streams) as StreamName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** Rejects event names outside the contract, so `on` cannot become a generic listener. */
export function assertEventName(name: unknown): asserts name is EventName {
  if (!isEventName(name)) throw new TypeError(`Unknown event ${JSON.stringify(String(name)).slice(0, 80)}.`);
}

export interface WireTransport {
  /** Sends one frame now (or queues it until the connection opens); returns why it cannot, and the call fails at once. */
  send(frame: ClientFrame): AppError | null;
  /** Bytes sent but not yet on their way (a WebSocket's bufferedAmount); absent: the transport never holds any back. */
  backlog?(): number;
  /** Upload frames may carry the raw bytes (the transport sends them as they are); otherwise base64 text. */
  binaryUploads?: boolean;
  /**
   * Sends a stream's start and its whole body its own way (the web host: one HTTP POST, then the start naming it),
   * unless `wanted()` says the stream was cancelled meanwhile; a failure arrives as the stream's error frame.
   * `unwanted` is aborted as soon as the stream ends before its start was sent (cancelled, connection lost), so the
   * body stops going out at once.
   */
  sendBody?(start: StreamStartFrame, body: Uint8Array | Blob, wanted: () => boolean, unwanted: AbortSignal): void;
}

export type StreamStartFrame = Extract<ClientFrame, { kind: 'stream' }>;

/** Bytes rather than a Blob; `isView` also holds for bytes from another realm (a preload's world, a test's context). */
const isBytes = (body: Uint8Array | Blob): body is Uint8Array => ArrayBuffer.isView(body);

/**
 * An upload waits while more than this is held back: a browser puts a WebSocket's data on the wire only while its page's
 * thread is free, so encoding all 70 frames of a 35 MiB pack in one go left core idle until the last one (~2.5 s).
 * Waiting here lets core receive and decode the first frames while the next ones are encoded.
 */
const uploadBacklogBytes = 4 * uploadChunkBytes;

export interface WireClientOptions {
  /** A request with no answer after this long fails with a `network` AppError; streams have no timeout. */
  requestTimeoutMs?: number;
}

export interface WireClient {
  api: StudyApi;
  /** One frame from core (decoded by the transport). */
  receive(frame: unknown): void;
  /** The connection dropped: requests fail with `network` and `message`, streams end with `disconnected`. */
  connectionLost(message: string): void;
  /** Stops everything for good: pending calls fail with `network` and `message`. */
  close(message: string): void;
}

interface PendingRequest {
  resolve(result: Result<unknown>): void;
  timer: ReturnType<typeof setTimeout>;
}
interface PendingStream {
  onChunk: ((chunk: unknown) => void) | undefined;
  resolve(result: Result<unknown>): void;
}

/**
 * One method per channel and stream, named by `methodName`, plus `on` for events. Every call resolves to
 * a Result and never rejects, so a broken transport reaches the UI as an AppError like any other failure.
 */
export function createWireClient(transport: WireTransport, options: WireClientOptions = {}): WireClient {
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const requests = new Map<FrameId, PendingRequest>();
  const openStreams = new Map<FrameId, PendingStream>();
  /** Streams whose body the transport is sending its own way (sendBody), before their start reaches core; aborted when they end first. */
  const sendingBody = new Map<FrameId, AbortController>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let closedMessage: string | null = null;
  const failure = (code: AppError['code'], message: string): Result<never> => ({ ok: false, error: { code, message } });

  function settleRequest(id: FrameId, result: Result<unknown>): void {
    const request = requests.get(id);
    if (!request) return;
    requests.delete(id);
    clearTimeout(request.timer);
    request.resolve(result);
  }
  function settleStream(id: FrameId, result: Result<unknown>): void {
    const stream = openStreams.get(id);
    if (!stream) return;
    openStreams.delete(id);
    // Its body is still on its way (sendBody) and no longer wanted: the transport stops sending it.
    sendingBody.get(id)?.abort();
    sendingBody.delete(id);
    stream.resolve(result);
  }

  function invoke(channel: ChannelName, input: unknown): Promise<Result<unknown>> {
    if (closedMessage !== null) return Promise.resolve(failure('network', closedMessage));
    const id = nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => settleRequest(id, failure('network', `Study Desk did not answer ${channel} within ${Math.round(requestTimeoutMs / 1000)} s.`)),
        requestTimeoutMs,
      );
      requests.set(id, { resolve, timer });
      const refusal = send({ id, channel, input: input ?? {} });
      if (refusal) settleRequest(id, { ok: false, error: refusal });
    });
  }

  function startStream(stream: StreamName, input: unknown, streamOptions: StreamOptions<unknown> = {}): StreamCall<unknown> {
    const id = nextId++;
    let resolveDone: (result: Result<unknown>) => void = () => {};
    const done = new Promise<Result<unknown>>((resolve) => {
      resolveDone = resolve;
    });
    // Core answers a cancel with `cancelled`, or with the done it had already sent: whichever is true.
    const cancel = (): void => {
      if (!openStreams.has(id)) return;
      // Its body is still on its way (sendBody): core has not heard of it, so the cancel is answered here.
      if (sendingBody.has(id)) return settleStream(id, failure('cancelled', 'Cancelled.'));
      const refusal = send({ kind: 'cancel', id });
      if (refusal) settleStream(id, { ok: false, error: refusal });
    };
    if (closedMessage !== null) {
      resolveDone(failure('network', closedMessage));
      return { done, cancel };
    }
    openStreams.set(id, { onChunk: streamOptions.onChunk, resolve: resolveDone });
    const upload = streamOptions.upload;
    const start: StreamStartFrame = {
      kind: 'stream',
      id,
      stream,
      input: input ?? {},
      ...(upload ? { uploadBytes: isBytes(upload) ? upload.byteLength : upload.size } : {}),
    };
    if (upload && transport.sendBody) {
      const unwanted = new AbortController();
      sendingBody.set(id, unwanted);
      // Still there only while the stream is open (settleStream takes it out); taken out here once the start leaves.
      transport.sendBody(start, upload, () => sendingBody.delete(id), unwanted.signal);
      return { done, cancel };
    }
    const refusal = send(start);
    if (refusal) settleStream(id, { ok: false, error: refusal });
    if (upload) void sendUpload(id, upload);
    return { done, cancel };
  }

  /** The upload's frames, in order; stops when the stream ends (cancelled, refused). */
  async function sendUpload(id: FrameId, body: Uint8Array | Blob): Promise<void> {
    const upload = isBytes(body) ? body : new Uint8Array(await body.arrayBuffer());
    for (let offset = 0, seq = 0; offset < upload.byteLength && openStreams.has(id); offset += uploadChunkBytes, seq++) {
      while ((transport.backlog?.() ?? 0) > uploadBacklogBytes && openStreams.has(id)) await new Promise((resolve) => setTimeout(resolve, 0));
      if (!openStreams.has(id)) return;
      const bytes = upload.subarray(offset, offset + uploadChunkBytes);
      const part = send({ kind: 'upload', id, seq, data: transport.binaryUploads ? bytes : toBase64(bytes) });
      if (part) settleStream(id, { ok: false, error: part });
    }
  }

  function send(frame: ClientFrame): AppError | null {
    try {
      return transport.send(frame);
    } catch (err) {
      return toAppError(err);
    }
  }

  function receive(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    const frame = raw as Record<string, unknown>;
    const id = frame.id as FrameId;
    if (frame.kind === 'chunk') {
      const onChunk = openStreams.get(id)?.onChunk;
      // A failing chunk listener must not end the stream or the connection.
      try {
        onChunk?.(frame.chunk);
      } catch (err) {
        console.error('Study Desk: a stream chunk listener failed:', err);
      }
    } else if (frame.kind === 'done') {
      settleStream(id, { ok: true, value: frame.value });
    } else if (frame.kind === 'error' && isAppError(frame.error)) {
      settleStream(id, { ok: false, error: frame.error });
    } else if ('result' in frame && isResult(frame.result)) {
      settleRequest(id, frame.result);
    } else if (isEventName(frame.event)) {
      for (const listener of listeners.get(frame.event) ?? []) {
        // One failing listener must not keep the others from hearing the event.
        try {
          listener(frame.payload);
        } catch (err) {
          console.error(`Study Desk: a ${frame.event} listener failed:`, err);
        }
      }
    }
  }

  function connectionLost(message: string): void {
    for (const id of [...requests.keys()]) settleRequest(id, failure('network', message));
    for (const id of [...openStreams.keys()]) {
      settleStream(id, failure('disconnected', 'The connection to Study Desk was lost; what was started is still being finished and saved.'));
    }
  }

  const methods = Object.fromEntries([
    ...channelNames.map((channel) => [methodName(channel), (input?: unknown) => invoke(channel, input)]),
    ...streamNames.map((stream) => [methodName(stream), (input?: unknown, streamOptions?: StreamOptions<unknown>) => startStream(stream, input, streamOptions)]),
  ]);

  const api = {
    // Why the cast: the keys are computed at run time from the same contract objects the type is derived from.
    ...(methods as Omit<StudyApi, 'on'>),
    on(event, listener) {
      assertEventName(event);
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const untyped = listener as (payload: unknown) => void;
      set.add(untyped);
      return () => {
        set.delete(untyped);
      };
    },
  } satisfies StudyApi;

  return {
    api,
    receive,
    connectionLost,
    close(message) {
      closedMessage = message;
      for (const id of [...requests.keys()]) settleRequest(id, failure('network', message));
      for (const id of [...openStreams.keys()]) settleStream(id, failure('network', message));
    },
  };
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return record.ok === true ? 'value' in record : record.ok === false && isAppError(record.error);
}

function isAppError(value: unknown): value is AppError {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}
