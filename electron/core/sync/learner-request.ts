/** A read from the server as the signed-in learner (under RLS), refreshing an expired token once as the push does. */
import { AppFailure } from '../../../shared/errors';
import { requestJson, type FetchFn } from './http';
import type { TokenSource } from './push';

/** The configured server and the signed-in learner, for core features that read the learner's own rows. */
export interface LearnerServer {
  url: string;
  anonKey: string;
  fetch: FetchFn;
  tokens: TokenSource;
  now: () => number;
  /** The signed-in learner's user id (auth.uid() on the server). */
  userId: string;
}

/** A read that failed: its message names the read ("`what` failed: `reason`"), `reason` alone says why. */
export class ReadFailure extends AppFailure {
  readonly reason: string;
  constructor(code: AppFailure['code'], what: string, reason: string, details?: unknown) {
    super(code, `${what} failed: ${reason}`, details);
    this.reason = reason;
  }
}

/**
 * GETs `url` as the learner and returns the parsed body. Throws a ReadFailure `network` when the server cannot be
 * reached (offline), `auth_failed` when the session is refused, `internal` otherwise (with the HTTP `status` in its
 * details when the server refused the request); `what` names the read.
 */
export async function getAsLearner(
  server: Pick<LearnerServer, 'anonKey' | 'fetch' | 'tokens' | 'now'>,
  url: string,
  what: string,
  timeoutMs = 30_000,
): Promise<unknown> {
  const request = async (token: string) =>
    requestJson<unknown>(server.fetch, {
      method: 'GET',
      url,
      headers: { apikey: server.anonKey, Authorization: `Bearer ${token}` },
      timeoutMs,
      nowMs: server.now(),
    });
  const token = await server.tokens.accessToken();
  let outcome = await request(token);
  if (outcome.kind === 'unauthorized') outcome = await request(await server.tokens.refreshAfterRejection(token));
  if (outcome.kind === 'ok') return outcome.body;
  const code = outcome.kind === 'transient' ? 'network' : outcome.kind === 'unauthorized' ? 'auth_failed' : 'internal';
  throw new ReadFailure(code, what, outcome.message, outcome.kind === 'refused' ? { status: outcome.status } : undefined);
}

/**
 * A fetch that calls as the learner: their access token at each call (the anon key beside it), and on a 401 the
 * token refreshed once and the request sent again, as getAsLearner does. For clients that bring their own request
 * (the provider client calling an edge function); the body must be re-sendable (a string).
 */
export function fetchAsLearner(server: Pick<LearnerServer, 'anonKey' | 'fetch' | 'tokens'>): FetchFn {
  return async (input, init) => {
    const send = (token: string) => {
      const headers = new Headers(init?.headers);
      headers.set('apikey', server.anonKey);
      headers.set('authorization', `Bearer ${token}`);
      return server.fetch(input, { ...init, headers });
    };
    const token = await server.tokens.accessToken();
    const first = await send(token);
    if (first.status !== 401) return first;
    await first.body?.cancel();
    return send(await server.tokens.refreshAfterRejection(token));
  };
}
