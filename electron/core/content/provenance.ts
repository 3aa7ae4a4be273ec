/**
 * Content provenance: every domain, skill and question is the server's or a local pack's (origin, pack_name).
 * Pulls write only the server's rows; these are the bulk removals that follow from it, in short transactions.
 */
import type { Sqlite } from '../db/open';

/** Rows per delete transaction: a few ms each, so a learner's answer never waits long behind one. */
const DELETE_CHUNK = 2000;

const contentTables = ['questions', 'skills', 'domains'] as const;

/**
 * Removes the configured server's content (another server was configured): children first, a chunk per transaction,
 * yielding between chunks. Local packs' rows and the learner's own data (attempts, progress: soft links) stay.
 */
export async function removeServerContent(sqlite: Sqlite): Promise<number> {
  let removed = 0;
  for (const table of contentTables) {
    const chunk = sqlite.prepare(
      `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE origin = 'server' LIMIT ${DELETE_CHUNK})`,
    );
    for (;;) {
      const { changes } = chunk.run();
      removed += changes;
      if (changes < DELETE_CHUNK) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return removed;
}

/**
 * Deletes the server's rows whose parent is missing: a pull writes pages in (updated_at, id) order, so a child may
 * arrive before its parent, and a parent the server no longer shows leaves children behind. Run when a pull is
 * complete. The search is a read (no write lock); the deletes go a chunk per transaction. Skills go first, so
 * the questions of an orphaned skill are found as orphans next.
 */
export function createOrphanSweep(sqlite: Sqlite): () => number {
  // The missing parents first, from the children's (parent, slug) index, then their children: ~3 ms at 100k questions
  // against ~36 ms for a scan of the whole table with a lookup per row.
  const orphanSkills = sqlite
    .prepare(
      `SELECT id FROM skills WHERE origin = 'server' AND domain_id IN (
         SELECT domain_id FROM (SELECT DISTINCT domain_id FROM skills) s WHERE NOT EXISTS (SELECT 1 FROM domains d WHERE d.id = s.domain_id))`,
    )
    .pluck();
  const orphanQuestions = sqlite
    .prepare(
      `SELECT id FROM questions WHERE origin = 'server' AND skill_id IN (
         SELECT skill_id FROM (SELECT DISTINCT skill_id FROM questions) q WHERE NOT EXISTS (SELECT 1 FROM skills s WHERE s.id = q.skill_id))`,
    )
    .pluck();
  const deleteSkill = sqlite.prepare(`DELETE FROM skills WHERE id = ? AND origin = 'server'`);
  const deleteQuestion = sqlite.prepare(`DELETE FROM questions WHERE id = ? AND origin = 'server'`);
  const deleteChunk = (statement: typeof deleteSkill) =>
    sqlite.transaction((ids: readonly string[]) => ids.reduce((sum, id) => sum + statement.run(id).changes, 0));
  const deleteSkills = deleteChunk(deleteSkill);
  const deleteQuestions = deleteChunk(deleteQuestion);
  const inChunks = (ids: string[], remove: (chunk: readonly string[]) => number) => {
    let removed = 0;
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) removed += remove(ids.slice(i, i + DELETE_CHUNK));
    return removed;
  };
  return () =>
    inChunks(orphanSkills.all() as string[], deleteSkills) + inChunks(orphanQuestions.all() as string[], deleteQuestions);
}
