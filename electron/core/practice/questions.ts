/** The questions a session serves: the next unanswered one, and the form the learner sees (never the solution). */
import { AppFailure } from '../../../shared/errors';
import type { ServedQuestion } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import { startingOrder, type StoredQuestion } from './grading';
import { parseJson } from './json';

export interface QuestionRow {
  id: string;
  skill_id: string;
  type: 'mcq_single' | 'reorder_steps';
  payload: string;
  explanation: string | null;
}

export interface QuestionQueries {
  byId(questionId: string): QuestionRow | undefined;
  /** The first published question of the skill, in order, that this session has not answered yet. */
  nextUnanswered(skillId: string | null, sessionId: string): QuestionRow | undefined;
  publishedCount(skillId: string): number;
}

export function createQuestionQueries(sqlite: Sqlite): QuestionQueries {
  const byId = sqlite.prepare('SELECT id, skill_id, type, payload, explanation FROM questions WHERE id = ?');
  const nextUnanswered = sqlite.prepare(
    `SELECT id, skill_id, type, payload, explanation FROM questions q
     WHERE q.skill_id = ? AND q.is_published = 1
       AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.session_id = ? AND a.question_id = q.id)
     ORDER BY q.sort_order, q.id LIMIT 1`,
  );
  const publishedCount = sqlite.prepare('SELECT COUNT(*) FROM questions WHERE skill_id = ? AND is_published = 1').pluck();
  return {
    byId: (questionId) => byId.get(questionId) as QuestionRow | undefined,
    nextUnanswered: (skillId, sessionId) => nextUnanswered.get(skillId, sessionId) as QuestionRow | undefined,
    publishedCount: (skillId) => publishedCount.get(skillId) as number,
  };
}

export function toStored(row: QuestionRow): StoredQuestion {
  const payload = parseJson<unknown>(row.payload);
  if (payload === null || typeof payload !== 'object') {
    throw new AppFailure('database_error', `Question ${row.id} has an unreadable payload.`);
  }
  return { id: row.id, type: row.type, payload } as StoredQuestion;
}

/** The question as the learner sees it; a reorder question starts in an order stable for this session. */
export function serve(row: QuestionRow, sessionId: string): ServedQuestion {
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
