/**
 * The browser-side StudyApi over the web host's WebSocket: the same methods, streams and events as the Electron preload,
 * as wire-protocol frames in JSON text (docs/wire-protocol.md).
 *
 * How the renderer connects (the web host injects the token into the page it serves):
 *   const config = readWebHostConfig(document);             // <meta name="study-token"> + ws://<page host>/ipc
 *   const api = window.studyApi ?? createWebSocketStudyApi(config.url, config.token);
 * No Node imports here: it runs in the browser with the DOM WebSocket (tests pass the `ws` package instead).
 */
import type { AppError } from '../errors';
import type { StudyApi } from './api';
import { createWireClient, type StreamStartFrame } from './study-api';
import { encodeBinaryUpload } from './wire-bytes';

/** The WebSocket subprotocol of the web host; the token travels as a second offered subprotocol `token.<hex>`. */
export const webHostProtocol = 'study-desk.v1';
export const tokenProtocolPrefix = 'token.';
export const webHostSocketPath = '/ipc';
/** Where the page POSTs an upload's body (docs/wire-protocol.md), with the token in this header. */
export const webHostUploadPath = '/upload';
export const uploadTokenHeader = 'x-study-token';
export const tokenMetaName = 'study-token';

/** The part of the DOM WebSocket (and of the `ws` package) this client uses. */
export interface WebSocketLike {
  readonly readyState: number;
  /** Bytes sent but not yet transmitted. */
  readonly bufferedAmount: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

export interface WebSocketStudyApiOptions {
  createSocket?: WebSocketFactory;
  /** A request with no answer after this long fails with a `network` AppError. */
  requestTimeoutMs?: number;
  /** Reconnect delays double from `initialMs` up to `maxMs`. */
  reconnect?: { initialMs: number; maxMs: number };
  /** Aborting closes the socket for good and fails what is pending. */
  signal?: AbortSignal;
  /**
   * Upload bodies go as one HTTP POST to the host (a browser moves it ~5× faster than WebSocket frames) rather than as
   * upload frames. Default: on with the DOM WebSocket, whose page's fetch carries the session cookie; a test that brings
   * its own socket passes the cookie and origin as `headers`.
   */
  httpUploads?: boolean | { headers: Record<string, string> };
}

const openState = 1;

/** Reads the socket URL and token the web host put into the page, or null when the page was not served by it. */
export function readWebHostConfig(doc: { querySelector(selector: string): { getAttribute(name: string): string | null } | null; location: { host: string } }): { url: string; token: string } | null {
  const token = doc.querySelector(`meta[name="${tokenMetaName}"]`)?.getAttribute('content');
  if (!token) return null;
  return { url: `ws://${doc.location.host}${webHostSocketPath}`, token };
}

export function createWebSocketStudyApi(url: string, token: string, options: WebSocketStudyApiOptions = {}): StudyApi {
  const createSocket: WebSocketFactory = options.createSocket ?? createBrowserSocket;
  const reconnect = options.reconnect ?? { initialMs: 250, maxMs: 5_000 };
  let socket: WebSocketLike | null = null;
  /** Frames sent while the socket was still connecting; flushed when it opens. */
  let queued: Array<string | Uint8Array> = [];
  let reconnectDelayMs = reconnect.initialMs;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closedForGood = false;
  const unreachable = 'Study Desk is not reachable (is the web host still running?). Retrying in the background.';

  const httpUploads = options.httpUploads ?? options.createSocket === undefined;
  const uploadUrl = `${url.replace(/^ws/, 'http').slice(0, -webHostSocketPath.length)}${webHostUploadPath}`;

  /** Sends one message now, or queues it until the socket opens; null when there is no socket to send on. */
  function sendMessage(message: string | Uint8Array): AppError | null {
    // Between reconnect attempts: fail at once instead of leaving the UI waiting.
    if (!socket) return { code: 'network', message: unreachable };
    if (socket.readyState === openState) socket.send(message);
    else queued.push(message);
    return null;
  }

  /**
   * POSTs a body to the host, which keeps it (a minute at most) for the stream start that names the returned ref.
   * Aborting `signal` stops the POST: a body that has not wholly arrived is not kept, nor counted against the host's limit.
   */
  async function postBody(body: Uint8Array | Blob, signal: AbortSignal): Promise<string> {
    const headers = { [uploadTokenHeader]: token, 'Content-Type': 'application/octet-stream', ...(typeof httpUploads === 'object' ? httpUploads.headers : {}) };
    let response: Response;
    try {
      // The page's bytes never view a SharedArrayBuffer, which is all the cast rules out.
      response = await fetch(uploadUrl, { method: 'POST', body: body as Uint8Array<ArrayBuffer> | Blob, headers, signal });
    } catch {
      throw { code: 'network', message: unreachable } satisfies AppError;
    }
    const answer = (await response.json().catch(() => ({}))) as { uploadRef?: unknown; error?: AppError };
    if (response.ok && typeof answer.uploadRef === 'string') return answer.uploadRef;
    throw answer.error ?? ({ code: 'network', message: `Study Desk refused the upload (HTTP ${response.status}).` } satisfies AppError);
  }

  const client = createWireClient(
    {
      send(frame) {
        // Upload bytes go as one binary message (half the time of base64 text through a browser's WebSocket).
        return sendMessage(
          'kind' in frame && frame.kind === 'upload' && typeof frame.data !== 'string'
            ? encodeBinaryUpload({ kind: 'upload', id: frame.id, seq: frame.seq }, frame.data)
            : JSON.stringify(frame),
        );
      },
      ...(httpUploads
        ? {
            sendBody(start: StreamStartFrame, body: Uint8Array | Blob, wanted: () => boolean, unwanted: AbortSignal) {
              postBody(body, unwanted).then(
                (uploadRef) => {
                  if (!wanted()) return;
                  const refusal = sendMessage(JSON.stringify({ ...start, uploadRef }));
                  if (refusal) client.receive({ kind: 'error', id: start.id, error: refusal });
                },
                (error: AppError) => {
                  if (wanted()) client.receive({ kind: 'error', id: start.id, error });
                },
              );
            },
          }
        : {}),
      backlog: () => (socket?.bufferedAmount ?? 0) + queued.reduce((sum, message) => sum + (typeof message === 'string' ? message.length : message.byteLength), 0),
      binaryUploads: true,
    },
    options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs },
  );

