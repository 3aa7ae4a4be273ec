/**
 * "Likely to recall now" for a skill: the mean of FSRS's recall chance (retrievability) over the skill's questions the
 * learner has answered. It is computed when asked, since it decays with time; skill_progress keeps its own meaning
 * (the share of questions ever answered right, which only grows).
 */
import type { Recall } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import { recallChance, type MemoryStateRow } from '../learner/scheduling';

export function createRecall(sqlite: Sqlite) {
  const states = sqlite.prepare(
    `SELECT m.* FROM questions q JOIN memory_states m ON m.user_id = ? AND m.question_id = q.id
     WHERE q.skill_id = ? AND q.is_published = 1`,
  );
  return (userId: string | null, skillId: string, nowMs: number): Recall => {
    const rows = userId === null ? [] : (states.all(userId, skillId) as MemoryStateRow[]);
    if (rows.length === 0) return { recall: null, reviewedCount: 0 };
    const total = rows.reduce((sum, row) => sum + recallChance(row, nowMs), 0);
    return { recall: Math.min(1, Math.max(0, total / rows.length)), reviewedCount: rows.length };
  };
}
