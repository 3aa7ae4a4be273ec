/** The sync service behind the sync:* channels: configuration, sign-in, status, triggers and scheduling of engine runs. */
import { AppFailure } from '../../../shared/errors';
import { credentialsSchema, syncConfigSchema, type DeadLetter, type SyncStatus } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import type { Clock, SecretStore, SettingsStore } from '../ports';
import { createAuthClient, type AuthClient } from './auth';
import type { EngineSettings, RunReport, RunRequest } from './engine';
import { createInlineEngineHost, createWorkerEngineHost, type EngineHost } from './engine-host';
import type { FetchFn } from './http';
import { adoptServerLearnerId } from './learner-id';
import { createOutboxQueries } from './outbox';
import { CONTENT_CURSOR_KEY, CONTENT_VERSION_KEY } from './pull';
import { watchContentVersion, type ContentWatch } from './realtime';
import { createSessionKeeper } from './session';

export const SYNC_URL_SETTING = 'sync.url';
export const SYNC_ANON_KEY_SETTING = 'sync.anonKey';
export const SYNC_EMAIL_SETTING = 'sync.email';
const LAST_SYNC_KEY = 'last_sync_utc_ms';
/** After a server showed it has no Realtime, ask again this much later (timers cover the gap). */
const REALTIME_RETRY_MS = 10 * 60_000;

export type SyncTrigger = 'start' | 'focus' | 'timer' | 'online' | 'realtime' | 'manual';

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
  /** Default true (the app); tests and benchmarks may run the engine on their own thread. */
  runInWorkerThread?: boolean;
  /** The worker's bundled entry, when a bundler placed it (see resolveWorkerEntry). */
  workerEntry?: string;
  /** The better-sqlite3 addon for this runtime, when not the default (Electron's ABI in development). */
  nativeBinding?: string;
  /** Batch sizes, timeouts, backoff and retry budget of the engine. */
  engine?: Partial<EngineSettings>;
  /** Auth requests' timeout; default 15 s. */
  authTimeoutMs?: number;
  /** Jitter source (inline engine only); default Math.random. */
  random?: () => number;
  /** How long close() waits for the batch in flight; default 10 s. */
  closeTimeoutMs?: number;
  /** Listen to Supabase Realtime for content changes after a successful sync; default true. */
  realtime?: boolean;
}

export interface SyncService {
  status(): SyncStatus;
  configure(config: { url: string; anonKey: string }): Promise<SyncStatus>;
  /** Runs a sync now (push then pull) and resolves when that run finished. */
  syncNow(): Promise<SyncStatus>;
  signUp(credentials: { email: string; password: string }): Promise<SyncStatus>;
  signIn(credentials: { email: string; password: string }): Promise<SyncStatus>;
  signOut(): Promise<SyncStatus>;
  deadLetters(): DeadLetter[];
  retryDead(ids: string[]): void;
  discardDead(ids: string[]): void;
  /** Debounced and single-flight: any number of triggers during a run make one more run. */
  trigger(reason: SyncTrigger): void;
  onStatus(listener: (status: SyncStatus) => void): () => void;
  onContentUpdated(listener: (event: { questionCount: number; contentVersion: number | null }) => void): () => void;
  /** Stops triggers and waits (bounded) for the batch in flight. */
  close(): Promise<void>;
}

interface SyncConfig {
  url: string;
  anonKey: string;
}

