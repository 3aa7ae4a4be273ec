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

/**
 * One issue of an input a channel's contract refused (dispatch's `invalid_input`, in `details.issues`): the field's path
 * (`formatPath`), zod's code and text, and the sentence naming the field for a learner, which the error's message joins.
 */
export type RefusedInputIssue = { path: string; code: string; message: string; sentence: string };

/** The sentence for each field path a refused input names, or null when `error` is no such refusal. */
export function refusedInputFields(error: AppError): Map<string, string> | null {
  if (error.code !== 'invalid_input' || typeof error.details !== 'object' || error.details === null) return null;
  const issues: unknown = (error.details as { issues?: unknown }).issues;
  if (!Array.isArray(issues) || issues.length === 0) return null;
  const fields = new Map<string, string>();
  for (const issue of issues as Array<Partial<Record<keyof RefusedInputIssue, unknown>>>) {
    if (typeof issue.path !== 'string' || typeof issue.sentence !== 'string') return null;
    // A field refused twice says both, as the error's message does.
    const before = fields.get(issue.path);
    fields.set(issue.path, before === undefined || before === issue.sentence ? issue.sentence : `${before} ${issue.sentence}`);
  }
  return fields;
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
