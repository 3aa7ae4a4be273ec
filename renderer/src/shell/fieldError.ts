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

/**
 * Takes the learner to the first of a form's fields (`[key, element id]`, in the form's order) that has a message in
 * `found`, whether the form's own check or core's refusal found it; answers whether any had one.
 */
export function focusFirstWrongField<Key extends string>(found: Partial<Record<Key, string>>, fields: ReadonlyArray<readonly [Key, string]>): boolean {
  for (const [key, fieldId] of fields) {
    const message = found[key];
    if (message === undefined) continue;
    focusWrongField(fieldId, message);
    return true;
  }
  return false;
}
