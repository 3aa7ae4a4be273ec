/** Handlers of the recovery feature (core's recovery mode, electron/core/recovery-mode.ts, implements them). */
import type { RecoveryOutcome, RecoveryStatus, recoveryContract } from '../../../../shared/ipc/features/recovery';
import type { FeatureHandlers } from '../handlers';

export interface RecoveryService {
  status(): RecoveryStatus;
  restoreBackup(backupPath: string | undefined): Promise<RecoveryOutcome>;
  startFresh(): Promise<RecoveryOutcome>;
  retry(): RecoveryStatus;
}

export function createRecoveryHandlers(service: RecoveryService) {
  return {
    'recovery:status': () => service.status(),
    'recovery:restoreBackup': ({ backupPath }) => service.restoreBackup(backupPath),
    'recovery:startFresh': () => service.startFresh(),
    'recovery:retry': () => service.retry(),
  } satisfies FeatureHandlers<typeof recoveryContract>;
}

export type RecoveryHandlers = ReturnType<typeof createRecoveryHandlers>;
