/** One JSON request to the Supabase gateway with a timeout, its outcome sorted into what the sync worker does next. */
import { fetchFailure } from '../fetch-failure';
import { parseRetryAfter } from './backoff';

export type FetchFn = typeof fetch;

export type HttpOutcome<T> =
  /** `headers`: the answer's, e.g. what PostgREST's functions set through response.headers. */
  | { kind: 'ok'; status: number; body: T; headers: Headers }
  /** The access token was refused: refresh it once and retry. */
  | { kind: 'unauthorized'; message: string }
  /**
   * Worth retrying later. `reachedServer` is false only when no connection was made, so nothing can have been applied;
   * otherwise the request may have been applied (an unknown outcome), which the idempotent push makes safe to repeat.
   */
  | { kind: 'transient'; reachedServer: boolean; offline: boolean; retryAfterMs?: number; message: string }
  /** The server understood and refused: retrying the same request will not help. */
  | { kind: 'refused'; status: number; message: string };

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** Already-serialised JSON: the push splices stored payloads in without parsing them again. */
  body?: string;
  timeoutMs: number;
  nowMs: number;
}

/** Connection errors that mean the request never left this machine. */
const offlineCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);

export async function requestJson<T>(fetchFn: FetchFn, request: JsonRequest): Promise<HttpOutcome<T>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    let response: Response;
    try {
      const init: RequestInit = {
        method: request.method,
        headers: { Accept: 'application/json', ...request.headers },
        signal: controller.signal,
      };
      if (request.body !== undefined) {
        init.body = request.body;
        init.headers = { ...init.headers, 'Content-Type': 'application/json' };
      }
      response = await fetchFn(request.url, init);
    } catch (err) {
      return failedToConnect(err, request.url, controller.signal.aborted, request.timeoutMs);
    }
    let text: string;
    try {
      // The timeout covers the body too: a server that stalls mid-answer is as good as one that never answers.
      text = await response.text();
    } catch (err) {
      return failedToConnect(err, request.url, controller.signal.aborted, request.timeoutMs, true);
    }
    const status = response.status;
    if (status >= 200 && status < 300) {
      try {
        return { kind: 'ok', status, body: (text === '' ? null : JSON.parse(text)) as T, headers: response.headers };
      } catch {
        return { kind: 'transient', reachedServer: true, offline: false, message: `The server sent an unreadable answer (HTTP ${status}).` };
      }
    }
    const message = `HTTP ${status}: ${serverMessage(text)}`;
    if (status === 401) return { kind: 'unauthorized', message };
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), request.nowMs);
      return retryAfterMs === undefined
        ? { kind: 'transient', reachedServer: true, offline: false, message }
        : { kind: 'transient', reachedServer: true, offline: false, retryAfterMs, message };
    }
    return { kind: 'refused', status, message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A request that got no whole answer: not connected (offline), cut off, or not answered within `timeoutMs`. The one
 * place where a failed connection becomes the learner's words: undici's own error is a bare "fetch failed", its reason
 * is in `cause`.
 */
export function failedToConnect(
  err: unknown,
  url: string,
  timedOut: boolean,
  timeoutMs: number,
  afterHeaders = false,
): Extract<HttpOutcome<never>, { kind: 'transient' }> {
  if (timedOut) {
    return { kind: 'transient', reachedServer: true, offline: false, message: `No answer within ${timeoutMs} ms.` };
  }
  const reason = fetchFailure(err);
  const target = parsedUrl(url);
  if (!afterHeaders && reason.blockedPort) {
    const port = target?.port ?? '';
    return {
      kind: 'transient',
      reachedServer: false,
      offline: false,
      message: `Cannot reach the server (port ${port} is blocked): this app, like a web browser, refuses to connect to that port; use another port in the server URL, such as 54321 or 443.`,
    };
  }
  const code = reason.code;
  const offline = !afterHeaders && code !== undefined && offlineCodes.has(code);
  if (offline) return { kind: 'transient', reachedServer: false, offline, message: cannotReach(code, target, url) };
  const detail = code === undefined ? reason.message : (plainCodes[code] ?? code);
  return { kind: 'transient', reachedServer: true, offline: false, message: `The connection failed (${detail}).` };
}

function cannotReach(code: string, target: URL | null, url: string): string {
  if (code === 'ECONNREFUSED') {
    return `Cannot reach the server (connection refused): nothing answers at ${target?.host ?? url}; check that the server is running and the address is right.`;
  }
  if (code === 'ENOTFOUND') {
    return `Cannot reach the server (name not found): no server is known as ${target?.hostname ?? url}; check the address, or your internet connection.`;
  }
  return `Cannot reach the server (${plainCodes[code] ?? code}): this computer seems to be offline, or cannot get to ${target?.host ?? url}.`;
}

/** Socket error codes in plain words; a code not listed here is shown as it is. */
const plainCodes: Partial<Record<string, string>> = {
  EAI_AGAIN: 'the name lookup failed',
  ENETUNREACH: 'no network',
  EHOSTUNREACH: 'no route to the server',
  ENETDOWN: 'the network is down',
  ECONNRESET: 'the server closed the connection',
  UND_ERR_SOCKET: 'the server closed the connection',
  ETIMEDOUT: 'the connection timed out',
};

function parsedUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The human part of a PostgREST ({message}) or GoTrue ({msg} / {error_description}) error body. */
export function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['message', 'msg', 'error_description', 'error']) {
      const value = body[key];
      if (typeof value === 'string' && value !== '') return value.slice(0, 500);
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.slice(0, 500) || 'no details';
}
