/** The assertive region: errors from the main side as readable messages that stay until dismissed. */
import { useShell } from './shellStore';

export function ErrorRegion() {
  const errors = useShell((s) => s.errors);
  const dismiss = useShell((s) => s.dismissError);
  // Always rendered (even empty) so screen readers already watch it when a message arrives.
  return (
    <div role="alert" className="error-region">
      {errors.map((e) => (
        <div key={e.id} className="error-message">
          <p>{e.message}</p>
          <button type="button" onClick={() => dismiss(e.id)} aria-label={`Dismiss: ${e.message}`}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
