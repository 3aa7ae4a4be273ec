/**
 * The sync service behind the sync:* channels. It only wires the parts together: configuration (config.ts), the
 * account (account.ts), when runs happen (scheduler.ts), what a run reports (runner.ts, status.ts) and Realtime.
 */
import type { DeadLetter, SyncServerCheck, SyncStatus } from '../../../shared/ipc/contract';
import { removeServerContent } from '../content/provenance';
import type { Sqlite } from '../db/open';
import type { Clock, SecretStore, SettingsStore } from '../ports';
import { createAccount, notConfigured } from './account';
import { readSyncConfig, saveSyncConfig, type SyncConfig } from './config';
import { defaultEngineSettings, type EngineSettings } from './engine';
import type { FetchFn } from './http';
import { pullLearnerData } from './learner-pull';
import type { LearnerServer } from './learner-request';
import { createOutboxQueries } from './outbox';
import { CONTENT_CURSOR_KEY, CONTENT_VERSION_KEY } from './pull';
import type { TokenSource } from './push';
import { createRealtimeTrigger, type watchContentVersion } from './realtime';
import { createRunner } from './runner';
import { createScheduler, type SyncTrigger } from './scheduler';
import { checkSyncServer } from './server-check';
import { createStatusBoard, type ContentUpdated } from './status';
import { createSyncStateStore } from './sync-state';
import { createWritePriority, type WritePriority } from '../db/write-priority';

export type { SyncTrigger };

export interface SyncServiceOptions {
  /** The worker opens its own connection to this file (skipMigrations: the host migrated it). */
  dbFile: string;
  /** The main connection: cheap reads (counts, dead letters) and the sign-in learner id rewrite. */
  sqlite: Sqlite;
  settings: SettingsStore;
  /** The refresh token lives here, never in settings. */
  secrets: SecretStore;
  clock: Clock;
  /** Used for auth on this thread, and by the engine when it runs inline; a worker uses its own global fetch. */
  fetch?: FetchFn;
  /** Full sync (push then pull) this often; default 60 s. */
  timerIntervalMs?: number;
  /** How often the watchdog looks for due rows while nothing is in flight; default 2 s. */
  watchdogIntervalMs?: number;
  /** Triggers within this window make one run; "Sync now" never waits for it. Default 250 ms. */
  debounceMs?: number;
  /** A learner write is pushed at most this long after it (when online); default 1 s. */
  writeDelayMs?: number;
  /** Default true (the app); tests and benchmarks may run the engine on their own thread. */
  runInWorkerThread?: boolean;
  /** The worker's bundled entry, when a bundler placed it (see process/thread-entry.ts). */
  workerEntry?: string;
  /** The better-sqlite3 addon for this runtime, when not the default (Electron's ABI in development). */
  nativeBinding?: string;
  /** Shared with core's learner writes, so the pull steps aside for them; default: a private one. */
  writePriority?: WritePriority;
  /** Batch sizes, timeouts, backoff and retry budget of the engine. */
  engine?: Partial<EngineSettings>;
  /** Auth requests' timeout; default 15 s. */
  authTimeoutMs?: number;
  /** Jitter source (inline engine only); default Math.random. */
  random?: () => number;
  /** close() resolves within this bound, whatever the run in flight is doing; default 10 s. */
  closeTimeoutMs?: number;
  /** Listen to Supabase Realtime for content changes after a successful sync; default true. */
  realtime?: boolean;
  /** Opens the Realtime watch; tests pass their own. */
  watchContent?: typeof watchContentVersion;
}

/** The configured server and the signed-in learner's session (see SyncService.accountServer). */
export type AccountServer = Pick<LearnerServer, 'url' | 'anonKey'> & { tokens: TokenSource };

