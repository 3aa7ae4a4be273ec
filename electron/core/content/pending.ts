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

/** Work in steps, each one short transaction: `next()` runs one and the generator's return value is the result. */
export type Steps<R> = Generator<undefined, R>;

/** Runs the steps back to back (the start's clean-up, the CLI, tests). */
export function drainSteps<R>(steps: Steps<R>): R {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs the steps, stepping aside for the learner's writes between them (db/write-priority.ts). */
export async function drainStepsAside<R>(steps: Steps<R>, stepAside: (lastTransactionMs: number) => Promise<void>): Promise<R> {
  for (;;) {
    const started = performance.now();
    const step = steps.next();
    if (step.done) return step.value;
    await stepAside(performance.now() - started);
  }
}

/** Deletes the rows of `table` that match `where` (one `?`), a chunk per step; returns how many went. */
export function* deleteInChunks(sqlite: BetterSqlite3.Database, table: string, where: string, arg: string): Steps<number> {
  const statement = sqlite.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${PENDING_CHUNK})`);
  let removed = 0;
  for (;;) {
    const { changes } = statement.run(arg);
    removed += changes;
    if (changes < PENDING_CHUNK) return removed;
    yield undefined;
  }
}

/** Deletes an uncommitted import's rows and its pending_imports entry, a chunk per step; returns how many rows went. */
export function* removePendingImportSteps(sqlite: BetterSqlite3.Database, importId: string): Steps<number> {
  let removed = 0;
  for (const table of pendingTables) removed += yield* deleteInChunks(sqlite, table, 'pending_import = ?', importId);
  sqlite.prepare('DELETE FROM pending_imports WHERE id = ?').run(importId);
  return removed;
}

/** `removePendingImportSteps` back to back (the start's clean-up). */
export function removePendingImport(sqlite: BetterSqlite3.Database, importId: string): number {
  return drainSteps(removePendingImportSteps(sqlite, importId));
}

/**
 * After the final commit the rows no longer need the mark (learners already see them: the id is unlisted). Clears one
 * chunk per call (in the caller's transaction, else its own); returns 0 when none is left, so callers can pause.
 */
export function createPendingMarkClearer(sqlite: BetterSqlite3.Database, importId: string): () => number {
  return createMarkClearer(sqlite, 'pending_import = ?', [importId]);
}

/**
 * At the content worker's start: marks that a committed import left because its tidying failed (content/import.ts),
 * the import no longer listed. They hide nothing, but no later import would clear them. A chunk per step.
 */
export function* clearUnlistedMarksSteps(sqlite: BetterSqlite3.Database): Steps<number> {
  const clearChunk = createMarkClearer(sqlite, 'pending_import IS NOT NULL AND pending_import NOT IN (SELECT id FROM pending_imports)', []);
  const clearOne = sqlite.transaction(clearChunk);
  let cleared = 0;
  for (;;) {
    const changes = clearOne();
    if (changes === 0) return cleared;
    cleared += changes;
    yield undefined;
  }
}

function createMarkClearer(sqlite: BetterSqlite3.Database, where: string, args: readonly string[]): () => number {
  const statements = pendingTables.map((table) =>
    sqlite.prepare(`UPDATE ${table} SET pending_import = NULL WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${PENDING_CHUNK})`),
  );
  return () => {
    for (const statement of statements) {
      const { changes } = statement.run(...args);
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
