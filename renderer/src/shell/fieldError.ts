/** How a form takes the learner to its first wrong field, whose message is the field's description. */
import { useState } from 'react';
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
 * A form's wrong fields: `errors`, a message per field, and `markWrong`, which shows what the form's own check or core's
 * refusal found and takes the learner to the first wrong field of `fields` (`[key, element id]`, in the form's order).
 * `markWrong` answers whether any field was wrong.
 */
export function useFieldErrors<Key extends string>(fields: ReadonlyArray<readonly [Key, string]>) {
  const [errors, setErrors] = useState<Partial<Record<Key, string>>>({});
  const markWrong = (found: Partial<Record<Key, string>>): boolean => {
    setErrors(found);
    const first = fields.find(([key]) => found[key] !== undefined);
    if (first) focusWrongField(first[1], found[first[0]]!);
    return first !== undefined;
  };
  return { errors, markWrong };
}
