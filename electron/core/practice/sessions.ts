/** Practice and test sessions: start, end, and what the learner is shown about one. */
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

export type SessionMode = 'practice' | 'test';
export type SessionRow = LocalRow<'sessions'> & { mode: SessionMode };

interface SessionMeta {
  question_count?: number;
  skill_title?: string;
}

export interface Sessions {
  /** The session, or a not_found failure naming `sessionId`. */
  load(sessionId: string): SessionRow;
  info(row: SessionRow): SessionInfo;
  /** XP the session's answers earned, as recorded with each attempt. */
  xpEarned(sessionId: string): number;
  /** Starts a session on a learnable skill with learnable questions (one transaction with its outbox row). */
  start(skillId: string, mode: SessionMode, nowMs: number): SessionRow;
  /** Ends it with its score; ending an ended session changes nothing (`changed` false). */
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
      skillId: row.skill_id ?? '',
      skillTitle: meta.skill_title ?? '',
      mode: row.mode,
      questionCount: meta.question_count ?? counts.answered,
      answeredCount: counts.answered,
      correctCount: counts.correct,
      startedUtcMs: row.started_utc_ms,
      endedUtcMs: row.ended_utc_ms,
    };
  };

  const start = sqlite.transaction((skillId: string, mode: SessionMode, nowMs: number): SessionRow => {
    const skill = questions.skill(skillId);
    if (!skill) throw new AppFailure('not_found', `No skill with id ${skillId}.`, { path: 'skillId' });
    if (!skill.learnable) throw new AppFailure('not_found', notPublishedMessage('skill', `"${skill.title}"`), { path: 'skillId' });
    const questionCount = questions.publishedCount(skillId);
    if (questionCount === 0) {
      throw new AppFailure('not_found', `The skill "${skill.title}" has no published questions yet.`, { path: 'skillId' });
    }
    const meta: SessionMeta & { mode: SessionMode } = { mode, question_count: questionCount, skill_title: skill.title };
    const row: SessionRow = {
      id: uuidv7(nowMs),
      user_id: ensureLearnerId(sqlite, nowMs),
      skill_id: skillId,
      mode,
      started_utc_ms: nowMs,
      ended_utc_ms: null,
      score: null,
      meta: JSON.stringify(meta),
    };
    q.insert.run(row);
    outbox.enqueue('sessions', row, nowMs);
    return row;
  });

  const end = sqlite.transaction((sessionId: string, nowMs: number): { session: SessionRow; changed: boolean } => {
    const session = load(sessionId);
    if (session.ended_utc_ms !== null) return { session, changed: false };
    const { questionCount, correctCount } = info(session);
    const score = questionCount > 0 ? correctCount / questionCount : 0;
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
    end: (sessionId, nowMs) => end.immediate(sessionId, nowMs),
  };
}