  function connect(): void {
    if (closedForGood) return;
    let current: WebSocketLike;
    try {
      current = createSocket(url, [webHostProtocol, `${tokenProtocolPrefix}${token}`]);
    } catch (err) {
      console.error('Study Desk: could not open the WebSocket:', err);
      scheduleReconnect();
      return;
    }
    socket = current;
    let opened = false;
    current.onopen = () => {
      opened = true;
      reconnectDelayMs = reconnect.initialMs;
      for (const message of queued) current.send(message);
      queued = [];
    };
    current.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      try {
        client.receive(JSON.parse(event.data));
      } catch {
        // Not JSON: nothing this client sent can be answered by it.
      }
    };
    current.onerror = () => {
      // The close event follows and does the cleanup.
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      queued = [];
      // Nothing pending can be answered by this socket any more: say so now rather than at the timeout.
      client.connectionLost(opened ? 'The connection to Study Desk was lost before it answered. Try again.' : unreachable);
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (closedForGood || reconnectTimer) return;
    const delay = reconnectDelayMs;
    reconnectDelayMs = Math.min(reconnectDelayMs * 2, reconnect.maxMs);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  options.signal?.addEventListener('abort', () => {
    closedForGood = true;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    socket?.close(1000, 'closed');
    socket = null;
    client.close('The connection to Study Desk is closed.');
  });

  connect();
  return client.api;
}

/** The DOM WebSocket, looked up at run time because this file is also type-checked without DOM types. */
function createBrowserSocket(url: string, protocols: string[]): WebSocketLike {
  const BrowserWebSocket = (globalThis as { WebSocket?: new (url: string, protocols: string[]) => WebSocketLike }).WebSocket;
  if (!BrowserWebSocket) throw new Error('This environment has no WebSocket; pass options.createSocket.');
  return new BrowserWebSocket(url, protocols);
}
