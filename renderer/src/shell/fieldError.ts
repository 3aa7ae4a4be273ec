/** How a form takes the learner to its first wrong field, whose message is the field's description. */
import { useShell } from './shellStore';

/**
 * Focuses the field, so its label, "invalid" and message are read together. A field that already has the focus (Enter
 * pressed in it) is not read again when its description changes, so then the message is announced instead: said once
 * either way.
 */
export function focusWrongField(fieldId: string, message: string): void {
  const field = document.getElementById(fieldId);
  if (field && field === document.activeElement) useShell.getState().announce(message);
  else field?.focus();
}
