/** Shows the recovery screen instead of the app when core started in recovery mode (a damaged or read-only database). */
import { useEffect, type ReactNode } from 'react';
import { RecoveryScreen } from './RecoveryScreen';
import { useRecovery } from './recoveryStore';

export function RecoveryGate({ children }: { children: ReactNode }) {
  const phase = useRecovery((s) => s.phase);
  useEffect(() => {
    void useRecovery.getState().check();
  }, []);
  if (phase === 'checking') {
    return (
      <p role="status" className="hint">
        Opening your data…
      </p>
    );
  }
  return phase === 'app' ? children : <RecoveryScreen />;
}
