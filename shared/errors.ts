/**
 * AppError: the one error shape that crosses process boundaries (IPC, WebSocket, CLI JSON).
 * No runtime zod here: the renderer imports this module, and zod must stay out of its first screen (its schema is in ipc/wire.ts).
 */
import type { z } from 'zod';

export const appErrorCodes = [
  'invalid_input',
  'not_found',
  'conflict',
  'content_invalid',
  'database_newer_than_app',
  'database_error',
  'storage_full',
  'secret_storage_unavailable',
  'not_configured',
  'auth_failed',
  'network',
  'forbidden',
  /** The database is locked by another writer for longer than the busy timeout: retryable, nothing was saved. */
  'busy',
  /** The caller cancelled a stream. */
  'cancelled',
  /** The window or socket that started a stream went away; core still finished what it was doing. */
  'disconnected',
  'internal',
] as const;

export type AppErrorCode = (typeof appErrorCodes)[number];
export interface AppError {
  code: AppErrorCode;
  message: string;
  details?: unknown;
}

/** Thrown inside core; hosts turn it into a plain AppError at the boundary. */
export class AppFailure extends Error {
  readonly code: AppErrorCode;
  readonly details: unknown;
  constructor(code: AppErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppFailure';
    this.code = code;
    this.details = details;
  }
}

/** Turns anything thrown into an AppError; unknown errors keep their message but not their stack. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppFailure) {
    return err.details === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details: err.details };
  }
  if (isZodError(err)) return zodToAppError(err);
  if (isStorageFull(err)) {
    return { code: 'storage_full', message: 'The disk is full: nothing was saved. Free some space and try again.' };
  }
  if (isSqliteBusy(err)) {
    return { code: 'busy', message: 'The database is busy with other work: nothing was saved. Try again in a moment.', details: { retryable: true } };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}

/** The disk (or the user's quota) is full: SQLite's SQLITE_FULL, or a file write's ENOSPC / EDQUOT. */
export function isStorageFull(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  return err instanceof Error && /SQLITE_FULL|database or disk is full/i.test(err.message);
}

/** better-sqlite3's SqliteError carries `code` SQLITE_BUSY (or an extended SQLITE_BUSY_*) once busy_timeout has passed. */
export function isSqliteBusy(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/** zod's own errors, recognised by shape so this module needs no zod at run time (zod v4 names them "ZodError"). */
function isZodError(err: unknown): err is z.ZodError {
  return err instanceof Error && err.name === 'ZodError' && Array.isArray((err as { issues?: unknown }).issues);
}

/** A zod failure as an AppError whose message names every offending field path. */
export function zodToAppError(err: Pick<z.ZodError, 'issues'>, what = 'input'): AppError {
  const issues = err.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  const summary = issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
  return { code: 'invalid_input', message: `Invalid ${what}: ${summary}`, details: { issues } };
}

/** `['questions', 2, 'payload']` → `questions[2].payload`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
