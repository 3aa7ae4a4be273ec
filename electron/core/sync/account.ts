/** The learner's account on the configured server: sign-up, sign-in (adopting the server's learner id) and sign-out. */
import { AppFailure } from '../../../shared/errors';
import { credentialsSchema } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import type { SecretStore, SettingsStore } from '../ports';
import { createAuthClient, type AuthClient } from './auth';
import type { SyncConfig } from './config';
import type { FetchFn } from './http';
import { adoptServerLearnerId } from './learner-id';
import { createSessionKeeper, type SessionKeeper } from './session';

export const SYNC_EMAIL_SETTING = 'sync.email';

export interface AccountOptions {
  sqlite: Sqlite;
  settings: SettingsStore;
  secrets: SecretStore;
  fetch: FetchFn;
  authTimeoutMs: number;
  now: () => number;
  config: () => SyncConfig | null;
  /** Told when the server ended the session (a refused refresh token). */
  onSessionEnded: (message: string) => void;
}

/** `confirmEmail`: the account was created, but the server wants the address confirmed before it starts a session. */
export type SignInOutcome = { kind: 'signedIn' } | { kind: 'confirmEmail' };

export interface Account {
  session: SessionKeeper;
  signedInEmail(): string | null;
  /**
   * Signs up or in. Before the learner id is rewritten, `beforeAdopt` runs (the caller waits there for a run in
   * flight: it must not push rows under the old learner id while they are rewritten).
   */
  signIn(credentials: { email: string; password: string }, signUp: boolean, beforeAdopt: () => Promise<void>): Promise<SignInOutcome>;
  /** Forgets the session and the email (a changed server, or the learner signing out). */
  signOut(): Promise<void>;
}

export function notConfigured(): AppFailure {
  return new AppFailure('not_configured', 'Sync is not set up: enter the server URL and anon key first.');
}

export function createAccount(options: AccountOptions): Account {
  // One auth client per configuration: a new server gets a new client.
  let authClient: { forConfig: SyncConfig; client: AuthClient } | null = null;
  const auth = (): AuthClient => {
    const config = options.config();
    if (!config) throw notConfigured();
    if (authClient?.forConfig !== config) {
      authClient = {
        forConfig: config,
        client: createAuthClient({
          url: config.url,
          anonKey: config.anonKey,
          fetch: options.fetch,
          timeoutMs: options.authTimeoutMs,
          now: options.now,
        }),
      };
    }
    return authClient.client;
  };
  const session = createSessionKeeper({ secrets: options.secrets, auth, now: options.now, onSessionEnded: options.onSessionEnded });

  return {
    session,
    signedInEmail: () => (session.isSignedIn() ? (options.settings.getValue<string>(SYNC_EMAIL_SETTING) ?? null) : null),
    async signIn(credentials, signUp, beforeAdopt) {
      const parsed = credentialsSchema.parse(credentials);
      const client = auth();
      const fresh = signUp ? await client.signUp(parsed.email, parsed.password) : await client.signIn(parsed.email, parsed.password);
      if (!fresh) return { kind: 'confirmEmail' };
      await beforeAdopt();
      session.adopt(fresh);
      options.settings.setValue(SYNC_EMAIL_SETTING, fresh.email ?? parsed.email);
      adoptServerLearnerId(options.sqlite, fresh.userId, options.now());
      return { kind: 'signedIn' };
    },
    async signOut() {
      await session.forget();
      options.settings.setValue(SYNC_EMAIL_SETTING, null);
    },
  };
}
