/**
 * One recovery at a time, with a fake api: the recovery screen's buttons stay enabled while one runs (so they keep the
 * focus), so a second press, on the same button or the other, must start nothing while core restores or starts fresh.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecoveryOutcome } from '../../../shared/ipc/contract';

const fake = vi.hoisted(() => ({ recoveryRestoreBackup: vi.fn(), recoveryStartFresh: vi.fn(), recoveryRetry: vi.fn() }));
vi.mock('../api', () => ({ api: fake }));

const { useRecovery } = await import('./recoveryStore');

const outcome = { mode: 'restored' } as unknown as RecoveryOutcome;

beforeEach(() => {
  vi.clearAllMocks();
  useRecovery.setState({ phase: 'recovery', busy: false, error: null, outcome: null });
});

describe('the recovery store', () => {
  it('starts nothing else while a restore runs, then shows its outcome', async () => {
    let answer: (value: unknown) => void = () => {};
    fake.recoveryRestoreBackup.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const restoring = useRecovery.getState().restoreBackup('/backups/daily.sqlite');
    expect(useRecovery.getState().busy).toBe(true);

    await useRecovery.getState().restoreBackup('/backups/daily.sqlite');
    await useRecovery.getState().startFresh();
    await useRecovery.getState().retry();
    expect(fake.recoveryRestoreBackup).toHaveBeenCalledTimes(1);
    expect(fake.recoveryStartFresh).not.toHaveBeenCalled();
    expect(fake.recoveryRetry).not.toHaveBeenCalled();

    answer({ ok: true, value: outcome });
    await restoring;
    expect(useRecovery.getState()).toMatchObject({ busy: false, phase: 'recovered', outcome });
  });

  it('after a failure, the next press runs', async () => {
    fake.recoveryStartFresh.mockResolvedValueOnce({ ok: false, error: { code: 'database_error', message: 'The disk is full.' } });
    await useRecovery.getState().startFresh();
    expect(useRecovery.getState()).toMatchObject({ busy: false, error: { message: 'The disk is full.' } });
    fake.recoveryStartFresh.mockResolvedValueOnce({ ok: true, value: outcome });
    await useRecovery.getState().startFresh();
    expect(fake.recoveryStartFresh).toHaveBeenCalledTimes(2);
    expect(useRecovery.getState().phase).toBe('recovered');
  });
});
