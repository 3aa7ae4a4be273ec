/** Handlers of the sync feature. */
import type { syncContract } from '../../../../shared/ipc/features/sync';
import type { SyncService } from '../../sync/service';
import type { FeatureHandlers } from '../handlers';

type SyncActions = Pick<
  SyncService,
  'status' | 'configure' | 'checkServer' | 'syncNow' | 'trigger' | 'signUp' | 'signIn' | 'signOut' | 'deadLetters' | 'retryDead' | 'discardDead'
>;

export function createSyncHandlers(sync: SyncActions) {
  /** Runs a dead-letter action and answers how many rows left the dead letters, with the status after it. */
  const changeDead = (action: () => void) => {
    const before = sync.status().deadCount;
    action();
    const status = sync.status();
    return { changed: Math.max(0, before - status.deadCount), status };
  };
  return {
    'sync:status': () => sync.status(),
    'sync:configure': (config) => sync.configure(config),
    'sync:checkServer': (config) => sync.checkServer(config),
    'sync:now': () => sync.syncNow(),
    'sync:trigger': ({ reason }) => {
      sync.trigger(reason);
      return sync.status();
    },
    'sync:signUp': (credentials) => sync.signUp(credentials),
    'sync:signIn': (credentials) => sync.signIn(credentials),
    'sync:signOut': () => sync.signOut(),
    'sync:deadLetters': () => sync.deadLetters(),
    'sync:retryDead': ({ ids }) => changeDead(() => sync.retryDead(ids)),
    'sync:discardDead': ({ ids }) => changeDead(() => sync.discardDead(ids)),
  } satisfies FeatureHandlers<typeof syncContract>;
}
