/** The always-visible sync status: state in plain words, counts, last sync, and "Sync now". State changes are announced politely by the store. */
import { Link } from '../shell/Link';
import { asSentence, describeSync } from './syncText';
import { useSync } from './syncStore';
import { useFormatTime } from './useFormatTime';

export function SyncStatusBar() {
  const status = useSync((s) => s.status);
  const busy = useSync((s) => s.busy);
  const syncNow = useSync((s) => s.syncNow);
  const formatTime = useFormatTime();
  const description = status ? describeSync(status, formatTime) : { headline: 'Checking sync…', details: [] };
  const canSync = status !== null && status.configured && status.state !== 'syncing';

  return (
    <section className="sync-bar" aria-label="Sync status">
      <p className="sync-text">
        <strong>{description.details.length > 0 ? asSentence(description.headline) : description.headline}</strong>
        {description.details.length > 0 ? <span> {description.details.join('. ')}.</span> : null}
      </p>
      <div className="sync-actions">
        {canSync ? (
          <button type="button" disabled={busy} onClick={() => void syncNow()}>
            Sync now
          </button>
        ) : null}
        <Link to={{ name: 'sync' }}>Sync details</Link>
      </div>
    </section>
  );
}
