/**
 * The browser-side StudyApi over the web host's WebSocket: the same methods, streams and events as the Electron preload,
 * as wire-protocol frames in JSON text (docs/wire-protocol.md).
 *
 * How the renderer connects (the web host injects the token into the page it serves):
 *   const config = readWebHostConfig(document);             // <meta name="study-token"> + ws://<page host>/ipc
 *   const api = window.studyApi ?? createWebSocketStudyApi(config.url, config.token);
 * No Node imports here: it runs in the browser with the DOM WebSocket (tests pass the `ws` package instead).
 */
import type { StudyApi } from './api';
import { createWireClient } from './study-api';
import { encodeBinaryUpload } from './wire-bytes';

/** The WebSocket subprotocol of the web host; the token travels as a second offered subprotocol `token.<hex>`. */
export const webHostProtocol = 'study-desk.v1';
export const tokenProtocolPrefix = 'token.';
export const webHostSocketPath = '/ipc';
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

  const client = createWireClient(
    {
      send(frame) {
        // Between reconnect attempts: fail at once instead of leaving the UI waiting.
        if (!socket) return { code: 'network', message: unreachable };
        // Upload bytes go as one binary message (half the time of base64 text through a browser's WebSocket).
        const message =
          'kind' in frame && frame.kind === 'upload' && typeof frame.data !== 'string'
            ? encodeBinaryUpload({ kind: 'upload', id: frame.id, seq: frame.seq }, frame.data)
            : JSON.stringify(frame);
        if (socket.readyState === openState) socket.send(message);
        else queued.push(message);
        return null;
      },
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
