/** The practice feature: sessions, served questions, answers and their grading. */
import { z } from 'zod';
import { defineFeature } from '../define';
import { id, none, utcMs } from './common';
import { profileSummarySchema, sessionModeSchema, skillSessionModeSchema } from './progress';

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
  /** Null for a review session, which spans every skill. */
  skillId: id.nullable(),
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

/** One answered question as the summary lists it, in text. */
export const answeredQuestionSchema = z.object({
  questionId: id,
  prompt: z.string(),
  isCorrect: z.boolean(),
  /** The chosen option, or the steps in the order the learner gave them. */
  yourAnswer: z.array(z.string()),
  rightAnswer: z.array(z.string()),
  explanation: z.string().nullable(),
});

export const sessionSummarySchema = z.object({
  session: sessionInfoSchema,
  /** Correct of answered (0 when none was answered); unanswered questions are not counted as wrong. */
  score: z.number().min(0).max(1),
  /** Questions the session had that were not answered (ended early). */
  unansweredCount: z.number().int().nonnegative(),
  /** Every answered question, missed ones first. */
  answers: z.array(answeredQuestionSchema),
  xpGained: z.number().int().nonnegative(),
  profile: profileSummarySchema,
});

/** The ratings a learner may choose after a correct review answer (Good is the default, Again is a wrong answer). */
export const reviewRatingSchema = z.enum(['hard', 'easy']);

export const recallSchema = z.object({
  /** 0..1, null before any question of the skill was answered. */
  recall: z.number().min(0).max(1).nullable(),
  reviewedCount: z.number().int().nonnegative(),
});

export type ServedQuestion = z.infer<typeof servedQuestionSchema>;
export type ReviewRating = z.infer<typeof reviewRatingSchema>;
export type Recall = z.infer<typeof recallSchema>;
export type Answer = z.infer<typeof answerSchema>;
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
export type AttemptResult = z.infer<typeof attemptResultSchema>;
export type SessionSummary = z.infer<typeof sessionSummarySchema>;
export type AnsweredQuestion = z.infer<typeof answeredQuestionSchema>;

export const practiceContract = defineFeature({
  channels: {
    'practice:start': {
      input: z.object({ skillId: id, mode: skillSessionModeSchema }).strict(),
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
    /** Starts a review session: questions due today across all skills, most overdue first, up to the daily limit. */
    'practice:review': { input: none, output: sessionInfoSchema },
    /** Starts a practice session of the questions missed in an ended session ("Practise the missed ones again"). */
    'practice:retry': { input: z.object({ sessionId: id }).strict(), output: sessionInfoSchema },
    /** After a correct answer in a review session: the learner found it hard or easy (optional; Good otherwise). */
    'practice:rate': {
      input: z.object({ attemptId: id, rating: reviewRatingSchema }).strict(),
      output: z.object({ nextDueUtcMs: utcMs }),
    },
    /** "Likely to recall now" for one skill: the mean FSRS recall chance of its reviewed questions. */
    'practice:recall': { input: z.object({ skillId: id }).strict(), output: recallSchema },
  },
});
