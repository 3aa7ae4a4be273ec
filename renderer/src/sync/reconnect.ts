/** The "connectivity regained" trigger's rule: when the browser says the network is back, whether to ask for a sync. */
import type { SyncStatus } from '../../../shared/ipc/contract';

/**
 * True when a server is set up. The ask does not wait for the run (sync:trigger answers at once), and core's
 * scheduler folds any number of triggers into one run, so a flapping network that fires `online` many times costs
 * nothing here.
 */
export function shouldSyncOnReconnect(status: SyncStatus | null): boolean {
  return status !== null && status.configured && status.state !== 'disabled';
}
