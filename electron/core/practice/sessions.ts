/** Practice, test and review sessions: start, end, and what the learner is shown about one. */
import { AppFailure } from '../../../shared/errors';
import type { SessionInfo } from '../../../shared/ipc/contract';
import { notPublishedMessage } from '../content/learnable';
import type { Sqlite } from '../db/open';
import { uuidv7 } from '../ids';
import { ensureLearnerId } from '../learner/identity';
import type { OutboxWriter } from '../sync/outbox-writer';
import type { LocalRow } from '../sync/registry';
import { parseJson } from './json';
import type { QuestionQueries } from './questions';

export type SessionMode = 'practice' | 'test' | 'review';
/** The modes of a session on one skill; a review session spans every skill. */
export type SkillSessionMode = Exclude<SessionMode, 'review'>;
export type SessionRow = LocalRow<'sessions'> & { mode: SessionMode };

interface SessionMeta {
  question_count?: number;
  skill_title?: string;
  /** A session of chosen questions (the missed ones of an earlier session), served in this order. */
  question_ids?: string[];
}

export interface Sessions {
  /** The session, or a not_found failure naming `sessionId`. */
  load(sessionId: string): SessionRow;
  info(row: SessionRow): SessionInfo;
  /** XP the session's answers earned, as recorded with each attempt. */
  xpEarned(sessionId: string): number;
  /** Starts a session on a learnable skill with learnable questions (one transaction with its outbox row). */
  start(skillId: string, mode: SkillSessionMode, nowMs: number): SessionRow;
  /**
   * Starts a review session of `questionCount(userId)` due questions across all skills (one transaction, so the count
   * is the one at the start); refuses with `nothingDue`'s message when it is 0.
   */
  startReview(nowMs: number, questionCount: (userId: string) => number, nothingDue: string): SessionRow;
  /**
   * Starts a practice session of the questions answered wrongly in session `fromSessionId`, in the order they were
   * answered (across skills for a review session); refuses when none was missed.
   */
  startRetry(fromSessionId: string, nowMs: number): SessionRow;
  /** The chosen questions of a retry session, or null for a session of a skill or of due reviews. */
  chosenQuestions(row: SessionRow): string[] | null;
  /** Ends it with its score (correct of answered); ending an ended session changes nothing (`changed` false). */
  end(sessionId: string, nowMs: number): { session: SessionRow; changed: boolean };
}

