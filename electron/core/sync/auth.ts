/** The part of the Supabase Auth (GoTrue) API the app calls: sign-up, password and refresh-token grants, logout. */
import { AppFailure } from '../../../shared/errors';
import { requestJson, type FetchFn, type HttpOutcome } from './http';

export interface AuthSession {
  accessToken: string;
  refreshToken: string;
  userId: string;
  email: string | null;
  /** When the access token stops being accepted (UTC ms). */
  expiresAtMs: number;
}

export interface AuthClientOptions {
  url: string;
  anonKey: string;
  fetch: FetchFn;
  timeoutMs: number;
  now: () => number;
}

export interface AuthClient {
  /** Null when the server wants the address confirmed before it hands out a session. */
  signUp(email: string, password: string): Promise<AuthSession | null>;
  signIn(email: string, password: string): Promise<AuthSession>;
  refresh(refreshToken: string): Promise<AuthSession>;
  signOut(accessToken: string): Promise<void>;
}

interface GoTrueSession {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  expires_at?: number;
  user?: { id?: string; email?: string | null };
}

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const base = `${options.url.replace(/\/+$/, '')}/auth/v1`;
  const call = (path: string, body: unknown, bearer?: string): Promise<HttpOutcome<GoTrueSession | null>> =>
    requestJson<GoTrueSession | null>(options.fetch, {
      method: 'POST',
      url: `${base}${path}`,
      headers: { apikey: options.anonKey, Authorization: `Bearer ${bearer ?? options.anonKey}` },
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: options.timeoutMs,
      nowMs: options.now(),
    });

  const toSession = (outcome: HttpOutcome<GoTrueSession | null>, what: string): AuthSession | null => {
    const body = expectOk(outcome, what);
    if (!body?.access_token) return null;
    if (!body.refresh_token || !body.user?.id) {
      throw new AppFailure('auth_failed', `${what}: the server's answer had no refresh token or user id.`);
    }
    const nowMs = options.now();
    const expiresAtMs =
      typeof body.expires_at === 'number'
        ? body.expires_at * 1000
        : nowMs + (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      userId: body.user.id,
      email: body.user.email ?? null,
      expiresAtMs,
    };
  };

  const required = (session: AuthSession | null, what: string): AuthSession => {
    if (!session) throw new AppFailure('auth_failed', `${what}: the server did not start a session.`);
    return session;
  };

  return {
    async signUp(email, password) {
      return toSession(await call('/signup', { email, password }), 'Sign-up');
    },
    async signIn(email, password) {
      return required(toSession(await call('/token?grant_type=password', { email, password }), 'Sign-in'), 'Sign-in');
    },
    async refresh(refreshToken) {
      const outcome = await call('/token?grant_type=refresh_token', { refresh_token: refreshToken });
      return required(toSession(outcome, 'Refreshing the session'), 'Refreshing the session');
    },
    async signOut(accessToken) {
      const outcome = await call('/logout', undefined, accessToken);
      // An already-dead session is as signed out as it gets.
      if (outcome.kind === 'unauthorized' || (outcome.kind === 'refused' && outcome.status === 403)) return;
      expectOk(outcome, 'Sign-out');
    },
  };
}

function expectOk<T>(outcome: HttpOutcome<T>, what: string): T {
  switch (outcome.kind) {
    case 'ok':
      return outcome.body;
    case 'transient':
      throw new AppFailure('network', `${what} failed: ${outcome.message}`);
    case 'unauthorized':
    case 'refused':
      throw new AppFailure('auth_failed', `${what} failed: ${outcome.message}`);
  }
}
