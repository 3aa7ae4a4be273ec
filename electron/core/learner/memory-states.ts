/**
 * The learner's memory states (one per question, FSRS): written inside the transaction of the answer that reviewed
 * the question, with its outbox row, and re-rated Hard or Easy right after a correct review answer.
 */
import { AppFailure } from '../../../shared/errors';
import type { Sqlite } from '../db/open';
import type { OutboxWriter } from '../sync/outbox-writer';
import { columnNames } from '../sync/registry';
import { afterReview, type MemoryStateRow, type Review, type ReviewRating } from './scheduling';

/** How many answers' "state before" are kept for a Hard/Easy re-rating: only the latest answers can be re-rated. */
const RERATABLE_ANSWERS = 64;

export interface ReratedAttempt {
  attemptId: string;
  userId: string;
  questionId: string;
  /** When the answer was recorded: the review keeps that time, only its rating changes. */
  reviewedAtMs: number;
}

export interface MemoryStates {
  get(userId: string, questionId: string): MemoryStateRow | undefined;
  /** Applies one review and queues the new state; call it inside the answer's transaction. */
  review(attemptId: string, review: Review, nowMs: number): MemoryStateRow;
  /**
   * Replaces the rating of the latest review of the question (Good after a correct answer) with `rating`, from the state
   * before that review; call it inside a write transaction. Refused once the question was reviewed again, or when the
   * state before is no longer known (only the latest answers since the app started can be re-rated).
   */
  rerate(attempt: ReratedAttempt, rating: ReviewRating, desiredRetention: number, nowMs: number): MemoryStateRow;
}

export function createMemoryStates(sqlite: Sqlite, outbox: OutboxWriter): MemoryStates {
  const columns = columnNames('memory_states');
  const select = sqlite.prepare('SELECT * FROM memory_states WHERE user_id = ? AND question_id = ?');
  const upsert = sqlite.prepare(
    `INSERT INTO memory_states (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
     ON CONFLICT (user_id, question_id) DO UPDATE SET ${columns
       .filter((c) => !['id', 'user_id', 'question_id'].includes(c))
       .map((c) => `${c} = excluded.${c}`)
       .join(', ')}`,
  );
  // attempt id → the question's state before that answer (null: it was the first review).
  const before = new Map<string, MemoryStateRow | null>();
  const get = (userId: string, questionId: string) => select.get(userId, questionId) as MemoryStateRow | undefined;
  const write = (row: MemoryStateRow, nowMs: number) => {
    upsert.run(row);
    outbox.enqueue('memory_states', row, nowMs);
    return row;
  };

  return {
    get,
    review(attemptId, review, nowMs) {
      const previous = get(review.userId, review.questionId);
      before.set(attemptId, previous ?? null);
      if (before.size > RERATABLE_ANSWERS) before.delete(before.keys().next().value as string);
      return write({ ...afterReview(previous, review), updated_utc_ms: nowMs }, nowMs);
    },
    rerate(attempt, rating, desiredRetention, nowMs) {
      const previous = before.get(attempt.attemptId);
      const current = get(attempt.userId, attempt.questionId);
      if (previous === undefined || !current || current.last_review_utc_ms !== attempt.reviewedAtMs) {
        throw new AppFailure('conflict', 'Only the answer just given can be rated Hard or Easy.', { path: 'attemptId' });
      }
      const review: Review = {
        newId: current.id,
        userId: attempt.userId,
        questionId: attempt.questionId,
        rating,
        reviewedAtMs: attempt.reviewedAtMs,
        desiredRetention,
      };
      // The same review time, a later edit: on another device the merge prefers this one (same review and reps).
      return write({ ...afterReview(previous ?? undefined, review), updated_utc_ms: nowMs }, nowMs);
    },
  };
}