export function createSyncService(options: SyncServiceOptions): SyncService {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const now = () => options.clock.now();
  const timerIntervalMs = options.timerIntervalMs ?? 60_000;
  const watchdogIntervalMs = options.watchdogIntervalMs ?? 2_000;
  const debounceMs = options.debounceMs ?? 250;
  const outbox = createOutboxQueries(options.sqlite);
  const getState = options.sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').pluck();
  const setState = options.sqlite.prepare(
    `INSERT INTO sync_state (key, value, updated_utc_ms) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_utc_ms = excluded.updated_utc_ms`,
  );
  const deleteState = options.sqlite.prepare('DELETE FROM sync_state WHERE key = ?');
  const questionCount = options.sqlite.prepare('SELECT count(*) FROM questions').pluck();

  const readConfig = (): SyncConfig | null => {
    const url = options.settings.getValue<string>(SYNC_URL_SETTING);
    const anonKey = options.settings.getValue<string>(SYNC_ANON_KEY_SETTING);
    return url && anonKey ? { url, anonKey } : null;
  };
  let config = readConfig();
  let authClient: { forConfig: SyncConfig; client: AuthClient } | null = null;
  const auth = (): AuthClient => {
    if (!config) throw new AppFailure('not_configured', 'Sync is not set up: enter the server URL and anon key first.');
    if (authClient?.forConfig !== config) {
      authClient = {
        forConfig: config,
        client: createAuthClient({
          url: config.url,
          anonKey: config.anonKey,
          fetch: fetchFn,
          timeoutMs: options.authTimeoutMs ?? 15_000,
          now,
        }),
      };
    }
    return authClient.client;
  };

  // Live state shown in the status beside the counts read from the database.
  let state: SyncStatus['state'] = 'idle';
  let lastError: string | null = null;
  let download: SyncStatus['download'] = null;
  let serverContentVersion: number | null = null;

  const session = createSessionKeeper({
    secrets: options.secrets,
    auth,
    now,
    onSessionEnded: (message) => {
      lastError = message;
    },
  });

  const statusListeners = new Set<(s: SyncStatus) => void>();
  const contentListeners = new Set<(e: { questionCount: number; contentVersion: number | null }) => void>();

  const readNumberState = (key: string): number | null => {
    const raw = getState.get(key) as string | undefined;
    return raw === undefined ? null : Number(raw);
  };

  const status = (): SyncStatus => {
    const contentVersion = readNumberState(CONTENT_VERSION_KEY);
    return {
      state: config ? state : 'disabled',
      configured: config !== null,
      signedInEmail: session.isSignedIn() ? (options.settings.getValue<string>(SYNC_EMAIL_SETTING) ?? null) : null,
      pendingCount: outbox.pendingCount(),
      deadCount: outbox.deadCount(),
      lastSyncUtcMs: readNumberState(LAST_SYNC_KEY),
      lastError,
      download,
      contentVersion,
      serverContentVersion,
      contentOutdated: serverContentVersion !== null && contentVersion !== serverContentVersion,
    };
  };
  const emitStatus = () => {
    const current = status();
    for (const listener of statusListeners) listener(current);
  };

  // The engine runs off this thread in the app; it is created on the first run and re-created if its worker dies.
  let host: EngineHost | null = null;
  const engineHost = (): EngineHost => {
    host ??=
      options.runInWorkerThread === false
        ? createInlineEngineHost({
            dbFile: options.dbFile,
            nativeBinding: options.nativeBinding,
            tokens: session,
            settings: options.engine ?? {},
            fetch: fetchFn,
            now,
            random: options.random ?? Math.random,
          })
        : createWorkerEngineHost({
            dbFile: options.dbFile,
            nativeBinding: options.nativeBinding,
            tokens: session,
            settings: options.engine ?? {},
            ...(options.workerEntry ? { workerEntry: options.workerEntry } : {}),
          });
    return host;
  };

  // --- Scheduling: debounced, single-flight runs.
  let closed = false;
  let inFlight: Promise<void> | null = null;
  let queued: { force: boolean } | null = null;
  let debounceTimer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let intervalTimer: NodeJS.Timeout | null = null;
  let watchdogTimer: NodeJS.Timeout | null = null;
  /** Callers of syncNow waiting for the next run to start and finish. */
  let waiters: Array<() => void> = [];

  const requestRun = (force: boolean, delayMs: number) => {
    if (closed || !config) return;
    queued = { force: (queued?.force ?? false) || force };
    if (inFlight) return;
    if (debounceTimer) {
      if (delayMs > 0) return;
      clearTimeout(debounceTimer);
    }
    // Not unref'd: whoever awaits syncNow() is waiting on this timer.
    debounceTimer = setTimeout(startRun, delayMs);
  };

  const startRun = () => {
    debounceTimer = null;
    const request = queued;
    queued = null;
    const runWaiters = waiters;
    waiters = [];
    if (!request || closed || !config) {
      for (const resolve of runWaiters) resolve();
      return;
    }
    inFlight = runOnce(config, request.force)
      .catch((err: unknown) => {
        // A failing status listener or database read must not leave the scheduler stuck or reject unobserved.
        state = 'error';
        lastError = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        inFlight = null;
        for (const resolve of runWaiters) resolve();
        if (queued) requestRun(queued.force, 0);
      });
  };

  const runOnce = async (current: SyncConfig, force: boolean): Promise<void> => {
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    state = 'syncing';
    emitStatus();
    const request: RunRequest = { url: current.url, anonKey: current.anonKey, signedIn: session.isSignedIn(), force };
    let report: RunReport;
    try {
      report = await engineHost().run(request, (progress) => {
        if (progress.phase === 'pull') download = { done: progress.received, total: null };
        emitStatus();
      });
    } catch (err) {
      // The worker died: start a fresh one next time; what it had not marked as delivered is still queued.
      const dead = host;
      host = null;
      void dead?.close().catch(() => undefined);
      report = {
        outcome: 'error',
        message: err instanceof Error ? err.message : String(err),
        pushed: 0,
        dead: 0,
        contentChanged: 0,
        contentVersion: null,
        serverContentVersion: null,
        retryAtMs: now() + 5_000,
      };
    }
    download = null;
    if (report.serverContentVersion !== null) serverContentVersion = report.serverContentVersion;
    switch (report.outcome) {
      case 'ok':
        state = 'idle';
        lastError = null;
        setState.run(LAST_SYNC_KEY, String(now()), now());
        ensureRealtime(current);
        break;
      case 'offline':
        state = 'offline';
        lastError = report.message;
        break;
      case 'auth':
        state = 'error';
        lastError = report.message;
        break;
      case 'error':
        state = 'error';
        lastError = report.message;
        break;
    }
    if (report.retryAtMs !== null && !closed) {
      retryTimer = setTimeout(() => requestRun(false, 0), Math.max(0, report.retryAtMs - now()));
      retryTimer.unref();
    }
    if (report.contentChanged > 0) {
      const event = { questionCount: questionCount.get() as number, contentVersion: readNumberState(CONTENT_VERSION_KEY) };
      for (const listener of contentListeners) listener(event);
    }
    emitStatus();
  };

  // Realtime: started after a successful run, so a server that is down is not also asked for a websocket.
  let realtimeWatch: ContentWatch | null = null;
  let realtimeRetryAtMs = 0;
  const ensureRealtime = (current: SyncConfig) => {
    if (options.realtime === false || realtimeWatch || closed || now() < realtimeRetryAtMs) return;
    const watch = watchContentVersion({
      url: current.url,
      anonKey: current.anonKey,
      fetch: fetchFn,
      onChange: () => requestRun(false, debounceMs),
      onUnavailable: () => {
        if (realtimeWatch === watch) realtimeWatch = null;
        realtimeRetryAtMs = now() + REALTIME_RETRY_MS;
      },
    });
    realtimeWatch = watch;
  };
  const stopRealtime = async () => {
    const watch = realtimeWatch;
    realtimeWatch = null;
    await watch?.stop();
  };

  const startTimers = () => {
    if (intervalTimer || closed) return;
    intervalTimer = setInterval(() => requestRun(false, debounceMs), timerIntervalMs);
    intervalTimer.unref();
    // The watchdog: rows due and nothing in flight means something dropped a trigger; run anyway.
    watchdogTimer = setInterval(() => {
      if (inFlight || debounceTimer || !session.isSignedIn()) return;
      const dueAt = outbox.headDueAtMs();
      if (dueAt !== null && dueAt <= now()) requestRun(false, 0);
    }, watchdogIntervalMs);
    watchdogTimer.unref();
  };
  const stopTimers = () => {
    for (const timer of [intervalTimer, watchdogTimer]) if (timer) clearInterval(timer);
    for (const timer of [retryTimer, debounceTimer]) if (timer) clearTimeout(timer);
    intervalTimer = watchdogTimer = retryTimer = debounceTimer = null;
  };

  const syncNow = async (): Promise<SyncStatus> => {
    if (!config) throw new AppFailure('not_configured', 'Sync is not set up: enter the server URL and anon key first.');
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      requestRun(true, 0);
    });
    return status();
  };

  const adoptSession = async (credentials: { email: string; password: string }, signUp: boolean): Promise<SyncStatus> => {
    const parsed = credentialsSchema.parse(credentials);
    const client = auth();
    const fresh = signUp ? await client.signUp(parsed.email, parsed.password) : await client.signIn(parsed.email, parsed.password);
    if (!fresh) {
      lastError = `Account created for ${parsed.email}: confirm the address from the email the server sent, then sign in.`;
      emitStatus();
      return status();
    }
    // Wait for a run in flight: it must not push rows under the old learner id while they are rewritten.
    await inFlight;
    session.adopt(fresh);
    options.settings.setValue(SYNC_EMAIL_SETTING, fresh.email ?? parsed.email);
    adoptServerLearnerId(options.sqlite, fresh.userId, now());
    lastError = null;
    startTimers();
    return syncNow();
  };

  if (config) startTimers();

  return {
    status,
    async configure(input) {
      const parsed = syncConfigSchema.parse(input);
      const previous = config;
      const url = parsed.url.replace(/\/+$/, '');
      const serverChanged = previous !== null && previous.url !== url;
      await inFlight;
      if (serverChanged) {
        // Tokens, content cursors and the Realtime connection belong to the old server.
        await stopRealtime();
        realtimeRetryAtMs = 0;
        await session.forget();
        options.settings.setValue(SYNC_EMAIL_SETTING, null);
        deleteState.run(CONTENT_CURSOR_KEY);
        deleteState.run(CONTENT_VERSION_KEY);
        serverContentVersion = null;
      }
      options.settings.setValue(SYNC_URL_SETTING, url);
      options.settings.setValue(SYNC_ANON_KEY_SETTING, parsed.anonKey);
      config = { url, anonKey: parsed.anonKey };
      state = 'idle';
      lastError = null;
      startTimers();
      return syncNow();
    },
    syncNow,
    signUp: (credentials) => adoptSession(credentials, true),
    signIn: (credentials) => adoptSession(credentials, false),
    async signOut() {
      await inFlight;
      await session.forget();
      options.settings.setValue(SYNC_EMAIL_SETTING, null);
      lastError = null;
      state = 'idle';
      emitStatus();
      return status();
    },
    deadLetters: () => outbox.deadLetters(),
    retryDead(ids) {
      outbox.retryDead(ids);
      emitStatus();
      requestRun(true, debounceMs);
    },
    discardDead(ids) {
      outbox.discardDead(ids, now());
      emitStatus();
    },
    trigger(reason) {
      // Coming back online or a click deserves an attempt now, even while the queue head backs off.
      const force = reason === 'manual' || reason === 'online';
      requestRun(force, reason === 'manual' ? 0 : debounceMs);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    onContentUpdated(listener) {
      contentListeners.add(listener);
      return () => contentListeners.delete(listener);
    },
    async close() {
      closed = true;
      stopTimers();
      await stopRealtime();
      for (const resolve of waiters) resolve();
      waiters = [];
      const timeoutMs = options.closeTimeoutMs ?? 10_000;
      const running = host;
      await Promise.race([inFlight, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
      await running?.close();
      host = null;
    },
  };
}
