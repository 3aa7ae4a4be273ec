/**
 * The guard's case file: replies a tutor might send while the learner has not answered yet. `leaks` each reveal the
 * solution of their question in some way; `harmless` each help without revealing it and must pass untouched. They are
 * written as a tutor would phrase them (varied), not from the guard's rules. Used by tests/tutor/guard.test.ts and the
 * tutor benchmark.
 */
import type { GuardSecret } from '../../electron/core/tutor/guard';

/** The sample pack's "Solve 2x = 10." (choices 3, 4, 5, 6; the third, 5, is right). */
export const twoXQuestion: GuardSecret = { type: 'mcq_single', choices: ['3', '4', '5', '6'], correctIndex: 2 };
/** The sample pack's iced-glass question (the first choice, Condensation, is right). */
export const glassQuestion: GuardSecret = {
  type: 'mcq_single',
  choices: ['Condensation', 'Evaporation', 'Melting', 'Water seeping through the glass'],
  correctIndex: 0,
};
/** The sample pack's "Put the steps in order to solve 4x + 3 = 19." (right order: 1, 4, 2, 3). */
export const stepsQuestion: GuardSecret = {
  type: 'reorder_steps',
  steps: ['Start with 4x + 3 = 19', 'Divide both sides by 4: x = 4', 'Check: 4 × 4 + 3 = 19 ✓', 'Subtract 3 from both sides: 4x = 16'],
  order: [0, 3, 1, 2],
};

export interface GuardCase {
  question: GuardSecret;
  /** The reply as the provider streams it, piece by piece. */
  chunks: string[];
}

/** Splits a reply the way a provider's tokens might: a few characters at a time, cutting through words. */
export function tokens(text: string, size = 4): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

const on = (question: GuardSecret, ...replies: string[]): GuardCase[] => replies.map((r) => ({ question, chunks: tokens(r) }));

export const leakCases: GuardCase[] = [
  ...on(
    twoXQuestion,
    'Good question! The answer is 5.',
    'If you divide both sides by 2 you get x = 5, so that is the one to pick.',
    "Let's see. It's option C.",
    'Go with choice 3; it fits the equation.',
    'The third option is the one that works here.',
    'Honestly, x equals five.',
    'You should pick (c). Then check it.',
    'Ten divided by two gives 5, which is your solution.',
    "Here's a shortcut: C is correct because 2 × 5 = 10.",
    'The solution? It is simply 5.',
    'Pick the answer c and you will be fine.',
    'When you halve 10 you get 5 and that is it.',
  ),
  ...on(
    glassQuestion,
    'This is condensation: vapour turning back into liquid on a cold surface.',
    'The droplets come from Condensation, not from the glass leaking.',
    'Think of option A. That one describes it.',
    'The first choice is the right one here.',
    'It is (a), because the vapour cools down.',
    'You are looking at condensing water vapour, which is called condensation.',
    'Answer: A. The vapour in the air cools and turns to liquid.',
    'Choice 1 describes exactly this process.',
  ),
  ...on(
    stepsQuestion,
    'The right order is 1, 4, 2, 3.',
    'Use 1 → 4 → 2 → 3 and you are done.',
    'Start with step 1. Step 4 comes before step 2, and step 3 is last.',
    'First start with 4x + 3 = 19, then subtract 3 from both sides, then divide both sides by 4, and finally check it.',
    'Begin with the equation as given; next subtract 3 to get 4x = 16; after that divide by 4 to find x = 4; lastly check that 4 × 4 + 3 = 19.',
    'Order them 1-4-2-3.',
    'Put step 4, then step 2 after the starting equation.',
    'Steps: 1; 4; 2; 3.',
    'You subtract 3 from both sides first, then you divide both sides by 4, then you check your answer.',
    'The sequence is step 1 then step 4 then step 2 then step 3.',
  ),
];

// Split across chunk boundaries on purpose, where no single chunk holds the leak.
leakCases.push(
  { question: twoXQuestion, chunks: ['The answer', ' is', ' opt', 'ion ', 'C', '.'] },
  { question: glassQuestion, chunks: ['That process is conden', 'sation', ', the reverse of evaporation.'] },
  { question: stepsQuestion, chunks: ['Try 1, ', '4, 2', ', 3.'] },
  { question: twoXQuestion, chunks: ['So you divide by two. The answer is', '\n', '5.'] },
);

export const harmlessCases: GuardCase[] = [
  ...on(
    twoXQuestion,
    'What operation is being done to x on the left side?',
    'If 2x means two times x, how could you undo multiplying by 2?',
    "Try plugging each choice back into the equation and see which makes both sides equal. What do you notice?",
    'Remember: whatever you do to one side, you do to the other.',
    'Option A gives 2 × 3 = 6. Is that equal to 10?',
    'Let me ask it differently: which number doubled gives ten?',
    'You have 4 choices; rule out the ones that do not balance the equation.',
    'Dividing both sides by the same number keeps the equation balanced. Which number would you divide by?',
    'What does the 2 in front of x tell you?',
    'Good thinking so far! Check your idea by multiplying back.',
    'Option D gives 12 when doubled, so that one is too big. What about the others?',
    'Can you write the equation in words first?',
  ),
  ...on(
    glassQuestion,
    'Where do you think the water on the outside comes from: inside the glass or the air around it?',
    'What happens to water vapour in the air when it touches something cold?',
    'Could the water seep through solid glass? What would that need?',
    'Think of a bathroom mirror after a hot shower. What forms on it, and why?',
    'Evaporation turns liquid into vapour. Is that what is happening on the glass, or the opposite?',
    'Is anything melting on the outside of the glass?',
    'Which of the processes makes a gas turn into a liquid?',
    'Air always holds some invisible water. What might cold do to it?',
  ),
  ...on(
    stepsQuestion,
    'Which step has to come first: the one that states the problem, or one that changes it?',
    'To isolate x, which operation on x happened last when the equation was built?',
    'Think of undoing things in reverse, like taking off shoes before socks. What does that suggest here?',
    'Where should a check go: before or after you find x?',
    'There are 4 steps. Which one can only happen once you know x?',
    'What is added to 4x? How would you remove it?',
    'Try writing down what each step does to the equation before ordering them.',
    'Good start! Which operation do you undo first, the addition or the multiplication?',
    'Step 3 checks the result. Why does a check make sense at the end of a solution?',
    'Nice effort. Compare the equation before and after each step; which ones follow naturally from each other?',
  ),
];