export interface SyncService {
  status(): SyncStatus;
  configure(config: { url: string; anonKey: string }): Promise<SyncStatus>;
  /** Whether `config` leads to a Supabase project (one short request); stores nothing. */
  checkServer(config: { url: string; anonKey: string }): Promise<SyncServerCheck>;
  /** Runs a sync now (push then pull) and resolves when that run finished. */
  syncNow(): Promise<SyncStatus>;
  signUp(credentials: { email: string; password: string }): Promise<SyncStatus>;
  signIn(credentials: { email: string; password: string }): Promise<SyncStatus>;
  signOut(): Promise<SyncStatus>;
  deadLetters(): DeadLetter[];
  retryDead(ids: string[]): number;
  discardDead(ids: string[]): number;
  /** Debounced and single-flight: any number of triggers during a run make one more run. */
  trigger(reason: SyncTrigger): void;
  onStatus(listener: (status: SyncStatus) => void): () => void;
  onContentUpdated(listener: (event: ContentUpdated) => void): () => void;
  /** The configured server and the signed-in learner, for reads of their own rows; null when either is missing. */
  learnerServer(): LearnerServer | null;
  /**
   * The configured server and the signed-in learner's session, for calls that need only its access token (the tutor's
   * edge function). Unlike learnerServer, there before the session is first renewed (no user id yet): asking it for a
   * token then says whether the learner is signed out or the server cannot be reached. Null when either is missing.
   */
  accountServer(): AccountServer | null;
  /** Stops triggers and the run in flight; resolves within closeTimeoutMs. */
  close(): Promise<void>;
}

/** Sync state key: the learner's rows are to be pulled again at the next run signed in (set after a recovery). */
export const LEARNER_PULL_REQUESTED_KEY = 'learner_pull_requested';

/**
 * The database file was replaced (a backup restored, or a fresh start): what the learner synced since is on the server
 * only, and the pull cursors cannot tell, so the next run signed in pulls all of the learner's rows again.
 */
