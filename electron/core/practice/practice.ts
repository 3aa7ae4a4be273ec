/**
 * Practice, test and review sessions, as the app's handlers call them: serve questions, record attempts, end sessions,
 * show progress and what is due today. Each job lives in its own file; this one wires them and tells the host after each committed learner write.
 */
import type {
  Answer,
  AttemptResult,
  ProgressOverview,
  Recall,
  ReviewRating,
  ServedQuestion,
  SessionInfo,
  SessionSummary,
  Settings,
  Today,
} from '../../../shared/ipc/contract';
import { AppFailure } from '../../../shared/errors';
import { dailyLimitReachedText } from '../../../shared/review-limit';
import { notPublishedMessage } from '../content/learnable';
import type { Sqlite } from '../db/open';
import { studyDayBounds } from '../learner/calendar';
import { currentLearnerId } from '../learner/identity';
import { createMemoryStates } from '../learner/memory-states';
import { createLearnerProfile, profileSummary } from '../learner/profile';
import { defaultSettings, type Clock } from '../ports';
import { createOutboxWriter } from '../sync/outbox-writer';
import { createAttemptRecorder, type AnswerSettings } from './attempts';
import { parseJson } from './json';
import { createOverview } from './overview';
import { createQuestionQueries, serve } from './questions';
import { createRecall } from './recall';
import { createReviewQueue, reviewsLeftToday } from './review';
import { createSessions, type SkillSessionMode } from './sessions';
import { createSkillProgressStore } from './skill-progress';
import { createAnsweredList } from './summary';
import { createToday } from './today';

/** The learner's settings that shape studying: when the study day rolls over, FSRS's retention, the daily limit. */
export type StudySettings = Pick<Settings, 'rolloverHour' | 'desiredRetention' | 'dailyReviewLimit'>;

export interface PracticeOptions {
  clock: Clock;
  /** The learner's IANA time zone, read at each write (it can change in Settings). */
  timeZone: () => string;
  /** Read at each use like the zone; the defaults when not given. */
  studySettings?: () => StudySettings;
  /** Called after each committed learner write (its outbox rows are queued), e.g. to schedule a push. */
  onLearnerWrite?: () => void;
}

export type Practice = ReturnType<typeof createPractice>;

