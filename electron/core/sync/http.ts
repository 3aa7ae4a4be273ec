/** One JSON request to the Supabase gateway with a timeout, its outcome sorted into what the sync worker does next. */
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
      return failedToConnect(err, controller.signal.aborted, request.timeoutMs);
    }
    let text: string;
    try {
      // The timeout covers the body too: a server that stalls mid-answer is as good as one that never answers.
      text = await response.text();
    } catch (err) {
      return failedToConnect(err, controller.signal.aborted, request.timeoutMs, true);
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

/** A request that got no whole answer: not connected (offline), cut off, or not answered within `timeoutMs`. */
export function failedToConnect(err: unknown, timedOut: boolean, timeoutMs: number, afterHeaders = false): Extract<HttpOutcome<never>, { kind: 'transient' }> {
  if (timedOut) {
    return { kind: 'transient', reachedServer: true, offline: false, message: `No answer within ${timeoutMs} ms.` };
  }
  const code = errorCode(err);
  const offline = !afterHeaders && code !== undefined && offlineCodes.has(code);
  const detail = code ?? (err instanceof Error ? err.message : String(err));
  return {
    kind: 'transient',
    reachedServer: !offline,
    offline,
    message: offline ? `Cannot reach the server (${detail}).` : `The connection failed (${detail}).`,
  };
}

function errorCode(err: unknown): string | undefined {
  // undici wraps the socket error: TypeError('fetch failed', { cause: { code } }).
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Object; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
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
