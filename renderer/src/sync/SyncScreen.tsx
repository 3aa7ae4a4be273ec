/** The Sync screen: the full status, "Sync now", and the changes that could not be uploaded, with retry and discard. */
import { useEffect, useRef, useState } from 'react';
import { Link } from '../shell/Link';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { asSentence } from '../../../shared/sentence';
import { describeSync } from './syncText';
import { useSync } from './syncStore';
import { useFormatTime } from './useFormatTime';

export function SyncScreen() {
  const status = useSync((s) => s.status);
  const busy = useSync((s) => s.busy);
  const syncNow = useSync((s) => s.syncNow);
  const deadLetters = useSync((s) => s.deadLetters);
  const loadDeadLetters = useSync((s) => s.loadDeadLetters);
  const formatTime = useFormatTime();

  useEffect(() => {
    void loadDeadLetters();
  }, [loadDeadLetters]);
  useEffect(() => {
    if (deadLetters) useShell.getState().markScreenReady();
  }, [deadLetters]);

  const description = status ? describeSync(status, formatTime) : null;
  // aria-disabled, not disabled, while a run goes on: a disabled button drops the focus to <body>.
  const running = busy || status?.state === 'syncing';
  return (
    <>
      <ScreenHeading title="Sync">Sync</ScreenHeading>
      <section aria-labelledby="sync-state-heading">
        <h2 id="sync-state-heading">Status</h2>
        {description ? (
          <>
            <p>
              <strong>{asSentence(description.headline)}</strong>
            </p>
            {description.details.length > 0 ? (
              <ul>
                {description.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : null}
            {status?.signedInEmail ? <p>Signed in as {status.signedInEmail}.</p> : null}
          </>
        ) : (
          <p>Checking…</p>
        )}
        {status?.configured ? (
          <button type="button" className="primary" aria-disabled={running || undefined} onClick={() => running || void syncNow()}>
            Sync now
          </button>
        ) : (
          <p>
            Set up a server and account in <Link to={{ name: 'settings' }}>Settings</Link>. Until then, everything stays on this computer.
          </p>
        )}
      </section>
      <DeadLetters />
    </>
  );
}

function DeadLetters() {
  const deadLetters = useSync((s) => s.deadLetters);
  const retryDead = useSync((s) => s.retryDead);
  const discardDead = useSync((s) => s.discardDead);
  const formatTime = useFormatTime();
  const [confirming, setConfirming] = useState<string[] | null>(null);
  // Retry and Discard take their row (or every row) away, and the confirmation goes once answered: the focus, which
  // would fall to the page's body, goes to this section's heading; Cancel gives it back to the button that asked.
  const heading = useRef<HTMLHeadingElement>(null);
  const asker = useRef<HTMLElement | null>(null);
  const acted = useRef(false);
  useEffect(() => {
    if (acted.current && document.activeElement === document.body) heading.current?.focus();
    acted.current = false;
  }, [deadLetters]);
  const retry = (ids: string[]) => {
    acted.current = true;
    void retryDead(ids);
  };
  const askToDiscard = (ids: string[]) => {
    asker.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setConfirming(ids);
  };

  return (
    <section aria-labelledby="dead-heading">
      <h2 id="dead-heading" tabIndex={-1} ref={heading}>
        Changes that could not be uploaded
      </h2>
      {deadLetters === null ? (
        <p>Loading…</p>
      ) : deadLetters.length === 0 ? (
        <p>None: every change was uploaded or is waiting its turn.</p>
      ) : (
        <>
          <table>
            <caption className="visually-hidden">Changes that could not be uploaded</caption>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Reason</th>
                <th scope="col">Tries</th>
                <th scope="col">Given up</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {deadLetters.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    {d.tableName} {d.rowId.slice(0, 8)}
                  </th>
                  <td>{d.lastError ?? 'No reason given'}</td>
                  <td>{d.attemptCount}</td>
                  <td>{formatTime(d.deadUtcMs)}</td>
                  <td>
                    <button type="button" aria-label={`Retry ${d.tableName} ${d.rowId.slice(0, 8)}`} onClick={() => retry([d.id])}>
                      Retry
                    </button>{' '}
                    <button type="button" aria-label={`Discard ${d.tableName} ${d.rowId.slice(0, 8)}`} onClick={() => askToDiscard([d.id])}>
                      Discard
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button type="button" onClick={() => retry(deadLetters.map((d) => d.id))}>
              Retry all
            </button>
            <button type="button" onClick={() => askToDiscard(deadLetters.map((d) => d.id))}>
              Discard all
            </button>
          </div>
        </>
      )}
      {confirming ? (
        <ConfirmDiscard
          count={confirming.length}
          onConfirm={() => {
            void discardDead(confirming);
            setConfirming(null);
            heading.current?.focus();
          }}
          onCancel={() => {
            setConfirming(null);
            asker.current?.focus();
          }}
        />
      ) : null}
    </section>
  );
}

/** Asks before discarding: a discarded change is never uploaded. Focus goes to it so the question is read at once. */
function ConfirmDiscard({ count, onConfirm, onCancel }: { count: number; onConfirm: () => void; onCancel: () => void }) {
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirmButton.current?.focus();
  }, []);
  return (
    <div className="confirm" role="group" aria-labelledby="confirm-text">
      <p id="confirm-text">
        {count === 1
          ? 'Discard this change? It stays on this computer but will never be uploaded.'
          : `Discard ${count} changes? They stay on this computer but will never be uploaded.`}
      </p>
      <button type="button" className="danger" ref={confirmButton} onClick={onConfirm}>
        Yes, discard
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
