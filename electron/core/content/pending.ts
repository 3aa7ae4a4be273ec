/**
 * Pending imports (migration 0011): a pack import's new rows carry its id in `pending_import` while the id is listed
 * in `pending_imports`, and learners see none of them (content/learnable.ts). Here: deleting an import's rows
 * (cancel, failure, or a start after a crash) and clearing the mark once it committed, a chunk per transaction.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** Rows per transaction: a few ms each, so other writers get the database between them. */
const PENDING_CHUNK = 200;

/** Children before parents, so no delete cascades into another import's rows. */
const pendingTables = ['questions', 'skills', 'domains', 'drill_questions', 'content_packs'] as const;

function eachChunk(sqlite: BetterSqlite3.Database, sql: (table: string) => string, importId: string): number {
  let total = 0;
  for (const table of pendingTables) {
    const statement = sqlite.prepare(sql(table));
    for (;;) {
      const { changes } = statement.run(importId);
      total += changes;
      if (changes < PENDING_CHUNK) break;
    }
  }
  return total;
}

/** Deletes an uncommitted import's rows and its pending_imports entry; returns how many rows went. */
export function removePendingImport(sqlite: BetterSqlite3.Database, importId: string): number {
  const removed = eachChunk(
    sqlite,
    (table) =>
      `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE pending_import = ? LIMIT ${PENDING_CHUNK})`,
    importId,
  );
  sqlite.prepare('DELETE FROM pending_imports WHERE id = ?').run(importId);
  return removed;
}

/**
 * After the final commit the rows no longer need the mark (learners already see them: the id is unlisted). Clears one
 * chunk per call, its own transaction; returns 0 when none is left, so callers can pause between calls.
 */
export function createPendingMarkClearer(sqlite: BetterSqlite3.Database, importId: string): () => number {
  const statements = pendingTables.map((table) =>
    sqlite.prepare(
      `UPDATE ${table} SET pending_import = NULL WHERE rowid IN (SELECT rowid FROM ${table} WHERE pending_import = ? LIMIT ${PENDING_CHUNK})`,
    ),
  );
  return () => {
    for (const statement of statements) {
      const { changes } = statement.run(importId);
      if (changes > 0) return changes;
    }
    return 0;
  };
}

/** At start: every import still listed was cut short (crash, kill); its rows go. Returns how many rows were removed. */
export function removeAbandonedImports(sqlite: BetterSqlite3.Database): number {
  const ids = sqlite.prepare('SELECT id FROM pending_imports').pluck().all() as string[];
  return ids.reduce((sum, id) => sum + removePendingImport(sqlite, id), 0);
}
