/**
 * Practice and test sessions: serve questions, record attempts, end sessions, and keep the learner's
 * skill progress and profile (XP, level, streak). Each learner write is one transaction with its outbox rows.
 */
import { AppFailure } from '../../../shared/errors';
import type {
  Answer,
  AttemptResult,
  ProfileSummary,
  ProgressOverview,
  ServedQuestion,
  SessionInfo,
  SessionSummary,
} from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import { uuidv7 } from '../ids';
import type { Clock } from '../ports';
import { daysBetween, localDay } from './calendar';
import { grade, startingOrder, type StoredQuestion } from './grading';
import { learnerId } from './learner';
import { createOutboxWriter } from './outbox';

export const XP_PER_CORRECT_ANSWER = 10;
export const XP_PER_LEVEL = 1000;
const HISTORY_LENGTH = 20;
const WEEK_MS = 7 * 86_400_000;

interface SessionRow {
  id: string;
  user_id: string;
  skill_id: string | null;
  mode: 'practice' | 'test';
  started_utc_ms: number;
  ended_utc_ms: number | null;
  score: number | null;
  meta: string | null;
}
interface QuestionRow {
  id: string;
  skill_id: string;
  type: 'mcq_single' | 'reorder_steps';
  payload: string;
  explanation: string | null;
}
interface ProfileRow {
  user_id: string;
  display_name: string | null;
  xp: number;
  streak_count: number;
  last_active_day: string | null;
  last_active_utc_ms: number | null;
  created_utc_ms: number;
  updated_utc_ms: number;
}
interface ProgressRow {
  id: string;
  user_id: string;
  skill_id: string;
  progress: number;
  mastered_count: number;
  attempt_count: number;
  correct_count: number;
  last_attempt_ts: number;
  updated_utc_ms: number;
}

export interface PracticeOptions {
  clock: Clock;
  /** The learner's IANA time zone, read at each write (it can change in Settings). */
  timeZone: () => string;
}

export type Practice = ReturnType<typeof createPractice>;