export function requestLearnerPull(sqlite: Sqlite, nowMs: number): void {
  createSyncStateStore(sqlite).set(LEARNER_PULL_REQUESTED_KEY, String(nowMs), nowMs);
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = () => options.clock.now();
  const debounceMs = options.debounceMs ?? 250;
  const outbox = createOutboxQueries(options.sqlite);
  const syncState = createSyncStateStore(options.sqlite);
  let config: SyncConfig | null = readSyncConfig(options.settings);

  const account = createAccount({
    sqlite: options.sqlite,
    settings: options.settings,
    secrets: options.secrets,
    fetch: fetchFn,
    authTimeoutMs: options.authTimeoutMs ?? 15_000,
    now,
    config: () => config,
    onSessionEnded: (message) => board.set({ lastError: message }),
  });
  const board = createStatusBoard({
    sqlite: options.sqlite,
    configured: () => config !== null,
    signedInEmail: account.signedInEmail,
    outboxCap: { ...defaultEngineSettings.outboxCap, ...options.engine?.outboxCap },
  });
  const realtime = createRealtimeTrigger({
    enabled: options.realtime !== false,
    fetch: fetchFn,
    now,
    onChange: () => scheduler.trigger('realtime'),
    ...(options.watchContent ? { watch: options.watchContent } : {}),
  });
  const runner = createRunner({
    dbFile: options.dbFile,
    nativeBinding: options.nativeBinding,
    tokens: account.session,
    signedIn: account.session.isSignedIn,
    settings: options.engine ?? {},
    writePriority: options.writePriority ?? createWritePriority(),
    board,
    now,
    placement:
      options.runInWorkerThread === false
        ? { kind: 'inline', fetch: fetchFn, random: options.random ?? Math.random }
        : { kind: 'worker', ...(options.workerEntry ? { workerEntry: options.workerEntry } : {}) },
    onSuccess: (server) => realtime.ensure(server),
  });
  /** Pulls and merges the learner's own rows; true when it worked (a failure is the status's lastError). */
  const pullLearnerRows = (server: SyncConfig): Promise<boolean> =>
    pullLearnerData({ sqlite: options.sqlite, ...server, fetch: fetchFn, tokens: account.session, now }).then(
      () => true,
      (err: unknown) => {
        board.set({ lastError: err instanceof Error ? err.message : String(err) });
        return false;
      },
    );
  /** After the database file was replaced (requestLearnerPull), the first run signed in pulls the learner's rows again. */
  const pullLearnerRowsIfRequested = async (server: SyncConfig): Promise<void> => {
    if (!account.session.isSignedIn() || syncState.get(LEARNER_PULL_REQUESTED_KEY) === null) return;
    if (await pullLearnerRows(server)) syncState.delete(LEARNER_PULL_REQUESTED_KEY);
  };

  const scheduler = createScheduler({
    run: async ({ force }) => {
      if (!config) return { retryAtMs: null };
      try {
        const report = await runner.run(config, force);
        await pullLearnerRowsIfRequested(config);
        return report;
      } catch (err) {
        // A failing status listener or database read must not leave the scheduler stuck or reject unobserved.
        board.set({ state: 'error', lastError: err instanceof Error ? err.message : String(err) });
        return { retryAtMs: null };
      }
    },
    enabled: () => config !== null,
    offline: () => board.status().state === 'offline',
    headDueAtMs: () => outbox.headDueAtMs(),
    signedIn: account.session.isSignedIn,
    now,
    debounceMs,
    writeDelayMs: options.writeDelayMs ?? 1_000,
    timerIntervalMs: options.timerIntervalMs ?? 60_000,
    watchdogIntervalMs: options.watchdogIntervalMs ?? 2_000,
  });

  const syncNow = async (): Promise<SyncStatus> => {
    if (!config) throw notConfigured();
    await scheduler.runNow();
    return board.status();
  };

  const signIn = async (credentials: { email: string; password: string }, signUp: boolean): Promise<SyncStatus> => {
    const outcome = await account.signIn(credentials, signUp, () => scheduler.idle());
    // A notice for the account form (the learner is not signed in), not a sync error: the status stays as it was.
    if (outcome.kind === 'confirmEmail') return board.status();
    board.set({ lastError: null });
    scheduler.startTimers();
    await syncNow();
    // The learner's own rows from their other devices come back down, merged by each table's policy.
    if (config) await pullLearnerRows(config);
    return board.status();
  };

  const accountServer = (): AccountServer | null =>
    config && account.session.isSignedIn() ? { url: config.url, anonKey: config.anonKey, tokens: account.session } : null;

  if (config) scheduler.startTimers();

  return {
    status: board.status,
    async configure(input) {
      const previous = config;
      const next = saveSyncConfig(options.settings, input);
      await scheduler.idle();
      if (previous !== null && previous.url !== next.url) {
        // The session, cursors, Realtime and content of the old server go; the learner's own rows stay.
        await realtime.forgetServer();
        await account.signOut();
        syncState.delete(CONTENT_CURSOR_KEY);
        syncState.delete(CONTENT_VERSION_KEY);
        board.set({ serverContentVersion: null });
        await removeServerContent(options.sqlite);
      }
      config = next;
      board.set({ state: 'idle', lastError: null });
      scheduler.startTimers();
      return syncNow();
    },
    checkServer: (input) => checkSyncServer(fetchFn, input),
    syncNow,
    signUp: (credentials) => signIn(credentials, true),
    signIn: (credentials) => signIn(credentials, false),
    async signOut() {
      await scheduler.idle();
      await account.signOut();
      board.set({ state: 'idle', lastError: null });
      board.emit();
      return board.status();
    },
    deadLetters: () => outbox.deadLetters(),
    retryDead(ids) {
      const changed = outbox.retryDead(ids);
      board.emit();
      scheduler.trigger('manual');
      return changed;
    },
    discardDead(ids) {
      const changed = outbox.discardDead(ids, now());
      board.emit();
      return changed;
    },
    trigger: (reason) => scheduler.trigger(reason),
    accountServer,
    learnerServer() {
      const server = accountServer();
      const userId = account.session.userId();
      return server && userId !== null ? { ...server, fetch: fetchFn, now, userId } : null;
    },
    onStatus: board.onStatus,
    onContentUpdated: board.onContentUpdated,
    async close() {
      const deadline = performance.now() + (options.closeTimeoutMs ?? 10_000);
      scheduler.stop();
      await realtime.close();
      // The engine stops its run (aborting the request in flight); the bound covers the whole of close().
      await runner.close(Math.max(0, deadline - performance.now()));
    },
  };
}
