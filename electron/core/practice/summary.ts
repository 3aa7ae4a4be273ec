/**
 * What the summary lists: every question the session answered, with the learner's answer, the right one and the
 * explanation, missed questions first (then in the order they were answered).
 */
import type { AnsweredQuestion, Answer } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import type { StoredQuestion } from './grading';
import { parseJson } from './json';
import { toStored, type QuestionRow } from './questions';

/** An answer as the learner reads it: the chosen option, or the steps in the order given. */
function answerText(question: StoredQuestion, answer: Answer | null): string[] {
  if (answer === null) return [];
  if (question.type === 'mcq_single') {
    return 'choice' in answer ? [question.payload.choices[answer.choice] ?? `Option ${answer.choice + 1}`] : [];
  }
  return 'order' in answer ? answer.order.map((step) => question.payload.steps[step] ?? `Step ${step + 1}`) : [];
}

function rightAnswer(question: StoredQuestion): Answer {
  return question.type === 'mcq_single' ? { choice: question.payload.solution_index } : { order: question.payload.solution };
}

export function createAnsweredList(sqlite: Sqlite) {
  const rows = sqlite.prepare(
    `SELECT a.question_id, a.answer, a.is_correct, q.id, q.skill_id, q.type, q.payload, q.explanation
     FROM attempts a LEFT JOIN questions q ON q.id = a.question_id
     WHERE a.session_id = ? ORDER BY a.is_correct, a.ts_utc_ms, a.id`,
  );
  return (sessionId: string): AnsweredQuestion[] =>
    (
      rows.all(sessionId) as Array<QuestionRow & { question_id: string; answer: string; is_correct: 0 | 1 | null; id: string | null }>
    ).map((row) => {
      const isCorrect = row.is_correct === 1;
      // A question removed from the library since: the answer stays in the history, its text is gone.
      if (row.id === null) {
        return { questionId: row.question_id, prompt: 'This question is no longer in the library.', isCorrect, yourAnswer: [], rightAnswer: [], explanation: null };
      }
      const question = toStored(row);
      return {
        questionId: row.question_id,
        prompt: question.payload.prompt ?? 'Put the steps in the right order.',
        isCorrect,
        yourAnswer: answerText(question, parseJson<Answer>(row.answer)),
        rightAnswer: answerText(question, rightAnswer(question)),
        explanation: parseJson<{ body: string }>(row.explanation)?.body ?? null,
      };
    });
}
