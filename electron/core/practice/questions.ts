/** The questions a session serves: the next unanswered one, and the form the learner sees (never the solution). */
import { AppFailure } from '../../../shared/errors';
import type { ServedQuestion } from '../../../shared/ipc/contract';
import { QUESTION_IS_LEARNABLE, QUESTION_WITH_SKILL_AND_DOMAIN, SKILL_IS_LEARNABLE, SKILL_WITH_DOMAIN } from '../content/learnable';
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

export interface SkillRow {
  id: string;
  title: string;
  /** 1 when the skill and its domain are published (content/learnable.ts). */
  learnable: 0 | 1;
}

export interface QuestionQueries {
  /** The question with whether it, its skill and its domain are all published. */
  byId(questionId: string): (QuestionRow & { learnable: 0 | 1 }) | undefined;
  /** The skill with whether it and its domain are published. */
  skill(skillId: string): SkillRow | undefined;
  /** The first learnable question of the skill, in order, that this session has not answered yet. */
  nextUnanswered(skillId: string | null, sessionId: string): QuestionRow | undefined;
  /** How many learnable questions the skill has (0 when the skill or its domain is a draft). */
  publishedCount(skillId: string): number;
}

export function createQuestionQueries(sqlite: Sqlite): QuestionQueries {
  const byId = sqlite.prepare(
    `SELECT q.id, q.skill_id, q.type, q.payload, q.explanation, ${QUESTION_IS_LEARNABLE} AS learnable
     FROM ${QUESTION_WITH_SKILL_AND_DOMAIN} WHERE q.id = ?`,
  );
  const skill = sqlite.prepare(`SELECT s.id, s.title, ${SKILL_IS_LEARNABLE} AS learnable FROM ${SKILL_WITH_DOMAIN} WHERE s.id = ?`);
  const nextUnanswered = sqlite.prepare(
    `SELECT q.id, q.skill_id, q.type, q.payload, q.explanation FROM ${QUESTION_WITH_SKILL_AND_DOMAIN}
     WHERE q.skill_id = ? AND ${QUESTION_IS_LEARNABLE}
       AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.session_id = ? AND a.question_id = q.id)
     ORDER BY q.sort_order, q.id LIMIT 1`,
  );
  const publishedCount = sqlite
    .prepare(`SELECT COUNT(*) FROM ${QUESTION_WITH_SKILL_AND_DOMAIN} WHERE q.skill_id = ? AND ${QUESTION_IS_LEARNABLE}`)
    .pluck();
  return {
    byId: (questionId) => byId.get(questionId) as (QuestionRow & { learnable: 0 | 1 }) | undefined,
    skill: (skillId) => skill.get(skillId) as SkillRow | undefined,
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
