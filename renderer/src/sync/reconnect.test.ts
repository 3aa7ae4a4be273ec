import { describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/ipc/contract';
import { shouldSyncOnReconnect } from './reconnect';

const offline: SyncStatus = {
  state: 'offline',
  configured: true,
  signedInEmail: 'learner@example.com',
  pendingCount: 3,
  deadCount: 0,
  deviceOnlyCount: 0,
  lastSyncUtcMs: null,
  lastError: 'fetch failed',
  download: null,
  contentVersion: null,
  serverContentVersion: null,
  contentOutdated: false,
  outboxLimit: 50_000,
  outboxNearLimit: false,
};

describe('shouldSyncOnReconnect', () => {
  it('asks for a sync when a server is set up, whatever the last state was', () => {
    for (const state of ['offline', 'error', 'idle', 'syncing'] as const) {
      expect(shouldSyncOnReconnect({ ...offline, state })).toBe(true);
    }
  });

  it('does not ask when sync is not set up or the status is not known yet', () => {
    expect(shouldSyncOnReconnect({ ...offline, configured: false, state: 'disabled' })).toBe(false);
    expect(shouldSyncOnReconnect(null)).toBe(false);
  });
});
