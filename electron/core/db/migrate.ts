/** Applies drizzle-kit's SQL migrations at open: in order, in one transaction, after a backup; fails closed. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';

export interface Migration {
  idx: number;
  tag: string;
  sha256: string;
  statements: string[];
}

const journalSchema = z.object({
  entries: z.array(z.object({ idx: z.number().int().nonnegative(), tag: z.string().regex(/^[0-9a-z_]+$/) })),
});

/** Reads `meta/_journal.json` and the SQL files it names; refuses gaps, reordering and missing files. */
export function loadMigrations(dir: string): Migration[] {
  const journalPath = join(dir, 'meta', '_journal.json');
  if (!existsSync(journalPath)) {
    throw new AppFailure('internal', `The app's database migrations are missing (${journalPath}).`);
  }
  const journal = journalSchema.parse(JSON.parse(readFileSync(journalPath, 'utf8')));
  return journal.entries.map((entry, position) => {
    if (entry.idx !== position) {
      throw new AppFailure('internal', `Migration history is out of order at ${entry.tag} (expected #${position}).`);
    }
    const sql = readFileSync(join(dir, `${entry.tag}.sql`), 'utf8');
    const statements = sql
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    return { idx: entry.idx, tag: entry.tag, sha256: createHash('sha256').update(sql).digest('hex'), statements };
  });
}

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  idx INTEGER PRIMARY KEY NOT NULL,
  tag TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  applied_utc_ms INTEGER NOT NULL
)`;

interface AppliedRow {
  idx: number;
  tag: string;
  sha256: string;
}

/**
 * Reads what a database says about its schema without writing to it, and decides whether this app
 * may open it. Throws (leaving the file untouched) for a database from a newer app or edited history.
 */
export function checkSchemaHistory(sqlite: BetterSqlite3.Database, migrations: Migration[]): number {
  const userVersion = sqlite.pragma('user_version', { simple: true }) as number;
  if (userVersion > migrations.length) {
    throw new AppFailure(
      'database_newer_than_app',
      `This database was written by a newer version of the app (schema ${userVersion}, this app knows ${migrations.length}). ` +
        'Update the app to open it; the file was left untouched.',
      { databaseSchema: userVersion, appSchema: migrations.length },
    );
  }
  const hasHistory = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  const applied: AppliedRow[] = hasHistory
    ? (sqlite.prepare('SELECT idx, tag, sha256 FROM schema_migrations ORDER BY idx').all() as AppliedRow[])
    : [];
  if (applied.length !== userVersion) {
    throw new AppFailure(
      'database_error',
      `The database's migration history is inconsistent (${applied.length} recorded, schema ${userVersion}); it was left untouched.`,
    );
  }
  for (const row of applied) {
    const known = migrations[row.idx];
    if (!known || known.tag !== row.tag || known.sha256 !== row.sha256) {
      throw new AppFailure(
        'database_error',
        `Migration ${row.tag} applied to this database differs from this app's copy; it was left untouched.`,
      );
    }
  }
  return userVersion;
}

/** Applies every pending migration in one IMMEDIATE transaction; returns how many were applied. */
export function applyPendingMigrations(
  sqlite: BetterSqlite3.Database,
  migrations: Migration[],
  fromVersion: number,
  nowMs: number,
): number {
  const pending = migrations.slice(fromVersion);
  if (pending.length === 0) return 0;
  const run = sqlite.transaction(() => {
    sqlite.exec(HISTORY_TABLE);
    const record = sqlite.prepare('INSERT INTO schema_migrations (idx, tag, sha256, applied_utc_ms) VALUES (?, ?, ?, ?)');
    for (const migration of pending) {
      for (const statement of migration.statements) sqlite.exec(statement);
      record.run(migration.idx, migration.tag, migration.sha256, nowMs);
    }
    // user_version lives in the header page, so it commits or rolls back with the rest.
    sqlite.pragma(`user_version = ${migrations.length}`);
  });
  run.immediate();
  return pending.length;
}
