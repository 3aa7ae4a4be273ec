/**
 * The message under a form field: its error while it has one, else its hint (when it has one). The field is described
 * by whichever shows (`fieldMessageProps`), so a screen reader reads the error with the field, and the hint otherwise.
 */
import type { ReactNode } from 'react';

export function FieldMessage({ fieldId, error, children }: { fieldId: string; error: string | undefined; children?: ReactNode }) {
  if (error) {
    return (
      <p className="field-error" id={`${fieldId}-error`}>
        {error}
      </p>
    );
  }
  return children === undefined ? null : (
    <p className="hint" id={`${fieldId}-help`}>
      {children}
    </p>
  );
}

/** The field's own props for its FieldMessage: invalid while it has an error, described by the message shown. */
export function fieldMessageProps(fieldId: string, error: string | undefined, hasHint: boolean) {
  return {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${fieldId}-error` : hasHint ? `${fieldId}-help` : undefined,
  } as const;
}
