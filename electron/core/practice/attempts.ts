/**
 * Recording an answer: one transaction holding the attempt, the question's memory state (FSRS), the skill's progress,
 * the learner's profile (XP, streak) and their outbox rows.
 */
import { AppFailure } from '../../../shared/errors';
import type { Answer } from '../../../shared/ipc/contract';
import { notPublishedMessage } from '../content/learnable';
import type { Sqlite } from '../db/open';
import { uuidv7 } from '../ids';
import type { MemoryStates } from '../learner/memory-states';
import type { LearnerProfile } from '../learner/profile';
import { ratingForAnswer } from '../learner/scheduling';
import { xpForAnswer } from '../learner/xp';
import type { OutboxWriter } from '../sync/outbox-writer';
import type { LocalRow } from '../sync/registry';
import { grade } from './grading';
import { toStored, type QuestionQueries, type QuestionRow } from './questions';
import type { Sessions } from './sessions';
import type { SkillProgressStore } from './skill-progress';

export interface RecordedAttempt {
  attemptId: string;
  isCorrect: boolean;
  solution: Answer;
  question: QuestionRow;
}

export interface AttemptDeps {
  outbox: OutboxWriter;
  questions: QuestionQueries;
  sessions: Sessions;
  progress: SkillProgressStore;
  profile: LearnerProfile;
  memory: MemoryStates;
}

/** The learner's settings an answer is recorded with: their zone and study day, and FSRS's desired retention. */
export interface AnswerSettings {
  timeZone: string;
  rolloverHour: number;
  desiredRetention: number;
}

/** Returns `record(sessionId, questionId, answer, nowMs, settings)`, which grades and stores one answer. */
export function createAttemptRecorder(sqlite: Sqlite, deps: AttemptDeps) {
  const answeredInSession = sqlite.prepare('SELECT 1 FROM attempts WHERE session_id = ? AND question_id = ?');
  const takenMs = sqlite.prepare('SELECT 1 FROM attempts WHERE user_id = ? AND question_id = ? AND ts_utc_ms = ?').pluck();
  const everCorrect = sqlite.prepare('SELECT 1 FROM attempts WHERE user_id = ? AND question_id = ? AND is_correct = 1 LIMIT 1');
  const insert = sqlite.prepare(
    'INSERT INTO attempts (id, user_id, question_id, session_id, answer, is_correct, ts_utc_ms, meta) VALUES (@id, @user_id, @question_id, @session_id, @answer, @is_correct, @ts_utc_ms, @meta)',
  );

  const record = sqlite.transaction(
    (sessionId: string, questionId: string, answer: Answer, nowMs: number, settings: AnswerSettings): RecordedAttempt => {
      const session = deps.sessions.load(sessionId);
      if (session.ended_utc_ms !== null) {
        throw new AppFailure('conflict', 'This session has already ended; start a new one to keep practising.', { path: 'sessionId' });
      }
      const question = deps.questions.byId(questionId);
      // A retry session takes its chosen questions; a review session any question the learner has a memory state of;
      // the others, their skill's questions.
      const chosen = deps.sessions.chosenQuestions(session);
      const inSession =
        question !== undefined &&
        (chosen !== null
          ? chosen.includes(questionId)
          : session.mode === 'review'
            ? deps.memory.get(session.user_id, questionId) !== undefined
            : question.skill_id === session.skill_id);
      if (!question || !inSession) {
        const part = chosen !== null ? 'one of the questions of this session' : session.mode === 'review' ? 'due for review' : "part of this session's skill";
        throw new AppFailure('not_found', `Question ${questionId} is not ${part}.`, { path: 'questionId' });
      }
      if (!question.learnable) {
        throw new AppFailure('not_found', notPublishedMessage('question', questionId), { path: 'questionId' });
      }
      if (answeredInSession.get(sessionId, questionId)) {
        throw new AppFailure('conflict', 'This question was already answered in this session.', { path: 'questionId' });
      }
      const { isCorrect, solution } = grade(toStored(question), answer);
      const userId = session.user_id;
      const firstCorrect = isCorrect && !everCorrect.get(userId, questionId);
      const xpEarned = xpForAnswer(isCorrect);

      // The seed keeps UNIQUE(user_id, question_id, ts_utc_ms): two windows answering the same question in the same
      // millisecond would clash, so this answer moves on to the next free millisecond. Inside this IMMEDIATE
      // transaction no other writer can take that millisecond in between; each step passes an existing attempt.
      let tsMs = nowMs;
      while (takenMs.get(userId, questionId, tsMs)) tsMs += 1;

      const attempt: LocalRow<'attempts'> = {
        id: uuidv7(tsMs),
        user_id: userId,
        question_id: questionId,
        session_id: sessionId,
        answer: JSON.stringify(answer),
        is_correct: isCorrect ? 1 : 0,
        ts_utc_ms: tsMs,
        // The XP awarded is recorded with the attempt, so a session's total is read back, never recomputed.
        meta: JSON.stringify({ mode: session.mode, xp: xpEarned }),
      };
      insert.run(attempt);
      deps.outbox.enqueue('attempts', attempt, nowMs);
      deps.progress.recordAnswer({
        userId,
        skillId: question.skill_id,
        isCorrect,
        firstCorrect,
        publishedCount: deps.questions.publishedCount(question.skill_id),
        nowMs,
      });
      deps.memory.review(
        attempt.id,
        { newId: uuidv7(tsMs), userId, questionId, rating: ratingForAnswer(isCorrect), reviewedAtMs: tsMs, desiredRetention: settings.desiredRetention },
        nowMs,
      );
      deps.profile.recordActivity({ userId, nowMs, timeZone: settings.timeZone, rolloverHour: settings.rolloverHour, xpEarned });
      return { attemptId: attempt.id, isCorrect, solution, question };
    },
  );
  return (sessionId: string, questionId: string, answer: Answer, nowMs: number, settings: AnswerSettings): RecordedAttempt =>
    record.immediate(sessionId, questionId, answer, nowMs, settings);
}
