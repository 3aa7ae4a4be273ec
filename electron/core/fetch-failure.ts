/**
 * Why Node's fetch (undici) threw before an answer. Its own error is a bare TypeError "fetch failed"; the reason is down
 * its `cause` chain: a socket error's code, or undici's own words such as "bad port". One reader for sync and the
 * tutor, which each word the reason for their own screen.
 */
export interface FetchFailure {
  /** The first error code down the chain (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, …). */
  code?: string;
  /** The innermost message found: the reason, not "fetch failed". */
  message: string;
  /** A port the fetch standard blocks (e.g. 9, 6000): refused before connecting, as browsers do. */
  blockedPort: boolean;
}

export function fetchFailure(err: unknown): FetchFailure {
  let message = err instanceof Error ? err.message : String(err);
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Object; depth++) {
    const code = (current as { code?: unknown }).code;
    if (current instanceof Error && current.message !== '') message = current.message;
    if (typeof code === 'string') return { code, message, blockedPort: false };
    current = (current as { cause?: unknown }).cause;
  }
  return { message, blockedPort: message === 'bad port' };
}
