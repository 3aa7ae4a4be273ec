/** The sync engine: one run = push the outbox, then pull content. Host-agnostic; runs inline or inside the sync worker. */
import { AppFailure } from '../../../shared/errors';
import type { Sqlite } from '../db/open';
import { pullActiveDrillPack } from '../drills/pack-pull';
import { nextDelay } from './backoff';
import type { FetchFn } from './http';
import { createOutboxQueries } from './outbox';
import { createOutboxCompactor, defaultOutboxCap, type OutboxCap } from './outbox-cap';
import { pullContent } from './pull';
import { createWritePriority, type WritePriority } from '../db/write-priority';
import { defaultPushSettings, pushOutbox, type PushSettings, type TokenSource } from './push';

export interface EngineSettings {
  push: PushSettings;
  pullPageSize: number;
  pullTimeoutMs: number;
  /** Delivered outbox rows are kept this long (for support and audit), then deleted a bounded number per run. */
  keepDeliveredMs: number;
  outboxCap: OutboxCap;
}

export const defaultEngineSettings: EngineSettings = {
  push: defaultPushSettings,
  pullPageSize: 5000,
  pullTimeoutMs: 60_000,
  keepDeliveredMs: 7 * 24 * 3600_000,
  outboxCap: defaultOutboxCap,
};
const PRUNE_PER_RUN = 5000;

export interface RunRequest {
  url: string;
  anonKey: string;
  /** Push only for a signed-in learner; content can be pulled anonymously. */
  signedIn: boolean;
  /** "Sync now" and "back online" try at once, ignoring the queue head's backoff. */
  force: boolean;
}

export interface RunReport {
  outcome: 'ok' | 'offline' | 'error' | 'auth';
  message: string | null;
  pushed: number;
  dead: number;
  contentChanged: number;
  /** The pull's longest write transaction in ms: how long a learner's write could wait behind it. */
  longestPullTransactionMs: number;
  contentVersion: number | null;
  serverContentVersion: number | null;
  /** When to try again after a failure or while the queue head backs off. */
  retryAtMs: number | null;
}

/** A report with nothing done yet: runs fill it in. */
export const emptyRunReport = (): RunReport => ({
  outcome: 'ok',
  message: null,
  pushed: 0,
  dead: 0,
  contentChanged: 0,
  longestPullTransactionMs: 0,
  contentVersion: null,
  serverContentVersion: null,
  retryAtMs: null,
});

/** Progress of a run: rows delivered so far by the push, rows received so far by the pull. */
export type RunProgress = { phase: 'push'; delivered: number } | { phase: 'pull'; received: number };

export interface SyncEngine {
  run(request: RunRequest, onProgress: (progress: RunProgress) => void): Promise<RunReport>;
  /** Makes a running run stop at once: the request in flight is aborted, the transaction in flight still commits. */
  requestStop(): void;
}