export function createSessions(sqlite: Sqlite, outbox: OutboxWriter, questions: QuestionQueries): Sessions {
  const q = {
    insert: sqlite.prepare(
      'INSERT INTO sessions (id, user_id, skill_id, mode, started_utc_ms, ended_utc_ms, score, meta) VALUES (@id, @user_id, @skill_id, @mode, @started_utc_ms, @ended_utc_ms, @score, @meta)',
    ),
    byId: sqlite.prepare('SELECT * FROM sessions WHERE id = ?'),
    counts: sqlite.prepare(
      'SELECT COUNT(*) AS answered, COALESCE(SUM(is_correct), 0) AS correct FROM attempts WHERE session_id = ?',
    ),
    xpEarned: sqlite
      .prepare(`SELECT COALESCE(SUM(json_extract(meta, '$.xp')), 0) FROM attempts WHERE session_id = ? AND json_valid(meta)`)
      .pluck(),
    end: sqlite.prepare('UPDATE sessions SET ended_utc_ms = ?, score = ? WHERE id = ?'),
  };

  const load = (sessionId: string): SessionRow => {
    const row = q.byId.get(sessionId) as SessionRow | undefined;
    if (!row) throw new AppFailure('not_found', `No practice session with id ${sessionId}.`, { path: 'sessionId' });
    return row;
  };

  const info = (row: SessionRow): SessionInfo => {
    const counts = q.counts.get(row.id) as { answered: number; correct: number };
    const meta = parseJson<SessionMeta>(row.meta) ?? {};
    return {
      id: row.id,
      skillId: row.skill_id,
      skillTitle: meta.skill_title ?? '',
      mode: row.mode,
      questionCount: meta.question_count ?? counts.answered,
      answeredCount: counts.answered,
      correctCount: counts.correct,
      startedUtcMs: row.started_utc_ms,
      endedUtcMs: row.ended_utc_ms,
    };
  };

  const insertNew = (userId: string, skillId: string | null, mode: SessionMode, meta: SessionMeta, nowMs: number): SessionRow => {
    const row: SessionRow = {
      id: uuidv7(nowMs),
      user_id: userId,
      skill_id: skillId,
      mode,
      started_utc_ms: nowMs,
      ended_utc_ms: null,
      score: null,
      meta: JSON.stringify({ mode, ...meta }),
    };
    q.insert.run(row);
    outbox.enqueue('sessions', row, nowMs);
    return row;
  };

  const start = sqlite.transaction((skillId: string, mode: SkillSessionMode, nowMs: number): SessionRow => {
    const skill = questions.skill(skillId);
    if (!skill) throw new AppFailure('not_found', `No skill with id ${skillId}.`, { path: 'skillId' });
    if (!skill.learnable) throw new AppFailure('not_found', notPublishedMessage('skill', `"${skill.title}"`), { path: 'skillId' });
    const questionCount = questions.publishedCount(skillId);
    if (questionCount === 0) {
      throw new AppFailure('not_found', `The skill "${skill.title}" has no published questions yet.`, { path: 'skillId' });
    }
    return insertNew(ensureLearnerId(sqlite, nowMs), skillId, mode, { question_count: questionCount, skill_title: skill.title }, nowMs);
  });

  const missed = sqlite.prepare('SELECT question_id FROM attempts WHERE session_id = ? AND is_correct = 0 ORDER BY ts_utc_ms, id').pluck();
  const startRetry = sqlite.transaction((fromSessionId: string, nowMs: number): SessionRow => {
    const from = load(fromSessionId);
    const questionIds = missed.all(fromSessionId) as string[];
    if (questionIds.length === 0) {
      throw new AppFailure('conflict', 'No question was missed in that session.', { path: 'sessionId' });
    }
    const title = parseJson<SessionMeta>(from.meta)?.skill_title ?? '';
    return insertNew(from.user_id, from.skill_id, 'practice', { question_count: questionIds.length, skill_title: title, question_ids: questionIds }, nowMs);
  });

  const startReview = sqlite.transaction((nowMs: number, questionCount: (userId: string) => number, nothingDue: string): SessionRow => {
    const userId = ensureLearnerId(sqlite, nowMs);
    const count = questionCount(userId);
    if (count === 0) throw new AppFailure('not_found', nothingDue);
    return insertNew(userId, null, 'review', { question_count: count, skill_title: 'Review' }, nowMs);
  });

  const end = sqlite.transaction((sessionId: string, nowMs: number): { session: SessionRow; changed: boolean } => {
    const session = load(sessionId);
    if (session.ended_utc_ms !== null) return { session, changed: false };
    const { answeredCount, correctCount } = info(session);
    // Correct of answered: questions left unanswered when the learner ended early are not counted as wrong.
    const score = answeredCount > 0 ? correctCount / answeredCount : 0;
    q.end.run(nowMs, score, sessionId);
    const ended: SessionRow = { ...session, ended_utc_ms: nowMs, score };
    outbox.enqueue('sessions', ended, nowMs);
    return { session: ended, changed: true };
  });

  return {
    load,
    info,
    xpEarned: (sessionId) => q.xpEarned.get(sessionId) as number,
    start: (skillId, mode, nowMs) => start.immediate(skillId, mode, nowMs),
    startRetry: (fromSessionId, nowMs) => startRetry.immediate(fromSessionId, nowMs),
    chosenQuestions: (row) => parseJson<SessionMeta>(row.meta)?.question_ids ?? null,
    startReview: (nowMs, questionCount, nothingDue) => startReview.immediate(nowMs, questionCount, nothingDue),
    end: (sessionId, nowMs) => end.immediate(sessionId, nowMs),
  };
}
