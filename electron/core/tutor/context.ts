/**
 * What the tutor sees, built by core: the current question (prompt, choices or steps), the learner's answers to it
 * and whether they were right, the skill's progress, recent sessions and the streak. The solution and explanation are
 * in it only once the learner has answered; before that the guard keeps them (GuardSecret) and the model never gets them.
 */
import { AppFailure } from '../../../shared/errors';
import type { Answer, TutorContext } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import { toStored, type QuestionRow } from '../practice/questions';
import { parseJson } from '../practice/json';
import type { GuardSecret } from './guard';

// The prompt and the system message are one rule with the edge function, which renders the same context on the server.
export { SOCRATIC_PROMPT, systemMessage } from '../../../supabase/functions/_shared/tutor-prompt';

export interface QuestionRef {
  sessionId: string | null;
  questionId: string;
}

export interface BuiltContext {
  context: TutorContext;
  /** What the guard must hold back, or null when there is nothing to hide (no question, or answered). */
  secret: GuardSecret | null;
  skillDescription: string | null;
}

const RECENT_SESSIONS = 5;

export function buildContext(sqlite: Sqlite, ref: QuestionRef | null, skillId: string | null, userId: string | null, nowMs: number): BuiltContext {
  let question: TutorContext['question'] = null;
  let secret: GuardSecret | null = null;
  let questionSkill = skillId;
  if (ref) {
    const row = sqlite.prepare('SELECT id, skill_id, type, payload, explanation FROM questions WHERE id = ?').get(ref.questionId) as QuestionRow | undefined;
    if (!row) throw new AppFailure('not_found', `Question ${ref.questionId} is not on this device.`);
    const stored = toStored(row);
    questionSkill = row.skill_id;
    const session = ref.sessionId
      ? (sqlite.prepare('SELECT mode FROM sessions WHERE id = ?').get(ref.sessionId) as { mode: 'practice' | 'test' } | undefined)
      : undefined;
    const attempts = (
      sqlite
        .prepare('SELECT answer, is_correct, ts_utc_ms FROM attempts WHERE question_id = ? AND (? IS NULL OR user_id = ?) ORDER BY ts_utc_ms')
        .all(row.id, userId, userId) as Array<{ answer: string; is_correct: number | null; ts_utc_ms: number }>
    ).map((a) => ({ answer: parseJson<Answer>(a.answer) ?? { choice: 0 }, isCorrect: a.is_correct === null ? null : a.is_correct === 1, utcMs: a.ts_utc_ms }));
    // Answered in the session the chat is about (or at all, for a chat without a session).
    const answered = ref.sessionId
      ? (sqlite.prepare('SELECT EXISTS (SELECT 1 FROM attempts WHERE session_id = ? AND question_id = ?)').pluck().get(ref.sessionId, row.id) as number) === 1
      : attempts.length > 0;
    const explanation = parseJson<{ body?: string }>(row.explanation)?.body ?? null;
    const base = {
      id: row.id,
      type: stored.type,
      prompt: stored.payload.prompt ?? 'Put the steps in the right order.',
      sessionId: ref.sessionId,
      sessionMode: session?.mode === 'test' ? ('test' as const) : session ? ('practice' as const) : null,
      attempts,
      answered,
    };
    if (stored.type === 'mcq_single') {
      question = { ...base, choices: stored.payload.choices, ...(answered ? { solution: { choice: stored.payload.solution_index }, explanation } : {}) };
      if (!answered) secret = { type: 'mcq_single', choices: stored.payload.choices, correctIndex: stored.payload.solution_index };
    } else {
      question = { ...base, steps: stored.payload.steps, ...(answered ? { solution: { order: stored.payload.solution }, explanation } : {}) };
      if (!answered) secret = { type: 'reorder_steps', steps: stored.payload.steps, order: stored.payload.solution };
    }
  }
  const skillRow = questionSkill
    ? (sqlite.prepare('SELECT id, title, description FROM skills WHERE id = ?').get(questionSkill) as { id: string; title: string; description: string | null } | undefined)
    : undefined;
  const progress = skillRow
    ? (sqlite
        .prepare('SELECT progress, attempt_count, correct_count FROM skill_progress WHERE skill_id = ? AND (? IS NULL OR user_id = ?)')
        .get(skillRow.id, userId, userId) as { progress: number; attempt_count: number; correct_count: number } | undefined)
    : undefined;
  const recentSessions = (
    sqlite
      .prepare(
        `SELECT COALESCE(s.title, 'Unknown skill') AS skillTitle, x.mode, x.score, x.started_utc_ms AS startedUtcMs
         FROM sessions x LEFT JOIN skills s ON s.id = x.skill_id WHERE (? IS NULL OR x.user_id = ?) ORDER BY x.started_utc_ms DESC LIMIT ?`,
      )
      .all(userId, userId, RECENT_SESSIONS) as Array<{ skillTitle: string; mode: string; score: number | null; startedUtcMs: number }>
  ).map((s) => ({ ...s, mode: s.mode === 'test' ? ('test' as const) : ('practice' as const) }));
  const streak = userId ? ((sqlite.prepare('SELECT streak_count FROM profile WHERE user_id = ?').pluck().get(userId) as number | undefined) ?? 0) : 0;
  return {
    context: {
      question,
      skill: skillRow
        ? {
            id: skillRow.id,
            title: skillRow.title,
            description: skillRow.description,
            progress: progress?.progress ?? 0,
            attemptCount: progress?.attempt_count ?? 0,
            correctCount: progress?.correct_count ?? 0,
          }
        : null,
      recentSessions,
      streak,
      builtUtcMs: nowMs,
    },
    secret,
    skillDescription: skillRow?.description ?? null,
  };
}
