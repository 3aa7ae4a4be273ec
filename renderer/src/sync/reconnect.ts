/** The "connectivity regained" trigger's rule: when the browser says the network is back, whether to ask for a sync. */
import type { SyncStatus } from '../../../shared/ipc/contract';

/**
 * True when a server is set up and no sync asked for by an earlier `online` event is still running: a flapping
 * network fires `online` many times, and each event asks at most once.
 */
export function shouldSyncOnReconnect(status: SyncStatus | null, reconnectSyncRunning: boolean): boolean {
  return status !== null && status.configured && status.state !== 'disabled' && !reconnectSyncRunning;
}
