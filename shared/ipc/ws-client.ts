/**
 * The browser-side StudyApi over the web host's WebSocket: the same methods and events as the Electron preload.
 *
 * How the renderer connects (the web host injects the token into the page it serves):
 *   const config = readWebHostConfig(document);             // <meta name="study-token"> + ws://<page host>/ipc
 *   const api = window.studyApi ?? createWebSocketStudyApi(config.url, config.token);
 * No Node imports here: it runs in the browser with the DOM WebSocket (tests pass the `ws` package instead).
 */
import type { AppError } from '../errors';
import type { Result, StudyApi } from './api';
import type { ChannelName, EventName } from './contract';
import { assertEventName, createChannelMethods, isEventName } from './study-api';

/** The WebSocket subprotocol of the web host; the token travels as a second offered subprotocol `token.<hex>`. */
export const webHostProtocol = 'study-desk.v1';
export const tokenProtocolPrefix = 'token.';
export const webHostSocketPath = '/ipc';
export const tokenMetaName = 'study-token';

/** The part of the DOM WebSocket (and of the `ws` package) this client uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
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

interface PendingRequest {
  message: string;
  sent: boolean;
  resolve(result: Result<unknown>): void;
  timer: ReturnType<typeof setTimeout>;
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
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const reconnect = options.reconnect ?? { initialMs: 250, maxMs: 5_000 };
  const pending = new Map<number, PendingRequest>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocketLike | null = null;
  let reconnectDelayMs = reconnect.initialMs;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closedForGood = false;

  const networkError = (message: string): Result<unknown> => ({ ok: false, error: { code: 'network', message } satisfies AppError });
  const unreachable = 'Study Desk is not reachable (is the web host still running?). Retrying in the background.';

  function settle(id: number, result: Result<unknown>): void {
    const request = pending.get(id);
    if (!request) return;
    pending.delete(id);
    clearTimeout(request.timer);
    request.resolve(result);
  }

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
    current.onopen = () => {
      reconnectDelayMs = reconnect.initialMs;
      for (const request of pending.values()) {
        if (!request.sent) {
          current.send(request.message);
          request.sent = true;
        }
      }
    };
    current.onmessage = (event) => handleMessage(event.data);
    current.onerror = () => {
      // The close event follows and does the cleanup.
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      // Nothing pending can be answered by this socket any more: say so now rather than at the timeout.
      for (const [id, request] of pending) {
        settle(
          id,
          networkError(
            request.sent
              ? 'The connection to Study Desk was lost before it answered. Try again.'
              : unreachable,
          ),
        );
      }
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

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const record = message as Record<string, unknown>;
    if (typeof record.id === 'number' && isResult(record.result)) {
      settle(record.id, record.result);
    } else if (isEventName(record.event)) {
      for (const listener of listeners.get(record.event) ?? []) {
        // One failing listener must not keep the others from hearing the event.
        try {
          listener(record.payload);
        } catch (err) {
          console.error(`Study Desk: a ${record.event} listener failed:`, err);
        }
      }
    }
  }

  function invoke(channel: ChannelName, input: unknown): Promise<Result<unknown>> {
    if (closedForGood) return Promise.resolve(networkError('The connection to Study Desk is closed.'));
    // Between reconnect attempts: fail at once instead of leaving the UI waiting.
    const current = socket;
    if (!current) return Promise.resolve(networkError(unreachable));
    const id = nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => settle(id, networkError(`Study Desk did not answer ${channel} within ${Math.round(requestTimeoutMs / 1000)} s.`)),
        requestTimeoutMs,
      );
      const request: PendingRequest = { message: JSON.stringify({ id, channel, input }), sent: false, resolve, timer };
      pending.set(id, request);
      if (current.readyState === openState) {
        current.send(request.message);
        request.sent = true;
      }
    });
  }

  options.signal?.addEventListener('abort', () => {
    closedForGood = true;
    if (reconnectTimer) clearTimeout(reconnectTimer);
    socket?.close(1000, 'closed');
    socket = null;
    for (const id of [...pending.keys()]) settle(id, networkError('The connection to Study Desk was closed.'));
  });

  connect();

  return {
    ...createChannelMethods(invoke),
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
}

/** The DOM WebSocket, looked up at run time because this file is also type-checked without DOM types. */
function createBrowserSocket(url: string, protocols: string[]): WebSocketLike {
  const BrowserWebSocket = (globalThis as { WebSocket?: new (url: string, protocols: string[]) => WebSocketLike }).WebSocket;
  if (!BrowserWebSocket) throw new Error('This environment has no WebSocket; pass options.createSocket.');
  return new BrowserWebSocket(url, protocols);
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return record.ok === true ? 'value' in record : record.ok === false && typeof record.error === 'object' && record.error !== null;
}
