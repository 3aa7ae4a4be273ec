/** The practice feature: sessions, served questions, answers and their grading. */
import { z } from 'zod';
import { defineFeature } from '../define';
import { id, utcMs } from './common';
import { profileSummarySchema, sessionModeSchema } from './progress';

export const questionTypeSchema = z.enum(['mcq_single', 'reorder_steps']);

export const explanationSchema = z.object({ body: z.string() }).passthrough().nullable();

/** A question as the learner sees it before answering: never carries its solution. */
export const servedQuestionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('mcq_single'),
    id,
    prompt: z.string(),
    choices: z.array(z.string()),
  }),
  z.object({
    type: z.literal('reorder_steps'),
    id,
    prompt: z.string(),
    /** Steps in the shuffled order the learner starts from; answers index into this original list. */
    steps: z.array(z.string()),
    initialOrder: z.array(z.number().int().nonnegative()),
  }),
]);

export const answerSchema = z.union([
  z.object({ choice: z.number().int().nonnegative() }),
  z.object({ order: z.array(z.number().int().nonnegative()).max(100) }),
]);

export const sessionInfoSchema = z.object({
  id,
  skillId: id,
  skillTitle: z.string(),
  mode: sessionModeSchema,
  questionCount: z.number().int().nonnegative(),
  answeredCount: z.number().int().nonnegative(),
  correctCount: z.number().int().nonnegative(),
  startedUtcMs: utcMs,
  endedUtcMs: utcMs.nullable(),
});

export const attemptResultSchema = z.object({
  attemptId: id,
  isCorrect: z.boolean(),
  /** The right answer, in the same shape as the learner's answer. */
  solution: answerSchema,
  explanation: explanationSchema,
  session: sessionInfoSchema,
});

export const sessionSummarySchema = z.object({
  session: sessionInfoSchema,
  score: z.number().min(0).max(1),
  xpGained: z.number().int().nonnegative(),
  profile: profileSummarySchema,
});

export type ServedQuestion = z.infer<typeof servedQuestionSchema>;
export type Answer = z.infer<typeof answerSchema>;
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
export type AttemptResult = z.infer<typeof attemptResultSchema>;
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export const practiceContract = defineFeature({
  channels: {
    'practice:start': {
      input: z.object({ skillId: id, mode: sessionModeSchema }).strict(),
      output: sessionInfoSchema,
    },
    'practice:next': {
      input: z.object({ sessionId: id }).strict(),
      output: z.object({ question: servedQuestionSchema.nullable(), session: sessionInfoSchema }),
    },
    'practice:answer': {
      input: z.object({ sessionId: id, questionId: id, answer: answerSchema }).strict(),
      output: attemptResultSchema,
    },
    'practice:end': { input: z.object({ sessionId: id }).strict(), output: sessionSummarySchema },
  },
});
