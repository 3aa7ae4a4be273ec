/**
 * The answer chosen but not yet checked, kept in the window's sessionStorage so that a reload finds it chosen again;
 * nothing is recorded until Check answer. One per session (a session shows one question at a time), tagged with its
 * question, and read back only if it still fits that question.
 */
import type { ServedQuestion } from '../../../shared/ipc/contract';
import { isPermutation } from '../../../shared/permutation';

export type AnswerDraft = {
  /** The chosen option of an MCQ (index into choices). */
  choice: number | null;
  /** The current order of a reorder question (indices into steps). */
  order: number[];
};

const keyOf = (sessionId: string) => `study-desk.practice-answer.${sessionId}`;

export function saveAnswerDraft(sessionId: string, questionId: string, draft: AnswerDraft): void {
  try {
    sessionStorage.setItem(keyOf(sessionId), JSON.stringify({ questionId, ...draft }));
  } catch {
    // Storage off or full: the answer stays on screen; only a reload would lose it, as before.
  }
}

/** Once the answer is recorded, or the session ended, nothing is left to restore. */
export function clearAnswerDraft(sessionId: string): void {
  try {
    sessionStorage.removeItem(keyOf(sessionId));
  } catch {
    // Storage off: nothing was kept.
  }
}

/** The answer kept for `question`, or the question's starting state (nothing chosen, the served order). */
export function answerDraftFor(sessionId: string, question: ServedQuestion): AnswerDraft {
  const fresh: AnswerDraft = { choice: null, order: question.type === 'reorder_steps' ? [...question.initialOrder] : [] };
  let kept: unknown;
  try {
    kept = JSON.parse(sessionStorage.getItem(keyOf(sessionId)) ?? 'null');
  } catch {
    return fresh;
  }
  if (typeof kept !== 'object' || kept === null || !('questionId' in kept) || kept.questionId !== question.id) return fresh;
  if (question.type === 'mcq_single') {
    const choice = 'choice' in kept ? kept.choice : null;
    const fits = typeof choice === 'number' && Number.isInteger(choice) && choice >= 0 && choice < question.choices.length;
    return fits ? { ...fresh, choice } : fresh;
  }
  const order = 'order' in kept ? kept.order : null;
  if (!Array.isArray(order) || !order.every((i): i is number => typeof i === 'number')) return fresh;
  return isPermutation(order, question.steps.length) ? { ...fresh, order } : fresh;
}
