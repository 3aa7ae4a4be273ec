/** Skill progress: the share of a skill's published questions answered right at least once, which never goes down. */
import type { Sqlite } from '../db/open';
import { uuidv7 } from '../ids';
import type { OutboxWriter } from '../sync/outbox-writer';
import type { LocalRow } from '../sync/registry';

export type ProgressRow = LocalRow<'skill_progress'>;

export interface AnsweredQuestion {
  userId: string;
  skillId: string;
  isCorrect: boolean;
  /** The learner's first right answer to this question ever: one more question mastered. */
  firstCorrect: boolean;
  /** Published questions of the skill now. */
  publishedCount: number;
  nowMs: number;
}

/** The progress row after one answer. */
export function progressAfter(previous: ProgressRow | undefined, answer: AnsweredQuestion): ProgressRow {
  const mastered = (previous?.mastered_count ?? 0) + (answer.firstCorrect ? 1 : 0);
  const ratio = Math.min(1, mastered / Math.max(1, answer.publishedCount));
  return {
    id: previous?.id ?? uuidv7(answer.nowMs),
    user_id: answer.userId,
    skill_id: answer.skillId,
    // Never regress: questions published after the learner mastered a skill raise the denominator and would lower
    // the ratio; what was earned stays.
    progress: Math.max(previous?.progress ?? 0, ratio),
    mastered_count: mastered,
    attempt_count: (previous?.attempt_count ?? 0) + 1,
    correct_count: (previous?.correct_count ?? 0) + (answer.isCorrect ? 1 : 0),
    last_attempt_ts: answer.nowMs,
    updated_utc_ms: answer.nowMs,
  };
}

export interface SkillProgressStore {
  /** Records one answer and queues the new row; call it inside the learner write's transaction. */
  recordAnswer(answer: AnsweredQuestion): ProgressRow;
}

export function createSkillProgressStore(sqlite: Sqlite, outbox: OutboxWriter): SkillProgressStore {
  const select = sqlite.prepare('SELECT * FROM skill_progress WHERE user_id = ? AND skill_id = ?');
  const upsert = sqlite.prepare(
    `INSERT INTO skill_progress (id, user_id, skill_id, progress, mastered_count, attempt_count, correct_count, last_attempt_ts, updated_utc_ms)
     VALUES (@id, @user_id, @skill_id, @progress, @mastered_count, @attempt_count, @correct_count, @last_attempt_ts, @updated_utc_ms)
     ON CONFLICT (user_id, skill_id) DO UPDATE SET progress = excluded.progress, mastered_count = excluded.mastered_count,
       attempt_count = excluded.attempt_count, correct_count = excluded.correct_count,
       last_attempt_ts = excluded.last_attempt_ts, updated_utc_ms = excluded.updated_utc_ms`,
  );
  return {
    recordAnswer(answer) {
      const next = progressAfter(select.get(answer.userId, answer.skillId) as ProgressRow | undefined, answer);
      upsert.run(next);
      outbox.enqueue('skill_progress', next, answer.nowMs);
      return next;
    },
  };
}
