/**
 * What the question components read and call while a learner answers: the chosen option, the order, Check answer (Save answer in a test).
 * The practice session supplies them by default; the content preview's "Try it" wraps the SAME components in a
 * provider of its own (grading without recording), so the instructor sees exactly what the learner sees.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { AttemptResult } from '../../../shared/ipc/contract';
import { usePractice } from './practiceStore';

export type AnswerControls = {
  /** The chosen option of an MCQ (index into choices). */
  choice: number | null;
  /** The current order of a reorder question (indices into steps). */
  order: number[];
  busy: boolean;
  choose: (choice: number) => void;
  setOrder: (order: number[]) => void;
  submit: () => Promise<void>;
  /** Name an absent field ("Missing: explanation") instead of leaving blank space: the instructor's preview does. */
  markMissing: boolean;
};

/** The part of an answer's result the question and feedback components show (a practice attempt has more). */
export type Grade = Pick<AttemptResult, 'isCorrect' | 'solution' | 'explanation'>;

const AnswerControlsContext = createContext<AnswerControls | null>(null);

export function AnswerControlsProvider({ value, children }: { value: AnswerControls; children: ReactNode }) {
  return <AnswerControlsContext.Provider value={value}>{children}</AnswerControlsContext.Provider>;
}

/**
 * The provider's controls, or the practice session's when there is none, with the submit button's label: a test saves
 * the answer without checking it (its feedback says "Answer saved"); practice, review and the preview check it.
 */
export function useAnswerControls(): AnswerControls & { submitLabel: string } {
  const provided = useContext(AnswerControlsContext);
  // Hooks run unconditionally; the store's values are simply unused under a provider.
  const choice = usePractice((s) => s.choice);
  const order = usePractice((s) => s.order);
  const busy = usePractice((s) => s.busy);
  const choose = usePractice((s) => s.choose);
  const setOrder = usePractice((s) => s.setOrder);
  const submit = usePractice((s) => s.submit);
  const isTest = usePractice((s) => s.session?.mode === 'test');
  if (provided) return { ...provided, submitLabel: 'Check answer' };
  return { choice, order, busy, choose, setOrder, submit, markMissing: false, submitLabel: isTest ? 'Save answer' : 'Check answer' };
}

/** An absent field, named: an instructor must see "Missing: explanation", never an empty gap. */
export function MissingField({ name }: { name: string }) {
  return <span className="missing-field">Missing: {name}</span>;
}
