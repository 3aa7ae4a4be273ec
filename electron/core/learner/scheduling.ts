/**
 * Scheduling with FSRS (ts-fsrs, FSRS-6): the one place that turns a review into the question's next memory state and
 * a memory state into the chance of recalling it now. A correct answer is Good, a wrong one Again; after a correct
 * answer in a review session the learner may say it was Hard or Easy instead.
 */
import { createEmptyCard, fsrs, Rating, type Card, type FSRS, type Grade } from 'ts-fsrs';
import type { LocalRow } from '../sync/registry';

export type MemoryStateRow = LocalRow<'memory_states'>;
export type ReviewRating = 'again' | 'hard' | 'good' | 'easy';

const grades: Record<ReviewRating, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };

/** The rating an answer gives on its own: right is Good, wrong is Again. */
export function ratingForAnswer(isCorrect: boolean): ReviewRating {
  return isCorrect ? 'good' : 'again';
}

// One scheduler per desired retention (a setting with few distinct values). No fuzz: the same reviews give the same
// state on every device, so the merge compares like with like.
const schedulers = new Map<number, FSRS>();
function scheduler(desiredRetention: number): FSRS {
  let found = schedulers.get(desiredRetention);
  if (!found) {
    found = fsrs({ request_retention: desiredRetention, enable_fuzz: false });
    schedulers.set(desiredRetention, found);
  }
  return found;
}

function toCard(row: MemoryStateRow): Card {
  return {
    due: new Date(row.due_utc_ms),
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: 0,
    scheduled_days: row.scheduled_days,
    learning_steps: row.learning_steps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state,
    last_review: new Date(row.last_review_utc_ms),
  };
}

export interface Review {
  /** The id a first memory state of this question gets (a later one keeps its row's). */
  newId: string;
  userId: string;
  questionId: string;
  rating: ReviewRating;
  reviewedAtMs: number;
  desiredRetention: number;
}

/** The memory state after one review of the question, from the state before it (none before the first review). */
export function afterReview(previous: MemoryStateRow | undefined, review: Review): MemoryStateRow {
  const at = new Date(review.reviewedAtMs);
  const before = previous ? toCard(previous) : createEmptyCard(at);
  const { card } = scheduler(review.desiredRetention).next(before, at, grades[review.rating]);
  return {
    id: previous?.id ?? review.newId,
    user_id: review.userId,
    question_id: review.questionId,
    stability: card.stability,
    difficulty: card.difficulty,
    due_utc_ms: card.due.getTime(),
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    last_review_utc_ms: review.reviewedAtMs,
    updated_utc_ms: review.reviewedAtMs,
  };
}

/** "Likely to recall now": FSRS's retrievability of the state at `nowMs`, 0..1 (it decays from the last review). */
export function recallChance(row: MemoryStateRow, nowMs: number): number {
  // Retrievability depends on stability and elapsed time only, not on the desired retention.
  return scheduler(0.9).get_retrievability(toCard(row), new Date(Math.max(nowMs, row.last_review_utc_ms)), false);
}
