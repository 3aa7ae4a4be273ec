/**
 * The submission in flight, wherever it was started (Submit on the runner, Try again on a result): its status in words,
 * and Stop while the answer is evaluated.
 */
import { statusText, useDrills } from './drillsStore';

export function SubmissionStatus() {
  const submitting = useDrills((s) => s.submitting);
  const stopSubmission = useDrills((s) => s.stopSubmission);
  return (
    <>
      {submitting && submitting !== 'STARTED' ? <p className="drill-status">{statusText(submitting)}</p> : null}
      {submitting === 'PROCESSING' && stopSubmission ? (
        <div className="actions">
          <button type="button" onClick={stopSubmission}>
            Stop evaluating
          </button>
        </div>
      ) : null}
    </>
  );
}
