/** A banner when the local content is older than the server's, or was just updated by a sync. */
import { useLibrary } from '../library/libraryStore';
import { useSync } from './syncStore';

export function ContentBanner() {
  const outdated = useSync((s) => s.status?.contentOutdated ?? false);
  const update = useSync((s) => s.contentUpdate);
  const dismiss = useSync((s) => s.dismissContentUpdate);
  const syncNow = useSync((s) => s.syncNow);
  const reloadLibrary = useLibrary((s) => s.load);

  // Always rendered, so the polite region exists before its text changes and the change is spoken.
  return (
    <div className="banner-region" role="status">
      {update ? (
        <div className="banner">
          <p>Content was updated: the library now has {update.questionCount} questions.</p>
          <button
            type="button"
            onClick={() => {
              dismiss();
              void reloadLibrary();
            }}
          >
            Show the new content
          </button>
        </div>
      ) : outdated ? (
        <div className="banner">
          <p>Your content is out of date: the server has a newer version.</p>
          <button type="button" onClick={() => void syncNow()}>
            Update now
          </button>
        </div>
      ) : null}
    </div>
  );
}
