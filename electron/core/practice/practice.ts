/**
 * Practice and test sessions, as the app's handlers call them: serve questions, record attempts, end sessions, show
 * progress. Each job lives in its own file; this one wires them and tells the host after each committed learner write.
 */
import type { Answer, AttemptResult, ProgressOverview, ServedQuestion, SessionInfo, SessionSummary } from '../../../shared/ipc/contract';
import { AppFailure } from '../../../shared/errors';
import { notPublishedMessage } from '../content/learnable';
import type { Sqlite } from '../db/open';
import { currentLearnerId } from '../learner/identity';
import { createLearnerProfile, profileSummary } from '../learner/profile';
import type { Clock } from '../ports';
import { createOutboxWriter } from '../sync/outbox-writer';
import { createAttemptRecorder } from './attempts';
import { parseJson } from './json';
import { createOverview } from './overview';
import { createQuestionQueries, serve } from './questions';
import { createSessions, type SessionMode } from './sessions';
import { createSkillProgressStore } from './skill-progress';

export interface PracticeOptions {
  clock: Clock;
  /** The learner's IANA time zone, read at each write (it can change in Settings). */
  timeZone: () => string;
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
  const recordAttempt = createAttemptRecorder(sqlite, {
    outbox,
    questions,
    sessions,
    profile,
    progress: createSkillProgressStore(sqlite, outbox),
  });
  const overview = createOverview(sqlite, profile);
  const written = () => options.onLearnerWrite?.();

  return {
    startSession(skillId: string, mode: SessionMode): SessionInfo {
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
      const row = questions.nextUnanswered(session.skill_id, sessionId);
      return { question: row ? serve(row, sessionId) : null, session: info };
    },

    recordAttempt(sessionId: string, questionId: string, answer: Answer): AttemptResult {
      const result = recordAttempt(sessionId, questionId, answer, clock.now(), options.timeZone());
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
      return {
        session: sessions.info(ended),
        score: ended.score ?? 0,
        xpGained: sessions.xpEarned(sessionId),
        profile: profileSummary(profile.get(ended.user_id)),
      };
    },

    overview(): ProgressOverview {
      return overview(currentLearnerId(sqlite), clock.now());
    },
  };
}