export function createPractice(sqlite: Sqlite, options: PracticeOptions) {
  const { clock } = options;
  const outbox = createOutboxWriter(sqlite);
  const questions = createQuestionQueries(sqlite);
  const sessions = createSessions(sqlite, outbox, questions);
  const profile = createLearnerProfile(sqlite, outbox);
  const memory = createMemoryStates(sqlite, outbox);
  const review = createReviewQueue(sqlite);
  const recordAttempt = createAttemptRecorder(sqlite, {
    outbox,
    questions,
    sessions,
    profile,
    memory,
    progress: createSkillProgressStore(sqlite, outbox),
  });
  const today = createToday(sqlite, { sessions, review, profile });
  const recall = createRecall(sqlite);
  const answeredList = createAnsweredList(sqlite);
  const settings = (): AnswerSettings & StudySettings => {
    const { rolloverHour, desiredRetention, dailyReviewLimit } = options.studySettings?.() ?? defaultSettings;
    return { timeZone: options.timeZone(), rolloverHour, desiredRetention, dailyReviewLimit };
  };
  // The study day's bounds are reused until the day or the settings change (Intl work costs tens of microseconds).
  let day: { timeZone: string; rolloverHour: number; bounds: ReturnType<typeof studyDayBounds> } | null = null;
  const studyDayOf = (nowMs: number) => {
    const { timeZone, rolloverHour } = settings();
    if (!day || day.timeZone !== timeZone || day.rolloverHour !== rolloverHour || nowMs < day.bounds.startMs || nowMs >= day.bounds.endMs) {
      day = { timeZone, rolloverHour, bounds: studyDayBounds(nowMs, timeZone, rolloverHour) };
    }
    return day.bounds;
  };
  const rerate = sqlite.transaction((attemptId: string, rating: ReviewRating, nowMs: number) => {
    const attempt = review.ratableAnswer(attemptId);
    return memory.rerate(attempt, rating, settings().desiredRetention, nowMs);
  });
  const overview = createOverview(sqlite, profile);
  const written = () => options.onLearnerWrite?.();

  return {
    startSession(skillId: string, mode: SkillSessionMode): SessionInfo {
      const started = sessions.start(skillId, mode, clock.now());
      written();
      return sessions.info(started);
    },

    nextQuestion(sessionId: string): { question: ServedQuestion | null; session: SessionInfo } {
      const session = sessions.load(sessionId);
      const info = sessions.info(session);
      if (session.ended_utc_ms !== null) return { question: null, session: info };
      // A skill made a draft since the session started serves nothing more (its questions are no longer learnable).
      const skill = session.skill_id === null ? undefined : questions.skill(session.skill_id);
      if (skill && !skill.learnable) {
        throw new AppFailure('not_found', notPublishedMessage('skill', `"${skill.title}"`), { path: 'sessionId' });
      }
      const chosen = sessions.chosenQuestions(session);
      if (chosen !== null) {
        const answered = new Set(answeredList(sessionId).map((a) => a.questionId));
        const nextId = chosen.find((questionId) => !answered.has(questionId));
        const row = nextId === undefined ? undefined : questions.byId(nextId);
        return { question: row ? serve(row, sessionId) : null, session: info };
      }
      if (session.mode === 'review') {
        if (info.answeredCount >= info.questionCount) return { question: null, session: info };
        const row = review.nextDue(session.user_id, studyDayOf(clock.now()).endMs, sessionId);
        return { question: row ? serve(row, sessionId) : null, session: info };
      }
      const row = questions.nextUnanswered(session.skill_id, sessionId);
      return { question: row ? serve(row, sessionId) : null, session: info };
    },

    recordAttempt(sessionId: string, questionId: string, answer: Answer): AttemptResult {
      const result = recordAttempt(sessionId, questionId, answer, clock.now(), settings());
      written();
      return {
        attemptId: result.attemptId,
        isCorrect: result.isCorrect,
        solution: result.solution,
        explanation: parseJson<{ body: string }>(result.question.explanation),
        session: sessions.info(sessions.load(sessionId)),
      };
    },

    endSession(sessionId: string): SessionSummary {
      const { session: ended, changed } = sessions.end(sessionId, clock.now());
      if (changed) written();
      const info = sessions.info(ended);
      return {
        session: info,
        score: ended.score ?? 0,
        unansweredCount: Math.max(0, info.questionCount - info.answeredCount),
        answers: answeredList(sessionId),
        xpGained: sessions.xpEarned(sessionId),
        profile: profileSummary(profile.get(ended.user_id)),
      };
    },

    startReview(): SessionInfo {
      const nowMs = clock.now();
      const { startMs, endMs } = studyDayOf(nowMs);
      const limit = settings().dailyReviewLimit;
      const started = sessions.startReview(
        nowMs,
        (userId) => reviewsLeftToday(review.dueCount(userId, endMs), review.reviewedSince(userId, startMs), limit),
        review.dueCount(currentLearnerId(sqlite), endMs) > 0
          ? dailyLimitReachedText(limit)
          : 'Nothing is due for review today. Practise a skill, and its questions come back here when they are due.',
      );
      written();
      return sessions.info(started);
    },

    retry(fromSessionId: string): SessionInfo {
      const started = sessions.startRetry(fromSessionId, clock.now());
      written();
      return sessions.info(started);
    },

    /** Hard or Easy instead of Good for the correct review answer just given. */
    rate(attemptId: string, rating: ReviewRating): { nextDueUtcMs: number } {
      const state = rerate.immediate(attemptId, rating, clock.now());
      written();
      return { nextDueUtcMs: state.due_utc_ms };
    },

    recall(skillId: string): Recall {
      return recall(currentLearnerId(sqlite), skillId, clock.now());
    },

    today(): Today {
      const nowMs = clock.now();
      return today(currentLearnerId(sqlite), nowMs, { ...settings(), day: studyDayOf(nowMs) });
    },

    overview(): ProgressOverview {
      return overview(currentLearnerId(sqlite), clock.now(), settings());
    },
  };
}
