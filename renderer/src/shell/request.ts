/** Runs one API call and turns a failed Result (or a broken transport) into a readable error on screen. */
import { refusedInputFields, toAppError, type AppError } from '../../../shared/errors';
import type { Result } from '../../../shared/ipc/api';
import { useShell } from './shellStore';

async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}

/** The value, or null after showing the error under `context` (e.g. "Could not load the library"). */
export async function request<T>(call: () => Promise<Result<T>>, context: string): Promise<T | null> {
  const result = await settle(call);
  if (result.ok) return result.value;
  useShell.getState().showError(result.error, context);
  return null;
}

/** What a form's call answers: its value, or the sentence for each of the form's fields core refused. */
export type FormAnswer<T, Field extends string> = { value: T } | { refused: Partial<Record<Field, string>> };

/**
 * `request` for a form whose input core may refuse on `fields`: such a refusal comes back per field, to be shown on the
 * fields it names (a limit the form does not check itself, e.g. a URL's length). Any other failure, or a refusal that
 * names something else too, is shown as `request` shows it, and answers null.
 */
export async function requestForForm<T, Field extends string>(
  call: () => Promise<Result<T>>,
  context: string,
  fields: readonly Field[],
): Promise<FormAnswer<T, Field> | null> {
  const result = await settle(call);
  if (result.ok) return { value: result.value };
  const refused = refusedOn(result.error, fields);
  if (refused) return { refused };
  useShell.getState().showError(result.error, context);
  return null;
}

function refusedOn<Field extends string>(error: AppError, fields: readonly Field[]): Partial<Record<Field, string>> | null {
  const named = refusedInputFields(error);
  if (!named) return null;
  const refused: Partial<Record<Field, string>> = {};
  for (const [path, sentence] of named) {
    const field = fields.find((f) => f === path);
    if (field === undefined) return null;
    refused[field] = sentence;
  }
  return refused;
}
