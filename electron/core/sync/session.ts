/** The signed-in learner's session on the main thread: keeps the refresh token in the secret store, hands out access tokens. */
import { AppFailure } from '../../../shared/errors';
import type { SecretStore } from '../ports';
import type { AuthClient, AuthSession } from './auth';
import type { TokenSource } from './push';

export const REFRESH_TOKEN_SECRET = 'sync.refreshToken';

/** Refresh this long before the token's stated expiry (at most a tenth of its lifetime), so it does not die in flight. */
const maxExpiryMarginMs = 30_000;

export interface SessionKeeper extends TokenSource {
  isSignedIn(): boolean;
  adopt(session: AuthSession): void;
  /** Logs out on the server when reachable, and forgets the tokens locally in any case. */
  forget(): Promise<void>;
  /** The user id of the current session, once one was adopted or refreshed. */
  userId(): string | null;
}

export function createSessionKeeper(options: {
  secrets: SecretStore;
  auth: () => AuthClient;
  now: () => number;
  /** Told when the server refused the refresh token: the learner must sign in again. */
  onSessionEnded: (message: string) => void;
}): SessionKeeper {
  let session: AuthSession | null = null;
  let expiryMarginMs = maxExpiryMarginMs;
  let refreshing: Promise<string> | null = null;
  const keep = (fresh: AuthSession) => {
    session = fresh;
    expiryMarginMs = Math.min(maxExpiryMarginMs, Math.max(0, (fresh.expiresAtMs - options.now()) / 10));
    options.secrets.set(REFRESH_TOKEN_SECRET, fresh.refreshToken);
  };

  const refresh = (): Promise<string> => {
    // Single-flight: refresh tokens rotate, and a second use of the old one would be refused.
    refreshing ??= (async () => {
      const refreshToken = session?.refreshToken ?? options.secrets.get(REFRESH_TOKEN_SECRET);
      if (!refreshToken) throw new AppFailure('auth_failed', 'Not signed in: sign in to sync your progress.');
      try {
        const fresh = await options.auth().refresh(refreshToken);
        keep(fresh);
        return fresh.accessToken;
      } catch (err) {
        if (err instanceof AppFailure && err.code === 'auth_failed') {
          session = null;
          options.secrets.delete(REFRESH_TOKEN_SECRET);
          options.onSessionEnded(`Your session ended (${err.message}). Sign in again to sync.`);
        }
        throw err;
      }
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  };

  return {
    isSignedIn: () => session !== null || options.secrets.get(REFRESH_TOKEN_SECRET) !== null,
    userId: () => session?.userId ?? null,
    async accessToken() {
      if (session && session.expiresAtMs - expiryMarginMs > options.now()) return session.accessToken;
      return refresh();
    },
    async refreshAfterRejection(rejected) {
      if (session && session.accessToken !== rejected && session.expiresAtMs - expiryMarginMs > options.now()) {
        return session.accessToken;
      }
      return refresh();
    },
    adopt: keep,
    async forget() {
      const current = session;
      session = null;
      options.secrets.delete(REFRESH_TOKEN_SECRET);
      if (current) {
        try {
          await options.auth().signOut(current.accessToken);
        } catch {
          // Offline sign-out still signs out here; the server session expires on its own.
        }
      }
    },
  };
}
