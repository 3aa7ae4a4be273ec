/**
 * The drills feature: the active drill pack's questions with each one's last score, a session per attempt
 * (STARTED → SUBMITTED → PROCESSING → COMPLETED | FAILED), the submitted response (typed, or spoken and measured),
 * its evaluation streamed through PROCESSING, "Try again" after a failure, and the drill part of Progress.
 */
import { z } from 'zod';
import { drillEvaluationSchema } from '../../drills/evaluation';
import { defineFeature } from '../define';
import { audioPathSchema, savedAudioSchema } from './audio';
import { id, none, utcMs } from './common';

export const drillStatuses = ['STARTED', 'SUBMITTED', 'PROCESSING', 'COMPLETED', 'FAILED'] as const;
export const drillStatusSchema = z.enum(drillStatuses);
export type DrillStatus = z.infer<typeof drillStatusSchema>;

/** Drill question ids are text in packs (not necessarily UUIDs). */
export const drillQuestionIdSchema = z.string().trim().min(1).max(200);

export const entitlementLevelSchema = z.enum(['LOCKED', 'BASIC', 'PRO']);

/** What this learner may do with drills now, and why. */
export const drillAccessSchema = z.object({
  level: entitlementLevelSchema,
  /** Where the level came from: the server, its 1-hour cache (offline grace), or no account (BASIC). */
  source: z.enum(['server', 'cache', 'no-account']),
  /** When the server last confirmed the level; null when it never has for this account (or there is none). */
  checkedUtcMs: utcMs.nullable(),
  /**
   * Set when the server's answer about the level could not be read this time, so the last confirmed level (or BASIC,
   * when there is none) is in force: what went wrong, in one line. Null otherwise.
   */
  unreadable: z.string().nullable(),
  /** LOCKED: why drills cannot start and what unlocks them; null otherwise. */
  lockedMessage: z.string().nullable(),
  /** Which evaluator a submission uses now: the local rules, or the AI provider (named). */
  evaluator: z.object({
    kind: z.enum(['local', 'ai']),
    label: z.string(),
    /**
     * Set when the evaluator is the server's: what to say instead of `label` while the app is offline, when drills are
     * scored with the local rules. Null otherwise.
     */
    offlineLabel: z.string().nullable(),
  }),
});

export const drillQuestionSummarySchema = z.object({
  id: drillQuestionIdSchema,
  category: z.string(),
  prompt: z.string(),
  expectedDurationS: z.number().int().positive(),
  /** The overall score of the latest completed session at this question; null before the first. */
  lastScore: z.number().min(0).max(100).nullable(),
  lastCompletedUtcMs: utcMs.nullable(),
});

/** A question as the Drills list shows it. */
export const drillCatalogQuestionSchema = drillQuestionSummarySchema.extend({
  /** Its latest attempt is STARTED with a kept draft, which opening the question offers to continue (drills:unfinished). */
  unfinishedAnswer: z.boolean(),
});

export const drillCatalogSchema = z.object({
  access: drillAccessSchema,
  /** Null when no drill pack is active. */
  pack: z
    .object({
      id,
      title: z.string(),
      description: z.string(),
      version: z.string(),
      categories: z.array(z.object({ name: z.string(), questions: z.array(drillCatalogQuestionSchema) })),
    })
    .nullable(),
});

export const drillQuestionSchema = drillQuestionSummarySchema.extend({ evaluationCriteria: z.array(z.string()) });

export const drillSessionSchema = z.object({
  id,
  questionId: drillQuestionIdSchema,
  contentPackVersion: z.string(),
  status: drillStatusSchema,
  startedUtcMs: utcMs,
  submittedUtcMs: utcMs.nullable(),
  completedUtcMs: utcMs.nullable(),
  processingTimeMs: z.number().int().nonnegative().nullable(),
});

/** How the response was given: typed (duration estimated from words) or spoken (duration measured). */
export const responseModeSchema = z.enum(['written', 'spoken']);

export const drillResultSchema = z.object({
  session: drillSessionSchema,
  question: drillQuestionSchema,
  response: z.object({
    transcript: z.string(),
    mode: responseModeSchema,
    wordCount: z.number().int().nonnegative(),
    durationS: z.number().positive(),
    /** True for a written answer: the duration is estimated from the word count, not measured. */
    durationEstimated: z.boolean(),
    /** A written answer's typing time (kept in the session's metadata, never counted as speaking time). */
    typingTimeMs: z.number().int().nonnegative().nullable(),
    /** The recording, relative to the data folder; it stays on this device. */
    audioPath: z.string().nullable(),
  }),
  /** Null when the session FAILED. */
  evaluation: drillEvaluationSchema.nullable(),
  /** Why the AI evaluator's answer was not used and the local rules decided instead; null otherwise. */
  usedLocalBecause: z.string().nullable(),
  /** FAILED: why no evaluation could be made. */
  failure: z.string().nullable(),
  xpGained: z.number().int().nonnegative(),
  /** The previous completed attempt at the same question, and how this one differs; null on the first. */
  previous: z
    .object({
      sessionId: id,
      completedUtcMs: utcMs,
      overallScore: z.number().min(0).max(100),
      scoreChange: z.number(),
      /** Rubric categories whose verdict changed since then. */
      changedVerdicts: z.array(z.object({ name: z.string(), from: z.enum(['PASS', 'FLAG']), to: z.enum(['PASS', 'FLAG']) })),
    })
    .nullable(),
});

/** One chunk of a submission: the session's status as it moves (SUBMITTED, then PROCESSING). */
export const drillSubmitChunkSchema = z.object({ type: z.literal('status'), status: drillStatusSchema, sessionId: id });

