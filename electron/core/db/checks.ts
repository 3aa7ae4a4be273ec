/**
 * What can be wrong with the database file at start, said plainly: which file, what is wrong, what to do next. Every
 * problem here is a `database_error` whose details the recovery screen reads (never `internal`, never bare SQLite text).
 */
import { accessSync, constants, existsSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import { databaseProblemSchema, type DatabaseProblem } from '../../../shared/ipc/features/recovery';

export type DatabaseProblemCause = DatabaseProblem['cause'];

const what: Record<DatabaseProblemCause, string> = {
  corrupt: 'is damaged',
  read_only: 'cannot be written (the file or its folder is read-only)',
  unreadable: 'cannot be opened',
};

const nextSteps: Record<DatabaseProblemCause, string> = {
  corrupt:
    'When it starts, Study Desk keeps a copy of the damaged file and, on its recovery screen, offers to restore the newest good backup, if there is one, or to start fresh from the built-in content. If you are signed in, your synced progress comes back from the server.',
  read_only:
    'Nothing was changed. Make the file and its folder writable for your user (or move the data folder to a writable place), then choose Try again.',
  unreadable: 'Check that the file and its folder exist and belong to your user, then start Study Desk again; or restore a backup.',
};

export function databaseProblem(file: string, cause: DatabaseProblemCause, detail: string): AppFailure {
  const problem: DatabaseProblem = { file, cause, detail, nextStep: nextSteps[cause] };
  return new AppFailure('database_error', `The database at ${file} ${what[cause]}: ${detail}. ${problem.nextStep}`, problem);
}

/** The problem a `database_error` carries, or null for any other failure. */
export function problemOf(err: unknown): DatabaseProblem | null {
  if (!(err instanceof AppFailure) || err.code !== 'database_error') return null;
  const parsed = databaseProblemSchema.safeParse(err.details);
  return parsed.success ? parsed.data : null;
}

function errnoCode(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

const readOnlyErrno = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Refuses, before anything is written, a database file, its WAL and shared-memory files or its folder that this
 * process cannot write: SQLite would open them read-only and fail only at the first write ("attempt to write a
 * readonly database"). Uses the system's own answer (access and a real open for writing), so a read-only mount counts
 * for every user, while root, whom file modes do not stop, really can write.
 */
export function assertWritable(file: string): void {
  const folder = dirname(file);
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (err) {
    if (readOnlyErrno.has(errnoCode(err))) throw databaseProblem(file, 'read_only', `the folder ${folder} is not writable (${errnoCode(err)})`);
    throw err;
  }
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(path)) continue;
    try {
      closeSync(openSync(path, constants.O_RDWR));
    } catch (err) {
      if (readOnlyErrno.has(errnoCode(err))) throw databaseProblem(file, 'read_only', `${path} is not writable (${errnoCode(err)})`);
      throw err;
    }
  }
}

/**
 * `PRAGMA quick_check`: every page and index entry's structure, without the full cross-check of integrity_check, so it
 * is linear in the file size (see bench `startup_quick_check`). Stops at the first problem found.
 */
export function assertIntact(sqlite: BetterSqlite3.Database, file: string): void {
  const rows = sqlite.pragma('quick_check(1)', { simple: false }) as Array<{ quick_check: string }>;
  const verdict = rows.map((r) => r.quick_check).join('; ');
  if (verdict !== 'ok') throw databaseProblem(file, 'corrupt', `SQLite's quick_check found: ${verdict.slice(0, 300)}`);
}

/**
 * A file-system refusal while preparing the data folder (e.g. making it owner-only on a read-only mount, or files
 * owned by another user) as the read-only problem it is; null for anything else.
 */
export function fileSystemProblem(err: unknown, file: string): AppFailure | null {
  if (!readOnlyErrno.has(errnoCode(err))) return null;
  return databaseProblem(file, 'read_only', err instanceof Error ? err.message : String(err));
}

/** SQLite's error for a damaged, foreign or unopenable file as a database problem; null for anything else. */
export function sqliteProblem(err: unknown, file: string): AppFailure | null {
  const code = errnoCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return databaseProblem(file, 'corrupt', `SQLite says "${message}"`);
  if (code.startsWith('SQLITE_READONLY')) return databaseProblem(file, 'read_only', `SQLite says "${message}"`);
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) return databaseProblem(file, 'unreadable', `SQLite says "${message}"`);
  return null;
}
