/**
 * The one IPC contract: every request channel with its zod input and output, and every
 * main → renderer event. The preload, the Electron handlers and the web host are all derived from it.
 */
import { z } from 'zod';

const id = z.string().uuid();
const utcMs = z.number().int().nonnegative();

export const questionTypeSchema = z.enum(['mcq_single', 'reorder_steps']);
export const sessionModeSchema = z.enum(['practice', 'test']);

export const skillSummarySchema = z.object({
  id,
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  questionCount: z.number().int().nonnegative(),
  progress: z.number().min(0).max(1),
});
export const domainNodeSchema = z.object({
  id,
  slug: z.string(),
  title: z.string(),
  skills: z.array(skillSummarySchema),
});
export const libraryTreeSchema = z.object({ domains: z.array(domainNodeSchema) });

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
  profile: z.lazy(() => profileSummarySchema),
});

export const profileSummarySchema = z.object({
  xp: z.number().int().nonnegative(),
  level: z.number().int().nonnegative(),
  streak: z.number().int().nonnegative(),
  lastActiveUtcMs: utcMs.nullable(),
});

export const progressOverviewSchema = z.object({
  profile: profileSummarySchema,
  sessionsThisWeek: z.number().int().nonnegative(),
  skills: z.array(
    z.object({
      skillId: id,
      skillTitle: z.string(),
      domainTitle: z.string(),
      progress: z.number().min(0).max(1),
      attemptCount: z.number().int().nonnegative(),
      correctCount: z.number().int().nonnegative(),
      lastAttemptUtcMs: utcMs,
    }),
  ),
  history: z.array(
    z.object({
      sessionId: id,
      skillTitle: z.string(),
      mode: sessionModeSchema,
      score: z.number().min(0).max(1).nullable(),
      startedUtcMs: utcMs,
      endedUtcMs: utcMs.nullable(),
    }),
  ),
});

export const themeSchema = z.enum(['system', 'light', 'dark', 'high-contrast']);
export const settingsSchema = z.object({
  theme: themeSchema,
  assistiveMode: z.boolean(),
  singleKeyShortcuts: z.boolean(),
  /** IANA time zone, e.g. "Europe/Paris"; used for streak days and displayed times. */
  timeZone: z.string().min(1).max(64),
});
export type Settings = z.infer<typeof settingsSchema>;

export const syncStateSchema = z.enum(['disabled', 'idle', 'syncing', 'offline', 'error']);
export const syncStatusSchema = z.object({
  state: syncStateSchema,
  configured: z.boolean(),
  signedInEmail: z.string().nullable(),
  pendingCount: z.number().int().nonnegative(),
  deadCount: z.number().int().nonnegative(),
  lastSyncUtcMs: utcMs.nullable(),
  lastError: z.string().nullable(),
  /** Download progress of a content pull, when one is running. */
  download: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative().nullable() }).nullable(),
  contentVersion: z.number().int().nonnegative().nullable(),
  serverContentVersion: z.number().int().nonnegative().nullable(),
  contentOutdated: z.boolean(),
});

export const deadLetterSchema = z.object({
  id,
  tableName: z.string(),
  rowId: z.string(),
  lastError: z.string().nullable(),
  attemptCount: z.number().int().nonnegative(),
  tsUtcMs: utcMs,
  deadUtcMs: utcMs,
});

export const syncConfigSchema = z.object({
  url: z.string().url().max(2048),
  anonKey: z.string().min(1).max(4096),
});
export const credentialsSchema = z.object({
  email: z.string().email().max(320),
  password: z.string().min(6).max(1024),
});

export const appInfoSchema = z.object({
  version: z.string(),
  host: z.enum(['electron', 'web']),
  dataDir: z.string(),
  questionCount: z.number().int().nonnegative(),
});

const none = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

/** Request channels: `feature:action` → { input, output }. */
export const channels = {
  'app:info': { input: none, output: appInfoSchema },
  'library:tree': { input: none, output: libraryTreeSchema },
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
  'progress:overview': { input: none, output: progressOverviewSchema },
  'settings:get': { input: none, output: settingsSchema },
  'settings:set': { input: settingsSchema.partial().strict(), output: settingsSchema },
  'sync:status': { input: none, output: syncStatusSchema },
  'sync:configure': { input: syncConfigSchema.strict(), output: syncStatusSchema },
  'sync:now': { input: none, output: syncStatusSchema },
  'sync:signUp': { input: credentialsSchema.strict(), output: syncStatusSchema },
  'sync:signIn': { input: credentialsSchema.strict(), output: syncStatusSchema },
  'sync:signOut': { input: none, output: syncStatusSchema },
  'sync:deadLetters': { input: none, output: z.array(deadLetterSchema) },
  'sync:retryDead': { input: z.object({ ids: z.array(id).min(1).max(1000) }).strict(), output: ok },
  'sync:discardDead': { input: z.object({ ids: z.array(id).min(1).max(1000) }).strict(), output: ok },
} as const;

/** Events pushed from the main side to the renderer. */
export const events = {
  'sync:status': syncStatusSchema,
  'content:updated': z.object({ questionCount: z.number().int().nonnegative(), contentVersion: z.number().int().nullable() }),
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export type LibraryTree = z.infer<typeof libraryTreeSchema>;
export type ServedQuestion = z.infer<typeof servedQuestionSchema>;
export type Answer = z.infer<typeof answerSchema>;
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
export type AttemptResult = z.infer<typeof attemptResultSchema>;
export type SessionSummary = z.infer<typeof sessionSummarySchema>;
export type ProfileSummary = z.infer<typeof profileSummarySchema>;
export type ProgressOverview = z.infer<typeof progressOverviewSchema>;
export type SyncStatus = z.infer<typeof syncStatusSchema>;
export type DeadLetter = z.infer<typeof deadLetterSchema>;
export type AppInfo = z.infer<typeof appInfoSchema>;
