/**
 * The tutor feature: conversations with a Socratic tutor that sees the learner's work, replies streamed
 * (Stop = cancel of the stream), retry, "what the tutor sees", and the provider settings (the key stays in core).
 */
import { z } from 'zod';
import { conversationTitleMaxLength, tutorMessageMaxLength } from '../../tutor/limits';
import { defineFeature } from '../define';
import { id, none, utcMs } from './common';
import { answerSchema, questionTypeSchema } from './practice';

/** How a tutor reply ended; a learner's message has no status (null). */
export const replyStatusSchema = z.enum(['complete', 'stopped', 'interrupted', 'failed']);

/** Where a reply came from: a configured OpenAI-compatible server, the Supabase edge function, or the offline tutor. */
export const replySourceSchema = z.enum(['provider', 'edge', 'offline']);

/** The label shown on every reply (and in the composer) when the offline tutor answers; kept zod-free for the renderer. */
export { offlineTutorLabel } from '../../tutor/labels';

/** What went wrong with a reply; `message` never carries the API key. */
export const tutorErrorCodeSchema = z.enum([
  /** 401/403: the API key is missing or wrong. */
  'bad_key',
  /** 404: the model (or the endpoint) is unknown to the server. */
  'unknown_model',
  /** 429: the server asks to wait; `retryAfterSeconds` when it said how long. */
  'rate_limited',
  /** The connection dropped or could not be made. */
  'network',
  /** The stream broke the protocol (not SSE, bad JSON, an error event). */
  'malformed_stream',
  /** No byte for the provider timeout. */
  'timeout',
  /** Any other HTTP status from the provider. */
  'provider_error',
  /** The stream ended without a finish_reason, at the model's length limit or by its content filter (or the app stopped mid-reply). */
  'ended_early',
  /** The edge function needs a signed-in account. */
  'not_signed_in',
]);
export const tutorErrorSchema = z.object({
  code: tutorErrorCodeSchema,
  message: z.string(),
  httpStatus: z.number().int().nullable().optional(),
  retryAfterSeconds: z.number().nonnegative().nullable().optional(),
});

export const tutorMessageSchema = z.object({
  id,
  chatId: id,
  sender: z.enum(['user', 'tutor', 'system']),
  /** Markdown from the tutor (untrusted: render without raw HTML); plain text from the learner. */
  text: z.string(),
  /** Null for a learner's message. */
  status: replyStatusSchema.nullable(),
  source: replySourceSchema.nullable(),
  /**
   * Why a reply did not end complete; on a complete reply from the offline tutor, why the learner's chosen provider was
   * not used (it could not be reached, or is not ready), so the reply can say so. Null otherwise.
   */
  error: tutorErrorSchema.nullable(),
  sequence: z.number().int().nonnegative(),
  createdUtcMs: utcMs,
});

export const conversationSchema = z.object({
  id,
  title: z.string(),
  skillId: id.nullable(),
  /** The practice question the chat is about, when it was opened with "Ask the tutor". */
  questionId: id.nullable(),
  createdUtcMs: utcMs,
  updatedUtcMs: utcMs,
});

export const conversationSummarySchema = conversationSchema.extend({
  lastMessage: z
    .object({ sender: z.enum(['user', 'tutor', 'system']), text: z.string(), status: replyStatusSchema.nullable(), createdUtcMs: utcMs })
    .nullable(),
});

/** Exactly what the tutor is given about the learner (stored as the session's context_snapshot). */
export const tutorContextSchema = z.object({
  question: z
    .object({
      id,
      type: questionTypeSchema,
      prompt: z.string(),
      /** mcq_single: the choices, numbered from 1 in the text sent. */
      choices: z.array(z.string()).optional(),
      /** reorder_steps: the steps in the order the learner was shown them. */
      steps: z.array(z.string()).optional(),
      sessionId: id.nullable(),
      sessionMode: z.enum(['practice', 'test']).nullable(),
      /** The learner's answers to it, oldest first. */
      attempts: z.array(z.object({ answer: answerSchema, isCorrect: z.boolean().nullable(), utcMs })),
      answered: z.boolean(),
      /** Present only once the learner has answered (never sent before that). */
      solution: answerSchema.optional(),
      explanation: z.string().nullable().optional(),
    })
    .nullable(),
  skill: z
    .object({
      id,
      title: z.string(),
      description: z.string().nullable(),
      progress: z.number().min(0).max(1),
      attemptCount: z.number().int().nonnegative(),
      correctCount: z.number().int().nonnegative(),
    })
    .nullable(),
  recentSessions: z.array(
    z.object({ skillTitle: z.string(), mode: z.enum(['practice', 'test']), score: z.number().nullable(), startedUtcMs: utcMs }),
  ),
  streak: z.number().int().nonnegative(),
  builtUtcMs: utcMs,
});

export const tutorContextViewSchema = z.object({
  context: tutorContextSchema,
  /** The exact system message sent to the model (prompt + context as text). */
  systemMessage: z.string(),
});

