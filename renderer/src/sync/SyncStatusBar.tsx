/** The always-visible sync status: state in plain words, counts, last sync, and "Sync now". State changes are announced politely by the store. */
import { Link } from '../shell/Link';
import { asSentence } from '../../../shared/sentence';
import { describeSync, detailsAsSentences } from './syncText';
import { useSync } from './syncStore';
import { useFormatTime } from './useFormatTime';

export function SyncStatusBar() {
  const status = useSync((s) => s.status);
  const busy = useSync((s) => s.busy);
  const syncNow = useSync((s) => s.syncNow);
  const formatTime = useFormatTime();
  const description = status ? describeSync(status, formatTime) : { headline: 'Checking sync…', details: [] };
  // While a run goes on the button stays, only marked unavailable: removing or disabling it drops the focus to <body>.
  const running = busy || status?.state === 'syncing';

  return (
    <section className="sync-bar" aria-label="Sync status">
      <p className="sync-text">
        <strong>{description.details.length > 0 ? asSentence(description.headline) : description.headline}</strong>
        {description.details.length > 0 ? <span> {detailsAsSentences(description.details)}</span> : null}
      </p>
      <div className="sync-actions">
        {status?.configured ? (
          <button type="button" aria-disabled={running || undefined} onClick={() => running || void syncNow()}>
            Sync now
          </button>
        ) : null}
        <Link to={{ name: 'sync' }}>Sync details</Link>
      </div>
    </section>
  );
}
