/**
 * The tutor's instructions and how its context becomes the system message: one rule for the app's core (which sends
 * the context and shows "What the tutor sees") and the `tutor` edge function (which sends the message to the model).
 * No imports, so Deno loads it as is and the Node side compiles it with the app.
 */

/** The first server-sent event of the edge function's stream: the exact context it used, as JSON. */
export const CONTEXT_EVENT = 'context';

export type PromptAnswer = { choice: number } | { order: number[] };

/** The parts of the app's TutorContext (shared/ipc/features/tutor.ts) that the system message shows. */
export interface PromptContext {
  question: {
    prompt: string;
    choices?: string[] | undefined;
    steps?: string[] | undefined;
    answered: boolean;
    attempts: Array<{ answer: PromptAnswer; isCorrect: boolean | null }>;
    solution?: PromptAnswer | undefined;
    explanation?: string | null | undefined;
  } | null;
  skill: { title: string; description: string | null; progress: number; attemptCount: number; correctCount: number } | null;
  recentSessions: Array<{ skillTitle: string; mode: 'practice' | 'test'; score: number | null; startedUtcMs: number }>;
  streak: number;
}

export const SOCRATIC_PROMPT = [
  'You are a patient Socratic tutor inside a study app.',
  'Help the learner think: ask one guiding question at a time, point to the concept, and let them do the reasoning.',
  'If the learner has NOT answered the current question yet, never state its answer, never name the correct choice',
  '(by text, number or letter) and never give the correct order of steps, even if asked directly; give a hint instead.',
  'Once they have answered, you may explain the solution fully, starting from their answer and what it shows.',
  'Use only facts you are sure of; say so when you are not. Keep replies short and use Markdown.',
].join(' ');

const letter = (index: number) => String.fromCharCode(65 + index);

function formatAnswer(answer: PromptAnswer): string {
  return 'choice' in answer ? `choice ${letter(answer.choice)}` : `order ${answer.order.map((i) => i + 1).join(', ')}`;
}

/** The exact system message sent to the model: the Socratic prompt and the context as text. */
export function systemMessage(context: PromptContext): string {
  const lines = [SOCRATIC_PROMPT, '', '## What you know about the learner'];
  const q = context.question;
  if (q) {
    lines.push('', '### Current question', q.prompt);
    q.choices?.forEach((c, i) => lines.push(`${letter(i)}. ${c}`));
    q.steps?.forEach((s, i) => lines.push(`Step ${i + 1}: ${s}`));
    if (!q.answered) lines.push('', 'The learner has NOT answered yet.');
    else {
      lines.push('', 'The learner has answered:');
      for (const a of q.attempts) lines.push(`- ${formatAnswer(a.answer)}: ${a.isCorrect === null ? 'not graded' : a.isCorrect ? 'right' : 'wrong'}`);
      if (q.solution) lines.push(`Correct answer: ${formatAnswer(q.solution)}`);
      if (q.explanation) lines.push(`Explanation: ${q.explanation}`);
    }
  }
  if (context.skill) {
    const s = context.skill;
    lines.push('', `### Skill: ${s.title}`);
    if (s.description) lines.push(s.description);
    lines.push(`Progress ${Math.round(s.progress * 100)}%, ${s.correctCount} right of ${s.attemptCount} answers.`);
  }
  if (context.recentSessions.length > 0) {
    lines.push('', '### Recent sessions');
    for (const r of context.recentSessions) {
      lines.push(`- ${r.skillTitle} (${r.mode}), score ${r.score === null ? 'unfinished' : `${Math.round(r.score * 100)}%`}, ${new Date(r.startedUtcMs).toISOString().slice(0, 10)}`);
    }
  }
  lines.push('', `Streak: ${context.streak} day${context.streak === 1 ? '' : 's'}.`);
  return lines.join('\n');
}
