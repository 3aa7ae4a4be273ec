/** Opens the local database: refuses files from newer apps, backs up, migrates, then sets durable pragmas. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
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
  migrationsApplied: number;
}

export interface OpenOptions {
  /** Folder with drizzle-kit's output; defaults to the repo's migrations/sqlite (hosts pass their own). */
  migrationsDir?: string;
  /** Path of a better-sqlite3 addon built for another runtime (Electron's ABI). */
  nativeBinding?: string;
  nowMs?: number;
  /** Skip the migrator: for worker threads that open a file the host already migrated. */
  skipMigrations?: boolean;
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
  if (existed && !options.skipMigrations) {
    // Look before touching: a read-only connection cannot change the file we may have to refuse.
    const probe = new Database(file, { readonly: true, fileMustExist: true, ...nativeBinding });
    try {
      fromVersion = checkSchemaHistory(probe, migrations);
    } finally {
      probe.close();
    }
  } else if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
  }

  const sqlite = new Database(file, nativeBinding);
  let backupPath: string | null = null;
  let migrationsApplied = 0;
  try {
    applyConnectionPragmas(sqlite);
    if (!options.skipMigrations) {
      if (existed && fromVersion < migrations.length) {
        backupPath = join(dirname(file), `${baseName(file)}.backup-v${fromVersion}-${nowMs}.sqlite`);
        sqlite.prepare('VACUUM INTO ?').run(backupPath);
      }
      // Re-check under the write connection in case another process migrated in between.
      migrationsApplied = applyPendingMigrations(sqlite, migrations, checkSchemaHistory(sqlite, migrations), nowMs);
    }
  } catch (err) {
    sqlite.close();
    if (err instanceof AppFailure) throw err;
    throw new AppFailure('database_error', `Could not prepare the database at ${file}: ${(err as Error).message}`);
  }
  return { sqlite, backupPath, migrationsApplied };
}

function baseName(file: string): string {
  return file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
}
