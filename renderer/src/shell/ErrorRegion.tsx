/** The assertive region: errors from the main side as readable messages that stay until dismissed. */
import { useRef } from 'react';
import { useShell } from './shellStore';

export function ErrorRegion() {
  const errors = useShell((s) => s.errors);
  const dismiss = useShell((s) => s.dismissError);
  const region = useRef<HTMLDivElement>(null);
  // The Dismiss button goes away with its message, which would drop the focus to the page's body: it moves to the next
  // message's Dismiss button, or else to the screen's heading, where reading goes on.
  const dismissAndRefocus = (id: number) => {
    const buttons = [...(region.current?.querySelectorAll('button') ?? [])];
    const index = errors.findIndex((e) => e.id === id);
    const next = buttons[index + 1] ?? buttons[index - 1];
    dismiss(id);
    (next ?? document.getElementById('screen-heading') ?? document.getElementById('main'))?.focus();
  };
  // Always rendered (even empty) so screen readers already watch it when a message arrives.
  return (
    <div role="alert" className="error-region" ref={region}>
      {errors.map((e) => (
        <div key={e.id} className="error-message">
          <p>{e.message}</p>
          <button type="button" onClick={() => dismissAndRefocus(e.id)} aria-label={`Dismiss: ${e.message}`}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
