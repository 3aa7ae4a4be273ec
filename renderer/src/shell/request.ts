/** Runs one API call and turns a failed Result (or a broken transport) into a readable error on screen. */
import { toAppError } from '../../../shared/errors';
import type { Result } from '../../../shared/ipc/api';
import { useShell } from './shellStore';

/** The value, or null after showing the error under `context` (e.g. "Could not load the library"). */
export async function request<T>(call: () => Promise<Result<T>>, context: string): Promise<T | null> {
  let result: Result<T>;
  try {
    result = await call();
  } catch (err) {
    result = { ok: false, error: toAppError(err) };
  }
  if (result.ok) return result.value;
  useShell.getState().showError(result.error, context);
  return null;
}
