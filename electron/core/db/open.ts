/**
 * Opens the local database: refuses files it cannot write, damaged files and files from newer apps (each a clear
 * `database_error` or `database_newer_than_app`), backs up, migrates, then sets durable pragmas.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import { createPrivateFile } from '../private-data';
import { preMigrationBackupPath, takeDailyBackup } from './backups';
import { assertIntact, assertWritable, sqliteProblem } from './checks';
import { applyPendingMigrations, checkSchemaHistory, loadMigrations } from './migrate';

export type Sqlite = Database.Database;

export interface OpenedDatabase {
  /**
   * The connection. There is no drizzle query handle: every query is a prepared better-sqlite3 statement (pluck,
   * iterate, positional binds on the hot paths) and the synced rows are typed by the registry; drizzle's schema
   * stays the source of the migrations (see docs/decisions.md).
   */
  sqlite: Sqlite;
  /** Where the pre-migration backup went, when one was made. */
  backupPath: string | null;
  /** Where today's rolling backup went, when `dailyBackup` asked for one and there was none yet. */
  dailyBackupPath: string | null;
  migrationsApplied: number;
}

export interface OpenOptions {
  /** Folder with drizzle-kit's output; defaults to the repo's migrations/sqlite (hosts pass their own). */
  migrationsDir?: string;
  /** Path of a better-sqlite3 addon built for another runtime (Electron's ABI). */
  nativeBinding?: string;
  nowMs?: number;
  /** Skip the migrator and the start checks: for worker threads that open a file the host already checked. */
  skipMigrations?: boolean;
  /** Keep a rolling daily backup (backups.ts) once the file has passed its checks: the app's start does. */
  dailyBackup?: boolean;
}

export const defaultMigrationsDir = fileURLToPath(new URL('../../../migrations/sqlite', import.meta.url));

/** Pragmas every connection uses: WAL so readers and one writer share the file, FULL so commits survive power loss. */
export function applyConnectionPragmas(sqlite: Sqlite): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

export function openDatabase(file: string, options: OpenOptions = {}): OpenedDatabase {
  const nowMs = options.nowMs ?? Date.now();
  const nativeBinding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  const migrations = loadMigrations(options.migrationsDir ?? defaultMigrationsDir);
  const existed = file !== ':memory:' && existsSync(file) && statSync(file).size > 0;

  let fromVersion = 0;
  if (file !== ':memory:' && !options.skipMigrations) {
    if (!existed) mkdirSync(dirname(file), { recursive: true });
    // Before anything is written: a file we could only read would fail at the learner's first answer instead.
    assertWritable(file);
    // The learner's data: owner-only from the first byte, and SQLite gives the WAL and SHM the file's mode.
    if (!existed) createPrivateFile(file);
  }
  if (existed && !options.skipMigrations) {
    // Look before touching: a read-only connection cannot change the file we may have to refuse.
    let probe: Database.Database | null = null;
    try {
      probe = new Database(file, { readonly: true, fileMustExist: true, ...nativeBinding });
      fromVersion = checkSchemaHistory(probe, migrations);
      assertIntact(probe, file);
    } catch (err) {
      throw openFailure(err, file);
    } finally {
      probe?.close();
    }
  }

  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, nativeBinding);
  } catch (err) {
    throw openFailure(err, file);
  }
  let backupPath: string | null = null;
  let dailyBackupPath: string | null = null;
  let migrationsApplied = 0;
  try {
    applyConnectionPragmas(sqlite);
    if (!options.skipMigrations) {
      if (existed && fromVersion < migrations.length) {
        backupPath = preMigrationBackupPath(file, fromVersion, nowMs);
        createPrivateFile(backupPath);
        sqlite.prepare('VACUUM INTO ?').run(backupPath);
      }
      // Re-check under the write connection in case another process migrated in between.
      migrationsApplied = applyPendingMigrations(sqlite, migrations, checkSchemaHistory(sqlite, migrations), nowMs);
      if (options.dailyBackup && file !== ':memory:') dailyBackupPath = takeDailyBackup(sqlite, file, nowMs);
    }
  } catch (err) {
    sqlite.close();
    throw openFailure(err, file);
  }
  return { sqlite, backupPath, dailyBackupPath, migrationsApplied };
}

/** A failure while opening, as the app reports it: its own failures as they are, SQLite's named with the file. */
function openFailure(err: unknown, file: string): AppFailure {
  if (err instanceof AppFailure) return err;
  return sqliteProblem(err, file) ?? new AppFailure('database_error', `Could not prepare the database at ${file}: ${(err as Error).message}`);
}
