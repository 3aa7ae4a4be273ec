/** The recovery feature's state: whether core started in recovery mode, and what the learner chose and got. */
import { create } from 'zustand';
import type { AppError } from '../../../shared/errors';
import { toAppError } from '../../../shared/errors';
import type { Result } from '../../../shared/ipc/api';
import type { RecoveryOutcome, RecoveryStatus } from '../../../shared/ipc/contract';
import { api } from '../api';

type Phase = 'checking' | 'app' | 'recovery' | 'recovered';

type RecoveryState = {
  phase: Phase;
  status: RecoveryStatus | null;
  outcome: RecoveryOutcome | null;
  busy: boolean;
  error: AppError | null;
  /** Asks core once at start; anything but recovery mode (or no answer at all) shows the app as usual. */
  check: () => Promise<void>;
  restoreBackup: (backupPath?: string) => Promise<void>;
  startFresh: () => Promise<void>;
  retry: () => Promise<void>;
  /** After a recovery: on to the app. */
  continueToApp: () => void;
};

async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}

export const useRecovery = create<RecoveryState>((set, get) => {
  // One recovery at a time: its buttons stay enabled while one runs (so they keep the focus), and a second press waits
  // for nothing and does nothing.
  const recover = async (call: () => Promise<Result<RecoveryOutcome>>) => {
    if (get().busy) return;
    set({ busy: true, error: null });
    const result = await settle(call);
    if (result.ok) set({ busy: false, outcome: result.value, phase: 'recovered' });
    else set({ busy: false, error: result.error });
  };
  return {
    phase: 'checking',
    status: null,
    outcome: null,
    busy: false,
    error: null,
    check: async () => {
      const result = await settle(() => api.recoveryStatus({}));
      if (result.ok && result.value.mode === 'recovery') set({ phase: 'recovery', status: result.value });
      else set({ phase: 'app' });
    },
    restoreBackup: (backupPath) => recover(() => api.recoveryRestoreBackup(backupPath === undefined ? {} : { backupPath })),
    startFresh: () => recover(() => api.recoveryStartFresh({})),
    retry: async () => {
      if (get().busy) return;
      set({ busy: true, error: null });
      const result = await settle(() => api.recoveryRetry({}));
      if (!result.ok) set({ busy: false, error: result.error });
      else if (result.value.mode === 'ok') set({ busy: false, phase: 'app', status: result.value });
      else {
        set({
          busy: false,
          status: result.value,
          error: { code: 'database_error', message: `Still not usable: ${result.value.problem?.detail ?? 'unknown problem'}.` },
        });
      }
    },
    continueToApp: () => set({ phase: 'app' }),
  };
});