export interface SyncEngineOptions {
  sqlite: Sqlite;
  fetch: FetchFn;
  tokens: TokenSource;
  now: () => number;
  random: () => number;
  settings?: Partial<EngineSettings>;
  /** Shared with core's learner writes: the pull steps aside for them. Default: a private one (nobody waits). */
  writePriority?: WritePriority;
  /** The SQLite driver's native binding `sqlite` was opened with, for the pull's checkpoint thread (pull.ts). */
  nativeBinding?: string;
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const settings: EngineSettings = { ...defaultEngineSettings, ...options.settings };
  const writePriority = options.writePriority ?? createWritePriority();
  const outbox = createOutboxQueries(options.sqlite);
  const compactor = createOutboxCompactor(options.sqlite, settings.outboxCap);
  const failureStreak = { count: 0 };
  let stopRequested = false;
  const shouldStop = () => stopRequested;
  // Quitting must not wait out a 60 s request: stopping aborts whatever is on the wire. Its rows stay queued or
  // its page unwritten, and the next start picks them up (pushes are idempotent, pages keyed by cursor).
  const stopController = new AbortController();
  const fetchUntilStopped: FetchFn = (input, init) =>
    options.fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, stopController.signal]) : stopController.signal });

  const retryAfterFailure = (retryAfterMs?: number): number => {
    failureStreak.count++;
    return options.now() + nextDelay(failureStreak.count, retryAfterMs, options.random, settings.push.backoff);
  };

  return {
    requestStop() {
      stopRequested = true;
      stopController.abort();
    },
    async run(request, onProgress) {
      const report = emptyRunReport();
      try {
        // Offline for long, the queue grows: every run (the timer's too) keeps it near its cap.
        compactor.compactIfNearLimit();
        if (request.signedIn) {
          const push = await pushOutbox(
            {
              url: request.url,
              anonKey: request.anonKey,
              fetch: fetchUntilStopped,
              tokens: options.tokens,
              outbox,
              now: options.now,
              random: options.random,
              settings: settings.push,
              failureStreak,
              shouldStop,
              onDelivered: (delivered) => onProgress({ phase: 'push', delivered }),
            },
            request.force,
          );
          report.pushed = push.delivered;
          report.dead = push.dead;
          switch (push.stop.kind) {
            case 'stopped':
              return report;
            case 'backoff':
              // Rows wait their turn; pulling now would only hit a server that just asked us to slow down.
              return { ...report, retryAtMs: push.stop.retryAtMs };
            case 'failed':
              return {
                ...report,
                outcome: push.stop.offline ? 'offline' : 'error',
                message: push.stop.message,
                retryAtMs: push.stop.retryAtMs,
              };
            case 'auth':
              return { ...report, outcome: 'auth', message: push.stop.message };
            case 'drained':
              outbox.pruneProcessed(options.now() - settings.keepDeliveredMs, PRUNE_PER_RUN);
              break;
          }
        }

        const pull = await pullContent({
          url: request.url,
          anonKey: request.anonKey,
          fetch: fetchUntilStopped,
          bearer: () => (request.signedIn ? options.tokens.accessToken() : Promise.resolve(request.anonKey)),
          refreshBearer: (rejected) => {
            if (!request.signedIn) throw new AppFailure('auth_failed', 'The server refused anonymous access: sign in to sync.');
            return options.tokens.refreshAfterRejection(rejected);
          },
          sqlite: options.sqlite,
          writePriority,
          now: options.now,
          pageSize: settings.pullPageSize,
          timeoutMs: settings.pullTimeoutMs,
          ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
          onProgress: (received) => onProgress({ phase: 'pull', received }),
          shouldStop,
        });
        report.contentChanged = pull.changed;
        report.longestPullTransactionMs = pull.longestTransactionMs;
        report.contentVersion = pull.contentVersion;
        report.serverContentVersion = pull.serverContentVersion;
        if (pull.stop.kind === 'failed') {
          return {
            ...report,
            outcome: pull.stop.offline ? 'offline' : 'error',
            message: pull.stop.message,
            retryAtMs: retryAfterFailure(pull.stop.retryAfterMs),
          };
        }
        // The active drill pack comes with the content (authenticated users read it).
        if (request.signedIn && !shouldStop()) {
          const packChanged = await pullActiveDrillPack({
            sqlite: options.sqlite,
            url: request.url,
            anonKey: request.anonKey,
            fetch: fetchUntilStopped,
            tokens: options.tokens,
            now: options.now,
            timeoutMs: settings.pullTimeoutMs,
          });
          if (packChanged) report.contentChanged += 1;
        }
        failureStreak.count = 0;
        return report;
      } catch (err) {
        if (err instanceof AppFailure && err.code === 'auth_failed') return { ...report, outcome: 'auth', message: err.message };
        const offline = err instanceof AppFailure && err.code === 'network';
        return {
          ...report,
          outcome: offline ? 'offline' : 'error',
          message: err instanceof Error ? err.message : String(err),
          retryAtMs: retryAfterFailure(),
        };
      }
    },
  };
}
