/** What the UI is told about sync: the live status (state, counts, errors, download) and the content-updated notice. */
import type { SyncStatus } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import { createOutboxQueries } from './outbox';
import { isNearLimit, type OutboxCap } from './outbox-cap';
import { CONTENT_VERSION_KEY } from './pull';
import { createSyncStateStore } from './sync-state';

const LAST_SYNC_KEY = 'last_sync_utc_ms';

export interface ContentUpdated {
  questionCount: number;
  contentVersion: number | null;
}

export interface StatusBoard {
  status(): SyncStatus;
  /** The live part of the status; counts and versions are read from the database on every status(). */
  set(patch: Partial<Pick<SyncStatus, 'state' | 'lastError' | 'download' | 'serverContentVersion'>>): void;
  markSynced(nowMs: number): void;
  emit(): void;
  announceContent(): void;
  onStatus(listener: (status: SyncStatus) => void): () => void;
  onContentUpdated(listener: (event: ContentUpdated) => void): () => void;
}

export function createStatusBoard(options: {
  sqlite: Sqlite;
  configured: () => boolean;
  signedInEmail: () => string | null;
  outboxCap: OutboxCap;
}): StatusBoard {
  const outbox = createOutboxQueries(options.sqlite);
  const syncState = createSyncStateStore(options.sqlite);
  const questionCount = options.sqlite.prepare('SELECT count(*) FROM questions').pluck();
  let live: Pick<SyncStatus, 'state' | 'lastError' | 'download' | 'serverContentVersion'> = {
    state: 'idle',
    lastError: null,
    download: null,
    serverContentVersion: null,
  };
  const statusListeners = new Set<(s: SyncStatus) => void>();
  const contentListeners = new Set<(e: ContentUpdated) => void>();

  const status = (): SyncStatus => {
    const contentVersion = syncState.getNumber(CONTENT_VERSION_KEY);
    const configured = options.configured();
    const pendingCount = outbox.pendingCount();
    return {
      state: configured ? live.state : 'disabled',
      configured,
      signedInEmail: options.signedInEmail(),
      pendingCount,
      deadCount: outbox.deadCount(),
      deviceOnlyCount: outbox.deviceOnlyCount(),
      lastSyncUtcMs: syncState.getNumber(LAST_SYNC_KEY),
      lastError: live.lastError,
      download: live.download,
      contentVersion,
      serverContentVersion: live.serverContentVersion,
      contentOutdated: live.serverContentVersion !== null && contentVersion !== live.serverContentVersion,
      outboxLimit: options.outboxCap.limit,
      outboxNearLimit: isNearLimit(pendingCount, options.outboxCap),
    };
  };

  return {
    status,
    set(patch) {
      live = { ...live, ...patch };
    },
    markSynced(nowMs) {
      syncState.set(LAST_SYNC_KEY, String(nowMs), nowMs);
    },
    emit() {
      const current = status();
      for (const listener of statusListeners) listener(current);
    },
    announceContent() {
      const event = { questionCount: questionCount.get() as number, contentVersion: syncState.getNumber(CONTENT_VERSION_KEY) };
      for (const listener of contentListeners) listener(event);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    onContentUpdated(listener) {
      contentListeners.add(listener);
      return () => contentListeners.delete(listener);
    },
  };
}
