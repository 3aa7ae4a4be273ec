/** What a call that must fail threw: a test that gets no failure fails here, and an unexpected kind of error is rethrown. */
import { AppFailure, toAppError, type AppError } from '../../shared/errors';

/** The AppFailure `run` throws. */
export function failureOf(run: () => unknown): AppFailure {
  try {
    run();
  } catch (err) {
    if (err instanceof AppFailure) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

/** The AppFailure `promise` rejects with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<AppFailure> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppFailure) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

/** What `run` throws, as the AppError the app would show. */
export function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    return toAppError(err);
  }
  throw new Error('expected a failure');
}
