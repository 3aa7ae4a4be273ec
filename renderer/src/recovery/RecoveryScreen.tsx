/**
 * The recovery screen: what is wrong with the database (which file, why, what next), the ways out (restore the newest
 * good backup, start fresh, or try again once a read-only file is fixed), then what was kept and what was lost.
 */
import { useEffect, useRef } from 'react';
import type { BackupInfo, DatabaseProblem, RecoveryOutcome } from '../../../shared/ipc/contract';
import { useRecovery } from './recoveryStore';
import { recoveryChoices } from './recoveryText';

const headings: Record<DatabaseProblem['cause'], string> = {
  corrupt: 'Your study data file is damaged',
  read_only: 'Your study data file cannot be written',
  unreadable: 'Your study data file cannot be opened',
};

const tableNames: Record<string, string> = {
  sessions: 'Practice session',
  attempts: 'Answer',
  skill_progress: 'Skill progress',
  profile: 'XP and streak',
  memory_states: 'Review schedule',
};

const formatTime = (ms: number) => new Date(ms).toLocaleString();

// The recovery buttons are aria-disabled, not disabled, while one runs: a disabled button drops the focus to the page's
// body, where a failure would leave the learner (the store runs one recovery at a time).
function BackupChoice({ backup, busy, onRestore }: { backup: BackupInfo; busy: boolean; onRestore: () => void }) {
  return (
    <div>
      <button type="button" className="primary" aria-disabled={busy} onClick={onRestore}>
        Restore the backup from {formatTime(backup.createdUtcMs)}
      </button>
      <p className="hint">
        {backup.kind === 'daily' ? 'The daily backup' : 'The backup made before an update'} at <code>{backup.path}</code>. Changes made
        after it that were not synced are listed afterwards.
      </p>
    </div>
  );
}

function Outcome({ outcome }: { outcome: RecoveryOutcome }) {
  const { lostEvents } = outcome;
  return (
    <>
      <p>
        {outcome.restoredFrom ? (
          <>
            Restored the backup <code>{outcome.restoredFrom}</code>.
          </>
        ) : (
          'Started fresh with the built-in content.'
        )}{' '}
        The damaged file was kept at <code>{outcome.damagedCopyPath}</code>.
      </p>
      {outcome.resyncStarted ? <p>You are signed in: your content and synced progress are being downloaded again.</p> : null}
      {!lostEvents.readable ? (
        <p>The damaged file could not be read, so it is not known whether changes made since your last sync were lost.</p>
      ) : lostEvents.events.length === 0 ? (
        <p>No changes waiting to be synced were lost.</p>
      ) : (
        <>
          <p>
            {lostEvents.events.length === 1 ? 'One change' : `${lostEvents.events.length} changes`} made on this device had not been
            synced and could not be recovered:
          </p>
          <ul>
            {lostEvents.events.map((event) => (
              <li key={`${event.table}:${event.rowId}:${event.tsUtcMs}`}>
                {tableNames[event.table] ?? event.table}, {formatTime(event.tsUtcMs)}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function RecoveryScreen() {
  const { phase, status, outcome, busy, error, restoreBackup, startFresh, retry, continueToApp } = useRecovery();
  const heading = useRef<HTMLHeadingElement>(null);

  // Focus follows the screen's state, so a screen reader hears the new heading; tests wait for readiness.
  useEffect(() => {
    heading.current?.focus();
    document.documentElement.dataset.ready = 'true';
  }, [phase]);

  const problem = status?.problem ?? null;
  const newestUsable = status?.backups.find((b) => b.usable);
  const choices = recoveryChoices(problem, newestUsable !== undefined);

  return (
    <main id="main" className="recovery" aria-busy={busy}>
      {phase === 'recovered' && outcome ? (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {outcome.action === 'restore' ? 'Your data was restored' : 'Study Desk started fresh'}
          </h1>
          <Outcome outcome={outcome} />
          <div className="actions">
            <button type="button" className="primary" onClick={continueToApp}>
              Continue to Study Desk
            </button>
          </div>
        </>
      ) : (
        <>
          <h1 ref={heading} tabIndex={-1}>
            {problem ? headings[problem.cause] : 'Study Desk cannot open your data'}
          </h1>
          {problem ? (
            // Plain text, not the big numbers of .facts: these are sentences and a path.
            <dl className="problem-facts">
              <div>
                <dt>File</dt>
                <dd>
                  <code>{problem.file}</code>
                </dd>
              </div>
              <div>
                <dt>Problem</dt>
                <dd>{problem.detail}</dd>
              </div>
              <div>
                <dt>What you can do</dt>
                <dd>{choices.whatYouCanDo}</dd>
              </div>
            </dl>
          ) : null}
          {problem?.cause === 'read_only' ? (
            <div className="actions">
              <button type="button" className="primary" aria-disabled={busy} onClick={() => void retry()}>
                Try again
              </button>
            </div>
          ) : (
            <section aria-labelledby="recovery-choices">
              <h2 id="recovery-choices">{choices.heading}</h2>
              <p>{choices.intro}</p>
              {newestUsable ? <BackupChoice backup={newestUsable} busy={busy} onRestore={() => void restoreBackup(newestUsable.path)} /> : null}
              <div>
                <button type="button" aria-disabled={busy} onClick={() => void startFresh()}>
                  Start fresh with the built-in content
                </button>
                <p className="hint">If you are signed in, your synced progress is downloaded again.</p>
              </div>
            </section>
          )}
        </>
      )}
      <div role="status" className="visually-hidden">
        {busy ? 'Working…' : ''}
      </div>
      <div role="alert">{error ? <p className="error-message">{error.message}</p> : null}</div>
    </main>
  );
}