/** The provider settings as the renderer sees them: never the key, only whether one is stored. */
export const providerKindSchema = z.enum(['offline', 'openai-compatible', 'edge-function']);
export const providerSettingsSchema = z.object({
  kind: providerKindSchema,
  baseUrl: z.string().max(2048),
  model: z.string().max(256),
  hasApiKey: z.boolean(),
});
export const providerSettingsPatchSchema = z
  .object({
    kind: providerKindSchema,
    baseUrl: z.string().url().max(2048),
    model: z.string().min(1).max(256),
    /** A new key (spaces around it, as a paste brings, are dropped); null removes the stored one; absent leaves it as it is. */
    apiKey: z.string().trim().min(1).max(4096).nullable(),
  })
  .partial()
  .strict();

export const connectionTestSchema = z.object({
  ok: z.boolean(),
  /** Model ids the server listed (empty when it failed). */
  models: z.array(z.string()),
  /** Whether the configured model is among them. */
  modelFound: z.boolean(),
  error: tutorErrorSchema.nullable(),
});

/** One chunk of a reply stream. */
export const tutorChunkSchema = z.discriminatedUnion('type', [
  /**
   * First: the learner's message as stored (send only), the reply's id and source, and the conversation's title as
   * stored (a chat nobody named takes it from the learner's first message).
   */
  z.object({ type: z.literal('started'), userMessage: tutorMessageSchema.nullable(), replyId: id, source: replySourceSchema, title: z.string() }),
  /** Text to append to the reply (already passed by the guard). */
  z.object({ type: z.literal('delta'), text: z.string() }),
  /** Text the guard held back (it revealed the answer before the learner answered); the note is appended instead. */
  z.object({ type: z.literal('held'), note: z.string() }),
]);

/** The stream's done value: the reply as stored, with its final status. */
export const tutorDoneSchema = z.object({ reply: tutorMessageSchema });

export type ReplyStatus = z.infer<typeof replyStatusSchema>;
export type ReplySource = z.infer<typeof replySourceSchema>;
export type TutorError = z.infer<typeof tutorErrorSchema>;
export type TutorErrorCode = z.infer<typeof tutorErrorCodeSchema>;
export type TutorMessage = z.infer<typeof tutorMessageSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;
export type TutorContext = z.infer<typeof tutorContextSchema>;
export type TutorContextView = z.infer<typeof tutorContextViewSchema>;
export type ProviderSettings = z.infer<typeof providerSettingsSchema>;
export type ProviderSettingsPatch = z.infer<typeof providerSettingsPatchSchema>;
export type ConnectionTest = z.infer<typeof connectionTestSchema>;
export type TutorChunk = z.infer<typeof tutorChunkSchema>;

const chatRef = z.object({ chatId: id }).strict();

export const tutorContract = defineFeature({
  channels: {
    /** Active conversations, newest activity first, each with its last message. */
    'tutor:list': {
      input: z.object({ limit: z.number().int().min(1).max(200).optional() }).strict(),
      output: z.array(conversationSummarySchema),
    },
    /**
     * A new conversation. With `question`, it is about that practice question (its context attached);
     * a test-mode session's question is refused (forbidden) until the session has ended.
     */
    'tutor:create': {
      input: z
        .object({
          title: z.string().trim().min(1).max(conversationTitleMaxLength).optional(),
          question: z.object({ sessionId: id, questionId: id }).strict().optional(),
        })
        .strict(),
      output: conversationSchema,
    },
    'tutor:rename': { input: z.object({ chatId: id, title: z.string().trim().min(1).max(conversationTitleMaxLength) }).strict(), output: conversationSchema },
    /** Sets is_active = false (synced); the conversation leaves the list. */
    'tutor:delete': { input: chatRef, output: z.object({ chatId: id }) },
    'tutor:export': { input: chatRef, output: z.object({ fileName: z.string(), markdown: z.string() }) },
    'tutor:messages': { input: chatRef, output: z.object({ conversation: conversationSchema, messages: z.array(tutorMessageSchema) }) },
    /** "What the tutor sees": the context stored on the conversation and the exact system message built from it. */
    'tutor:context': { input: chatRef, output: tutorContextViewSchema },
    'tutor:providerGet': { input: none, output: providerSettingsSchema },
    'tutor:providerSet': { input: providerSettingsPatchSchema, output: providerSettingsSchema },
    /**
     * Probes GET {baseUrl}/models with the settings as the form holds them: the stored ones with the given fields in
     * their place (an absent apiKey = the stored key, null = none). Nothing is saved; `{}` tests the stored settings.
     */
    'tutor:testConnection': { input: providerSettingsPatchSchema, output: connectionTestSchema },
  },
  streams: {
    /** Stores the learner's message, then streams the reply. Cancel = Stop: the partial reply is kept as `stopped`. */
    'tutor:send': { input: z.object({ chatId: id, text: z.string().trim().min(1).max(tutorMessageMaxLength) }).strict(), chunk: tutorChunkSchema, done: tutorDoneSchema },
    /** A new reply to the learner message before `replyId`; the old reply stays in the history. */
    'tutor:retry': { input: z.object({ chatId: id, replyId: id }).strict(), chunk: tutorChunkSchema, done: tutorDoneSchema },
  },
});