export function createPractice(sqlite: Sqlite, options: PracticeOptions) {
  const { clock } = options;
  const outbox = createOutboxWriter(sqlite);
  const q = {
    skill: sqlite.prepare('SELECT id, title FROM skills WHERE id = ?'),
    publishedCount: sqlite.prepare('SELECT COUNT(*) FROM questions WHERE skill_id = ? AND is_published = 1').pluck(),
    insertSession: sqlite.prepare(
      'INSERT INTO sessions (id, user_id, skill_id, mode, started_utc_ms, ended_utc_ms, score, meta) VALUES (@id, @user_id, @skill_id, @mode, @started_utc_ms, @ended_utc_ms, @score, @meta)',
    ),
    session: sqlite.prepare('SELECT * FROM sessions WHERE id = ?'),
    sessionCounts: sqlite.prepare(
      'SELECT COUNT(*) AS answered, COALESCE(SUM(is_correct), 0) AS correct FROM attempts WHERE session_id = ?',
    ),
    nextQuestion: sqlite.prepare(
      `SELECT id, skill_id, type, payload, explanation FROM questions q
       WHERE q.skill_id = ? AND q.is_published = 1
         AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.session_id = ? AND a.question_id = q.id)
       ORDER BY q.sort_order, q.id LIMIT 1`,
    ),
    question: sqlite.prepare('SELECT id, skill_id, type, payload, explanation FROM questions WHERE id = ?'),
    answeredInSession: sqlite.prepare('SELECT 1 FROM attempts WHERE session_id = ? AND question_id = ?'),
    everCorrect: sqlite.prepare('SELECT 1 FROM attempts WHERE user_id = ? AND question_id = ? AND is_correct = 1 LIMIT 1'),
    insertAttempt: sqlite.prepare(
      'INSERT INTO attempts (id, user_id, question_id, session_id, answer, is_correct, ts_utc_ms, meta) VALUES (@id, @user_id, @question_id, @session_id, @answer, @is_correct, @ts_utc_ms, @meta)',
    ),
    progress: sqlite.prepare('SELECT * FROM skill_progress WHERE user_id = ? AND skill_id = ?'),
    upsertProgress: sqlite.prepare(
      `INSERT INTO skill_progress (id, user_id, skill_id, progress, mastered_count, attempt_count, correct_count, last_attempt_ts, updated_utc_ms)
       VALUES (@id, @user_id, @skill_id, @progress, @mastered_count, @attempt_count, @correct_count, @last_attempt_ts, @updated_utc_ms)
       ON CONFLICT (user_id, skill_id) DO UPDATE SET progress = excluded.progress, mastered_count = excluded.mastered_count,
         attempt_count = excluded.attempt_count, correct_count = excluded.correct_count,
         last_attempt_ts = excluded.last_attempt_ts, updated_utc_ms = excluded.updated_utc_ms`,
    ),
    profile: sqlite.prepare('SELECT * FROM profile WHERE user_id = ?'),
    upsertProfile: sqlite.prepare(
      `INSERT INTO profile (user_id, display_name, xp, streak_count, last_active_day, last_active_utc_ms, created_utc_ms, updated_utc_ms)
       VALUES (@user_id, @display_name, @xp, @streak_count, @last_active_day, @last_active_utc_ms, @created_utc_ms, @updated_utc_ms)
       ON CONFLICT (user_id) DO UPDATE SET xp = excluded.xp, streak_count = excluded.streak_count,
         last_active_day = excluded.last_active_day, last_active_utc_ms = excluded.last_active_utc_ms, updated_utc_ms = excluded.updated_utc_ms`,
    ),
    endSession: sqlite.prepare('UPDATE sessions SET ended_utc_ms = ?, score = ? WHERE id = ?'),
    sessionsSince: sqlite
      .prepare('SELECT COUNT(*) FROM sessions WHERE user_id = ? AND ended_utc_ms >= ?')
      .pluck(),
    skillProgressList: sqlite.prepare(
      `SELECT sp.skill_id, sp.progress, sp.attempt_count, sp.correct_count, sp.last_attempt_ts,
              COALESCE(s.title, 'Removed skill') AS skill_title, COALESCE(d.title, '') AS domain_title
       FROM skill_progress sp LEFT JOIN skills s ON s.id = sp.skill_id LEFT JOIN domains d ON d.id = s.domain_id
       WHERE sp.user_id = ? ORDER BY sp.last_attempt_ts DESC`,
    ),
    history: sqlite.prepare(
      `SELECT se.id, se.mode, se.score, se.started_utc_ms, se.ended_utc_ms, COALESCE(s.title, 'Removed skill') AS skill_title
       FROM sessions se LEFT JOIN skills s ON s.id = se.skill_id
       WHERE se.user_id = ? ORDER BY se.started_utc_ms DESC LIMIT ${HISTORY_LENGTH}`,
    ),
  };

  function loadSession(sessionId: string): SessionRow {
    const row = q.session.get(sessionId) as SessionRow | undefined;
    if (!row) throw new AppFailure('not_found', `No practice session with id ${sessionId}.`, { path: 'sessionId' });
    return row;
  }

  function sessionInfo(row: SessionRow): SessionInfo {
    const counts = q.sessionCounts.get(row.id) as { answered: number; correct: number };
    const meta = parseJson<{ question_count?: number; skill_title?: string }>(row.meta) ?? {};
    return {
      id: row.id,
      skillId: row.skill_id ?? '',
      skillTitle: meta.skill_title ?? '',
      mode: row.mode,
      questionCount: meta.question_count ?? counts.answered,
      answeredCount: counts.answered,
      correctCount: counts.correct,
      startedUtcMs: row.started_utc_ms,
      endedUtcMs: row.ended_utc_ms,
    };
  }

  function profileSummary(row: ProfileRow | undefined): ProfileSummary {
    const xp = row?.xp ?? 0;
    return {
      xp,
      level: Math.floor(xp / XP_PER_LEVEL),
      streak: row?.streak_count ?? 0,
      lastActiveUtcMs: row?.last_active_utc_ms ?? null,
    };
  }

  const startTx = sqlite.transaction((skillId: string, mode: 'practice' | 'test'): SessionRow => {
    const skill = q.skill.get(skillId) as { id: string; title: string } | undefined;
    if (!skill) throw new AppFailure('not_found', `No skill with id ${skillId}.`, { path: 'skillId' });
    const questionCount = q.publishedCount.get(skillId) as number;
    if (questionCount === 0) {
      throw new AppFailure('not_found', `The skill "${skill.title}" has no published questions yet.`, { path: 'skillId' });
    }
    const now = clock.now();
    const row: SessionRow = {
      id: uuidv7(now),
      user_id: learnerId(sqlite, now),
      skill_id: skillId,
      mode,
      started_utc_ms: now,
      ended_utc_ms: null,
      score: null,
      meta: JSON.stringify({ mode, question_count: questionCount, skill_title: skill.title }),
    };
    q.insertSession.run(row);
    outbox.enqueue('sessions', row.id, { ...row }, now);
    return row;
  });

  const answerTx = sqlite.transaction(
    (sessionId: string, questionId: string, answer: Answer): { attemptId: string; isCorrect: boolean; solution: Answer; question: QuestionRow; session: SessionRow } => {
      const session = loadSession(sessionId);
      if (session.ended_utc_ms !== null) {
        throw new AppFailure('conflict', 'This session has already ended; start a new one to keep practising.', { path: 'sessionId' });
      }
      const question = q.question.get(questionId) as QuestionRow | undefined;
      if (!question || question.skill_id !== session.skill_id) {
        throw new AppFailure('not_found', `Question ${questionId} is not part of this session's skill.`, { path: 'questionId' });
      }
      if (q.answeredInSession.get(sessionId, questionId)) {
        throw new AppFailure('conflict', 'This question was already answered in this session.', { path: 'questionId' });
      }
      const { isCorrect, solution } = grade(toStored(question), answer);
      const now = clock.now();
      const userId = session.user_id;
      const firstCorrect = isCorrect && !q.everCorrect.get(userId, questionId);

      const attempt = {
        id: uuidv7(now),
        user_id: userId,
        question_id: questionId,
        session_id: sessionId,
        answer: JSON.stringify(answer),
        is_correct: isCorrect ? 1 : 0,
        ts_utc_ms: now,
        meta: JSON.stringify({ mode: session.mode }),
      };
      q.insertAttempt.run(attempt);
      outbox.enqueue('attempts', attempt.id, { ...attempt, is_correct: isCorrect }, now);

      const skillId = question.skill_id;
      const previous = q.progress.get(userId, skillId) as ProgressRow | undefined;
      const mastered = (previous?.mastered_count ?? 0) + (firstCorrect ? 1 : 0);
      const total = Math.max(1, q.publishedCount.get(skillId) as number);
      const progress: ProgressRow = {
        id: previous?.id ?? uuidv7(now),
        user_id: userId,
        skill_id: skillId,
        // Never regress: content removed later must not lower what was earned.
        progress: Math.max(previous?.progress ?? 0, Math.min(1, mastered / total)),
        mastered_count: mastered,
        attempt_count: (previous?.attempt_count ?? 0) + 1,
        correct_count: (previous?.correct_count ?? 0) + (isCorrect ? 1 : 0),
        last_attempt_ts: now,
        updated_utc_ms: now,
      };
      q.upsertProgress.run(progress);
      outbox.enqueue('skill_progress', progress.id, { ...progress }, now);

      const profile = nextProfile(q.profile.get(userId) as ProfileRow | undefined, userId, now, isCorrect);
      q.upsertProfile.run(profile);
      outbox.enqueue('profile', userId, { ...profile }, now);

      return { attemptId: attempt.id, isCorrect, solution, question, session };
    },
  );

  function nextProfile(previous: ProfileRow | undefined, userId: string, now: number, isCorrect: boolean): ProfileRow {
    const today = localDay(now, options.timeZone());
    let streak = previous?.streak_count ?? 0;
    const lastDay = previous?.last_active_day ?? null;
    if (lastDay === null) streak = 1;
    else {
      const gap = daysBetween(lastDay, today);
      if (gap === 1) streak += 1;
      else if (gap > 1) streak = 1;
      // gap 0: same day; gap < 0: the zone changed backwards, keep the streak.
    }
    return {
      user_id: userId,
      display_name: previous?.display_name ?? null,
      xp: (previous?.xp ?? 0) + (isCorrect ? XP_PER_CORRECT_ANSWER : 0),
      streak_count: Math.max(streak, 1),
      last_active_day: lastDay !== null && daysBetween(lastDay, today) < 0 ? lastDay : today,
      last_active_utc_ms: now,
      created_utc_ms: previous?.created_utc_ms ?? now,
      updated_utc_ms: now,
    };
  }

  const endTx = sqlite.transaction((sessionId: string): SessionRow => {
    const session = loadSession(sessionId);
    if (session.ended_utc_ms !== null) return session;
    const info = sessionInfo(session);
    const now = clock.now();
    const score = info.questionCount > 0 ? info.correctCount / info.questionCount : 0;
    q.endSession.run(now, score, sessionId);
    const ended: SessionRow = { ...session, ended_utc_ms: now, score };
    outbox.enqueue('sessions', ended.id, { ...ended }, now);
    return ended;
  });

  return {
    startSession(skillId: string, mode: 'practice' | 'test'): SessionInfo {
      return sessionInfo(startTx.immediate(skillId, mode));
    },

    nextQuestion(sessionId: string): { question: ServedQuestion | null; session: SessionInfo } {
      const session = loadSession(sessionId);
      const info = sessionInfo(session);
      if (session.ended_utc_ms !== null) return { question: null, session: info };
      const row = q.nextQuestion.get(session.skill_id, sessionId) as QuestionRow | undefined;
      return { question: row ? serve(row, sessionId) : null, session: info };
    },

    recordAttempt(sessionId: string, questionId: string, answer: Answer): AttemptResult {
      const result = answerTx.immediate(sessionId, questionId, answer);
      return {
        attemptId: result.attemptId,
        isCorrect: result.isCorrect,
        solution: result.solution,
        explanation: parseJson<{ body: string }>(result.question.explanation),
        session: sessionInfo(loadSession(sessionId)),
      };
    },

    endSession(sessionId: string): SessionSummary {
      const ended = endTx.immediate(sessionId);
      const info = sessionInfo(ended);
      return {
        session: info,
        score: ended.score ?? 0,
        xpGained: info.correctCount * XP_PER_CORRECT_ANSWER,
        profile: profileSummary(q.profile.get(ended.user_id) as ProfileRow | undefined),
      };
    },

    overview(): ProgressOverview {
      const now = clock.now();
      const userId = learnerId(sqlite, now);
      const skills = q.skillProgressList.all(userId) as Array<{
        skill_id: string;
        progress: number;
        attempt_count: number;
        correct_count: number;
        last_attempt_ts: number;
        skill_title: string;
        domain_title: string;
      }>;
      const history = q.history.all(userId) as Array<{
        id: string;
        mode: 'practice' | 'test';
        score: number | null;
        started_utc_ms: number;
        ended_utc_ms: number | null;
        skill_title: string;
      }>;
      return {
        profile: profileSummary(q.profile.get(userId) as ProfileRow | undefined),
        sessionsThisWeek: q.sessionsSince.get(userId, now - WEEK_MS) as number,
        skills: skills.map((s) => ({
          skillId: s.skill_id,
          skillTitle: s.skill_title,
          domainTitle: s.domain_title,
          progress: s.progress,
          attemptCount: s.attempt_count,
          correctCount: s.correct_count,
          lastAttemptUtcMs: s.last_attempt_ts,
        })),
        history: history.map((h) => ({
          sessionId: h.id,
          skillTitle: h.skill_title,
          mode: h.mode,
          score: h.score,
          startedUtcMs: h.started_utc_ms,
          endedUtcMs: h.ended_utc_ms,
        })),
      };
    },
  };
}

function toStored(row: QuestionRow): StoredQuestion {
  const payload = parseJson<unknown>(row.payload);
  if (payload === null || typeof payload !== 'object') {
    throw new AppFailure('database_error', `Question ${row.id} has an unreadable payload.`);
  }
  return { id: row.id, type: row.type, payload } as StoredQuestion;
}

function serve(row: QuestionRow, sessionId: string): ServedQuestion {
  const stored = toStored(row);
  if (stored.type === 'mcq_single') {
    return { type: 'mcq_single', id: row.id, prompt: stored.payload.prompt, choices: stored.payload.choices };
  }
  return {
    type: 'reorder_steps',
    id: row.id,
    prompt: stored.payload.prompt ?? 'Put the steps in the right order.',
    steps: stored.payload.steps,
    initialOrder: startingOrder(stored.payload.steps.length, stored.payload.solution, `${sessionId}:${row.id}`),
  };
}

function parseJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
