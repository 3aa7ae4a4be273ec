/** Grades an answer against a question's stored payload: the only place correctness is decided. */
import { AppFailure } from '../../../shared/errors';
import type { Answer } from '../../../shared/ipc/contract';
import { isPermutation } from '../../../shared/permutation';

export interface McqPayload {
  prompt: string;
  choices: string[];
  solution_index: number;
}
export interface ReorderPayload {
  prompt?: string;
  steps: string[];
  solution: number[];
}
export type StoredQuestion =
  | { id: string; type: 'mcq_single'; payload: McqPayload }
  | { id: string; type: 'reorder_steps'; payload: ReorderPayload };

export interface Grade {
  isCorrect: boolean;
  solution: Answer;
}

/** Checks the answer's shape against the question and grades it; a malformed answer is the caller's error. */
export function grade(question: StoredQuestion, answer: Answer): Grade {
  if (question.type === 'mcq_single') {
    if (!('choice' in answer)) {
      throw new AppFailure('invalid_input', 'answer.choice is required for a multiple-choice question.', { path: 'answer.choice' });
    }
    if (answer.choice >= question.payload.choices.length) {
      throw new AppFailure(
        'invalid_input',
        `answer.choice ${answer.choice} is out of range (the question has ${question.payload.choices.length} choices).`,
        { path: 'answer.choice' },
      );
    }
    return { isCorrect: answer.choice === question.payload.solution_index, solution: { choice: question.payload.solution_index } };
  }
  if (!('order' in answer)) {
    throw new AppFailure('invalid_input', 'answer.order is required for a reorder question.', { path: 'answer.order' });
  }
  const count = question.payload.steps.length;
  if (!isPermutation(answer.order, count)) {
    throw new AppFailure('invalid_input', `answer.order must list each of the ${count} steps exactly once.`, { path: 'answer.order' });
  }
  const solution = question.payload.solution;
  return {
    isCorrect: answer.order.every((step, i) => step === solution[i]),
    solution: { order: [...solution] },
  };
}

/**
 * A stable shuffle of `count` step indices seeded by `seed`, never the solution itself when avoidable,
 * so a reloaded question shows the learner the same starting order.
 */
export function startingOrder(count: number, solution: readonly number[], seed: string): number[] {
  let state = 2166136261;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 16777619) >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const order = Array.from({ length: count }, (_, i) => i);
  for (let attempt = 0; attempt < 8; attempt++) {
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    if (count < 2 || order.some((step, i) => step !== solution[i])) return order;
  }
  // Eight shuffles all equal to the solution is only possible for tiny lists: swap the first two.
  [order[0], order[1]] = [order[1]!, order[0]!];
  return order;
}
