/**
 * The review queue: the learner's questions due before the end of their study day, across all skills, most overdue
 * first, bounded by the daily review limit.
 */
import { QUESTION_IS_LEARNABLE, QUESTION_WITH_SKILL_AND_DOMAIN } from '../content/learnable';
import { AppFailure } from '../../../shared/errors';
import type { Sqlite } from '../db/open';
import type { ReratedAttempt } from '../learner/memory-states';
import type { QuestionRow } from './questions';

export interface ReviewQueue {
  /** The most overdue learnable question due before `dueBeforeMs` that session `sessionId` has not served yet. */
  nextDue(userId: string, dueBeforeMs: number, sessionId: string): QuestionRow | undefined;
  /** How many learnable questions are due before `dueBeforeMs`. */
  dueCount(userId: string | null, dueBeforeMs: number): number;
  /** Answers given in review sessions since `sinceMs` (the start of the study day): what counts against the limit. */
  reviewedSince(userId: string | null, sinceMs: number): number;
  /** The attempt, when it is a correct answer in a review session (the only kind rated Hard or Easy); else a failure. */
  ratableAnswer(attemptId: string): ReratedAttempt;
}

export function createReviewQueue(sqlite: Sqlite): ReviewQueue {
  // Walks the learner's states in due order (memory_states_user_due_idx) and stops at the first one that is learnable
  // and not yet served in this session: answered ones were just rescheduled, so few are skipped.
  const nextDue = sqlite.prepare(
    `SELECT q.id, q.skill_id, q.type, q.payload, q.explanation
     FROM memory_states m CROSS JOIN ${QUESTION_WITH_SKILL_AND_DOMAIN}
     WHERE m.user_id = ? AND m.due_utc_ms < ? AND q.id = m.question_id AND ${QUESTION_IS_LEARNABLE}
       AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.session_id = ? AND a.question_id = m.question_id)
     ORDER BY m.due_utc_ms LIMIT 1`,
  );
  const dueCount = sqlite
    .prepare(
      `SELECT COUNT(*) FROM memory_states m CROSS JOIN ${QUESTION_WITH_SKILL_AND_DOMAIN}
       WHERE m.user_id = ? AND m.due_utc_ms < ? AND q.id = m.question_id AND ${QUESTION_IS_LEARNABLE}`,
    )
    .pluck();
  const reviewedSince = sqlite
    .prepare(
      `SELECT COUNT(*) FROM sessions s JOIN attempts a ON a.session_id = s.id
       WHERE s.user_id = ? AND s.mode = 'review' AND a.ts_utc_ms >= ?`,
    )
    .pluck();
  const answer = sqlite.prepare(
    `SELECT a.id, a.user_id, a.question_id, a.ts_utc_ms, a.is_correct, s.mode
     FROM attempts a JOIN sessions s ON s.id = a.session_id WHERE a.id = ?`,
  );
  return {
    ratableAnswer(attemptId) {
      const row = answer.get(attemptId) as
        | { id: string; user_id: string; question_id: string; ts_utc_ms: number; is_correct: 0 | 1 | null; mode: string }
        | undefined;
      if (!row) throw new AppFailure('not_found', `No answer with id ${attemptId}.`, { path: 'attemptId' });
      if (row.mode !== 'review' || row.is_correct !== 1) {
        throw new AppFailure('conflict', 'Only a correct answer in a review session can be rated Hard or Easy.', { path: 'attemptId' });
      }
      return { attemptId: row.id, userId: row.user_id, questionId: row.question_id, reviewedAtMs: row.ts_utc_ms };
    },
    nextDue: (userId, dueBeforeMs, sessionId) => nextDue.get(userId, dueBeforeMs, sessionId) as QuestionRow | undefined,
    dueCount: (userId, dueBeforeMs) => (userId === null ? 0 : (dueCount.get(userId, dueBeforeMs) as number)),
    reviewedSince: (userId, sinceMs) => (userId === null ? 0 : (reviewedSince.get(userId, sinceMs) as number)),
  };
}

/** Reviews a new session may hold: what is due, up to what is left of the daily limit. */
export function reviewsLeftToday(due: number, reviewedToday: number, dailyLimit: number): number {
  return Math.max(0, Math.min(due, dailyLimit - reviewedToday));
}
