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

/**
 * Deletes an uncommitted import's rows and its pending_imports entry, one chunk per statement (its own transaction);
 * yields after each chunk so a caller can step aside for a learner's write, and returns how many rows went.
 */
export function* removePendingImportSteps(sqlite: BetterSqlite3.Database, importId: string): Generator<undefined, number> {
  let removed = 0;
  for (const table of pendingTables) {
    const statement = sqlite.prepare(
      `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE pending_import = ? LIMIT ${PENDING_CHUNK})`,
    );
    for (;;) {
      const { changes } = statement.run(importId);
      removed += changes;
      if (changes < PENDING_CHUNK) break;
      yield undefined;
    }
  }
  sqlite.prepare('DELETE FROM pending_imports WHERE id = ?').run(importId);
  return removed;
}

/** `removePendingImportSteps` back to back (the start's clean-up, the CLI). */
export function removePendingImport(sqlite: BetterSqlite3.Database, importId: string): number {
  const steps = removePendingImportSteps(sqlite, importId);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
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