export const drillProgressSchema = z.object({
  sessionsThisWeek: z.number().int().nonnegative(),
  /** Per pack category, the overall scores of completed sessions, oldest first (at most the last 12). */
  trend: z.array(z.object({ category: z.string(), points: z.array(z.object({ sessionId: id, completedUtcMs: utcMs, score: z.number().min(0).max(100) })) })),
  /** Recent drill sessions, newest first, for the Progress history. */
  history: z.array(
    z.object({
      sessionId: id,
      questionPrompt: z.string(),
      category: z.string(),
      status: drillStatusSchema,
      score: z.number().min(0).max(100).nullable(),
      startedUtcMs: utcMs,
      completedUtcMs: utcMs.nullable(),
    }),
  ),
});

/** The longest transcript a submission takes, in characters (the renderer checks it first, to say so in words). */
export const drillTranscriptMaxChars = 20_000;

/**
 * The longest draft kept, in characters: more than a submission takes, so text pasted over the limit is kept while the
 * learner shortens it (the renderer says by how much).
 */
export const drillDraftMaxChars = 10 * drillTranscriptMaxChars;

/** A drill answer still being written, as last saved on this device; times are how long it had run, not clock times. */
export const drillDraftSchema = z.object({
  mode: responseModeSchema,
  transcript: z.string().max(drillDraftMaxChars),
  /** The kept recording of a spoken answer (drills:saveAudio's answer); null before one is kept. */
  recording: savedAudioSchema.nullable(),
  /** Time since Start. */
  elapsedMs: z.number().int().nonnegative().max(24 * 3_600_000),
  /** Time since the first keystroke; null before it. */
  typingMs: z.number().int().nonnegative().max(24 * 3_600_000).nullable(),
});

/**
 * The learner's latest attempt at a question when it has no evaluation: STARTED with its saved draft (to continue, or
 * to discard), or submitted and not evaluated yet (SUBMITTED, PROCESSING) or FAILED, with `draft` null.
 */
export const drillUnfinishedSchema = z.object({ session: drillSessionSchema, draft: drillDraftSchema.nullable() });

const submitInput = z.discriminatedUnion('mode', [
  z
    .object({
      sessionId: id,
      mode: z.literal('written'),
      transcript: z.string().max(drillTranscriptMaxChars),
      /** From the first keystroke to Submit; stored in the session's metadata. */
      typingTimeMs: z.number().int().nonnegative().max(24 * 3_600_000),
    })
    .strict(),
  z
    .object({
      sessionId: id,
      mode: z.literal('spoken'),
      transcript: z.string().max(drillTranscriptMaxChars),
      /** The measured speaking time from Start to Stop. */
      durationS: z.number().max(24 * 3600),
      /** What drills:saveAudio returned, relative to the data folder (only a path it can return is accepted). */
      audioPath: audioPathSchema.nullable(),
    })
    .strict(),
]);

export type DrillAccess = z.infer<typeof drillAccessSchema>;
export type DrillCatalog = z.infer<typeof drillCatalogSchema>;
export type DrillQuestionSummary = z.infer<typeof drillQuestionSummarySchema>;
export type DrillQuestion = z.infer<typeof drillQuestionSchema>;
export type DrillSession = z.infer<typeof drillSessionSchema>;
export type DrillResult = z.infer<typeof drillResultSchema>;
export type DrillSubmitChunk = z.infer<typeof drillSubmitChunkSchema>;
export type DrillSubmitInput = z.infer<typeof submitInput>;
export type DrillProgress = z.infer<typeof drillProgressSchema>;
export type DrillDraft = z.infer<typeof drillDraftSchema>;
export type DrillUnfinished = z.infer<typeof drillUnfinishedSchema>;
export type ResponseMode = z.infer<typeof responseModeSchema>;

export const drillsContract = defineFeature({
  channels: {
    /** The active pack's categories and questions, each with its last score and whether an answer to it is unfinished, and what this learner may do. */
    'drills:list': { input: none, output: drillCatalogSchema },
    'drills:question': { input: z.object({ questionId: drillQuestionIdSchema }).strict(), output: drillQuestionSchema },
    /** Starts a session at a question of the active pack (refused with `forbidden` when drills are LOCKED). */
    'drills:start': { input: z.object({ questionId: drillQuestionIdSchema }).strict(), output: drillSessionSchema },
    /** A session's result as stored (COMPLETED or FAILED), e.g. after a restart. */
    'drills:result': { input: z.object({ sessionId: id }).strict(), output: drillResultSchema },
    'drills:progress': { input: none, output: drillProgressSchema },
    /** The latest attempt at a question when it has no evaluation yet (see drillUnfinishedSchema); null otherwise. */
    'drills:unfinished': { input: z.object({ questionId: drillQuestionIdSchema }).strict(), output: drillUnfinishedSchema.nullable() },
    /** Keeps a STARTED session's draft on this device; `saved` is false once the session is submitted or discarded. */
    'drills:saveDraft': { input: z.object({ sessionId: id, draft: drillDraftSchema }).strict(), output: z.object({ saved: z.boolean() }) },
    /** The learner's explicit choice not to continue a STARTED session: its draft goes (the session stays as started). */
    'drills:discardDraft': { input: z.object({ sessionId: id }).strict(), output: z.object({ sessionId: id }) },
  },
  streams: {
    /** Saves the response (SUBMITTED), evaluates it (PROCESSING), and ends COMPLETED or FAILED; chunks carry each status. */
    'drills:submit': { input: submitInput, chunk: drillSubmitChunkSchema, done: drillResultSchema },
    /** After FAILED: a new session at the same question re-submits the same response with its original duration. */
    'drills:retry': { input: z.object({ sessionId: id }).strict(), chunk: drillSubmitChunkSchema, done: drillResultSchema },
  },
});
