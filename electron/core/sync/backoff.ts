/** Retry delays for the sync worker: exponential backoff with full jitter, a cap, and the server's Retry-After. */

export interface BackoffPolicy {
  /** Delay scale of the first retry. */
  baseMs: number;
  /** No computed delay exceeds this (a server's Retry-After may, up to maxRetryAfterMs). */
  capMs: number;
  /** A Retry-After beyond this is clamped: a confused server must not park the queue for days. */
  maxRetryAfterMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000, maxRetryAfterMs: 60 * 60_000 };

/**
 * Delay before retry number `attempt` (1 = first retry). Full jitter: uniform in [base/2, min(cap, base·2^(attempt-1))],
 * so many devices coming back online at once spread out. A server's Retry-After is a floor.
 */
export function nextDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
  policy: BackoffPolicy = defaultBackoff,
): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const floor = Math.min(policy.baseMs / 2, ceiling);
  const jittered = floor + random() * (ceiling - floor);
  const serverFloor = retryAfterMs === undefined ? 0 : Math.min(Math.max(retryAfterMs, 0), policy.maxRetryAfterMs);
  return Math.round(Math.max(jittered, serverFloor));
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
