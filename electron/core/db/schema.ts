/** The local SQLite schema: one drizzle definition that drizzle-kit turns into migrations/sqlite. */
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Timestamps are INTEGER UTC milliseconds; JSON is stored as TEXT; ids are UUID strings (v7 where order helps).
const bool = (name: string) => integer(name, { mode: 'boolean' });

/**
 * Where a content row came from: the server (replaced by pulls, removed when another server is configured) or a
 * local pack by its name (never touched by a pull). Migration 0003 adds the CHECKs tying the two together.
 */
const provenance = () => ({
  origin: text('origin', { enum: ['server', 'pack'] }).notNull().default('server'),
  pack_name: text('pack_name'),
  /** The import (pending_imports.id) still writing this row; invisible to learners until it commits (migration 0011). */
  pending_import: text('pending_import'),
});

export const domains = sqliteTable(
  'domains',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    sort_order: integer('sort_order').notNull().default(0),
    is_published: bool('is_published').notNull().default(false),
    created_utc_ms: integer('created_utc_ms').notNull().default(0),
    updated_utc_ms: integer('updated_utc_ms').notNull().default(0),
    ...provenance(),
  },
  (t) => [
    uniqueIndex('domains_slug_uq').on(t.slug),
    index('domains_order_idx').on(t.sort_order, t.title),
    index('domains_pending_idx').on(t.pending_import).where(sql`pending_import IS NOT NULL`),
  ],
);

export const skills = sqliteTable(
  'skills',
  {
    id: text('id').primaryKey(),
    domain_id: text('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    sort_order: integer('sort_order').notNull().default(0),
    is_published: bool('is_published').notNull().default(false),
    created_utc_ms: integer('created_utc_ms').notNull().default(0),
    updated_utc_ms: integer('updated_utc_ms').notNull().default(0),
    ...provenance(),
  },
  (t) => [
    uniqueIndex('skills_domain_slug_uq').on(t.domain_id, t.slug),
    index('skills_domain_order_idx').on(t.domain_id, t.sort_order),
    index('skills_pending_idx').on(t.pending_import).where(sql`pending_import IS NOT NULL`),
  ],
);

export const questions = sqliteTable(
  'questions',
  {
    id: text('id').primaryKey(),
    skill_id: text('skill_id')
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    type: text('type', { enum: ['mcq_single', 'reorder_steps'] }).notNull(),
    payload: text('payload').notNull(),
    explanation: text('explanation'),
    sort_order: integer('sort_order').notNull().default(0),
    is_published: bool('is_published').notNull().default(false),
    created_utc_ms: integer('created_utc_ms').notNull().default(0),
    updated_utc_ms: integer('updated_utc_ms').notNull().default(0),
    ...provenance(),
  },
  (t) => [
    uniqueIndex('questions_skill_slug_uq').on(t.skill_id, t.slug),
    // Serves both "next published question of a skill" and per-skill learnable counts without table lookups: it holds
    // every column the learnable rule reads of a question (content/learnable.ts), pending_import included.
    index('questions_skill_published_order_idx').on(t.skill_id, t.is_published, t.sort_order, t.id, t.pending_import),
    index('questions_pending_idx').on(t.pending_import).where(sql`pending_import IS NOT NULL`),
  ],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    user_id: text('user_id').notNull(),
    // Soft link: learner history must survive content being pruned by a sync.
    skill_id: text('skill_id'),
    mode: text('mode', { enum: ['practice', 'test', 'review'] }).notNull().default('practice'),
    started_utc_ms: integer('started_utc_ms').notNull(),
    ended_utc_ms: integer('ended_utc_ms'),
    score: real('score'),
    meta: text('meta'),
  },
  (t) => [
    index('sessions_user_started_idx').on(t.user_id, t.started_utc_ms),
    index('sessions_user_ended_idx').on(t.user_id, t.ended_utc_ms),
  ],
);

export const attempts = sqliteTable(
  'attempts',
  {
    id: text('id').primaryKey(),
    user_id: text('user_id').notNull(),
    // Soft link (see sessions.skill_id).
    question_id: text('question_id').notNull(),
    session_id: text('session_id').references(() => sessions.id),
    answer: text('answer').notNull(),
    is_correct: bool('is_correct'),
    ts_utc_ms: integer('ts_utc_ms').notNull(),
    meta: text('meta'),
  },
  (t) => [
    uniqueIndex('attempts_user_question_ts_uq').on(t.user_id, t.question_id, t.ts_utc_ms),
    index('attempts_session_idx').on(t.session_id),
  ],
);

export const skillProgress = sqliteTable(
  'skill_progress',
  {
    id: text('id').primaryKey(),
    user_id: text('user_id').notNull(),
    skill_id: text('skill_id').notNull(),
    /** Share of the skill's questions answered correctly at least once, 0..1. */
    progress: real('progress').notNull().default(0),
    mastered_count: integer('mastered_count').notNull().default(0),
    attempt_count: integer('attempt_count').notNull().default(0),
    correct_count: integer('correct_count').notNull().default(0),
    last_attempt_ts: integer('last_attempt_ts').notNull(),
    updated_utc_ms: integer('updated_utc_ms').notNull().default(0),
  },
  (t) => [uniqueIndex('skill_progress_user_skill_uq').on(t.user_id, t.skill_id)],
);

/** The learner's settings that sync (the blueprint's user_settings); device-only ones stay in the host's store. */
export const userSettings = sqliteTable('user_settings', {
  user_id: text('user_id').primaryKey(),
  app_theme: text('app_theme', { enum: ['system', 'light', 'dark', 'high-contrast'] }).notNull(),
  prefers_assistive_learning: bool('prefers_assistive_learning').notNull(),
  time_zone: text('time_zone').notNull(),
  rollover_hour: integer('rollover_hour').notNull(),
  desired_retention: real('desired_retention').notNull(),
  daily_review_limit: integer('daily_review_limit').notNull(),
  created_utc_ms: integer('created_utc_ms').notNull(),
  updated_utc_ms: integer('updated_utc_ms').notNull(),
});

/** FSRS memory state of one question for one learner (ts-fsrs's Card), written with the attempt that reviewed it. */
export const memoryStates = sqliteTable(
  'memory_states',
  {
    id: text('id').primaryKey(),
    user_id: text('user_id').notNull(),
    // Soft link (see sessions.skill_id).
    question_id: text('question_id').notNull(),
    stability: real('stability').notNull(),
    difficulty: real('difficulty').notNull(),
    due_utc_ms: integer('due_utc_ms').notNull(),
    scheduled_days: integer('scheduled_days').notNull(),
    learning_steps: integer('learning_steps').notNull(),
    reps: integer('reps').notNull(),
    lapses: integer('lapses').notNull(),
    /** ts-fsrs State: 0 new, 1 learning, 2 review, 3 relearning. */
    state: integer('state').notNull(),
    last_review_utc_ms: integer('last_review_utc_ms').notNull(),
    updated_utc_ms: integer('updated_utc_ms').notNull(),
  },
  (t) => [
    uniqueIndex('memory_states_user_question_uq').on(t.user_id, t.question_id),
    // The review queue: a learner's states in due order (next due question, due-today counts).
    index('memory_states_user_due_idx').on(t.user_id, t.due_utc_ms),
  ],
);

export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    table_name: text('table_name').notNull(),
    row_id: text('row_id').notNull(),
    /** Full row snapshot: the server write is an idempotent upsert by id. */
    payload: text('payload').notNull(),
    ts_utc_ms: integer('ts_utc_ms').notNull(),
    processed: bool('processed').notNull().default(false),
    processed_utc_ms: integer('processed_utc_ms'),
    attempt_count: integer('attempt_count').notNull().default(0),
    next_attempt_utc_ms: integer('next_attempt_utc_ms').notNull().default(0),
    last_error: text('last_error'),
    dead_utc_ms: integer('dead_utc_ms'),
    /**
     * Null for the current learner's rows. Rows of another account that used this device name it, and wait (unsent,
     * not dead) until that account signs in again.
     */
    waiting_for_account: text('waiting_for_account'),
    /**
     * Set when the server answered `unknown_content`: the row is about content it never published (a local pack, the
     * built-in sample). It stays on this device, neither pending nor dead.
     */
    device_only_utc_ms: integer('device_only_utc_ms'),
  },
  // No UNIQUE(table_name, row_id, ts_utc_ms) as in the seed: the UUID v7 id already makes every queued
  // snapshot unique and is the server's idempotency key, and that index cost 6 of ~15 WAL pages per attempt.
  (t) => [
    index('outbox_due_idx')
      .on(t.ts_utc_ms, t.id)
      .where(sql`processed = 0 AND dead_utc_ms IS NULL AND device_only_utc_ms IS NULL AND waiting_for_account IS NULL`),
    index('outbox_dead_idx').on(t.dead_utc_ms).where(sql`dead_utc_ms IS NOT NULL AND processed = 0`),
    index('outbox_device_only_idx').on(t.device_only_utc_ms).where(sql`device_only_utc_ms IS NOT NULL AND processed = 0`),
  ],
);

export const chatSessions = sqliteTable(
  'chat_sessions',
  {
    id: text('id').primaryKey(),
    user_id: text('user_id').notNull(),
    chat_name: text('chat_name'),
    context_snapshot: text('context_snapshot'),
    skill_id: text('skill_id'),
    is_active: bool('is_active').notNull().default(true),
    created_utc_ms: integer('created_utc_ms').notNull(),
    updated_utc_ms: integer('updated_utc_ms').notNull(),
  },
  (t) => [index('chat_sessions_user_updated_idx').on(t.user_id, t.updated_utc_ms)],
);

export const chatMessages = sqliteTable(
  'chat_messages',
  {
    id: text('id').primaryKey(),
    chat_id: text('chat_id')
      .notNull()
      .references(() => chatSessions.id, { onDelete: 'cascade' }),
    sender: text('sender', { enum: ['user', 'tutor', 'system'] }).notNull(),
    message_content: text('message_content'),
    tool_calls: text('tool_calls').notNull().default('[]'),
    sequence: integer('sequence').notNull(),
    created_utc_ms: integer('created_utc_ms').notNull(),
    /** How a tutor reply ended (null: a learner's message, or a reply still streaming, locally only). */
    status: text('status', { enum: ['complete', 'stopped', 'interrupted', 'failed'] }),
    /** Where a reply came from: provider, edge or offline. */
    source: text('source', { enum: ['provider', 'edge', 'offline'] }),
    /** JSON { code, message, … } of a failed or interrupted reply. */
    error: text('error'),
  },
  (t) => [uniqueIndex('chat_messages_chat_sequence_uq').on(t.chat_id, t.sequence)],
);

export const contentPacks = sqliteTable(
  'content_packs',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    version: text('version').notNull(),
    schema_version: text('schema_version').notNull(),
    description: text('description'),
    sha256: text('sha256').notNull(),
    file_size: integer('file_size').notNull(),
    import_mode: text('import_mode', { enum: ['append', 'override'] }).notNull(),
    /** The drill pack's metadata (title, description, 7 categories) when the pack has one. */
    drill_metadata: text('drill_metadata'),
    imported_utc_ms: integer('imported_utc_ms').notNull(),
    /** A drill pack's status; at most one ACTIVE (migration 0009 adds the CHECK tying ACTIVE to drill_metadata). */
    status: text('status', { enum: ['DRAFT', 'ACTIVE', 'ARCHIVED'] }).notNull().default('DRAFT'),
    activated_utc_ms: integer('activated_utc_ms'),
    /** The import still writing this pack (migration 0011); listed nowhere until it commits. */
    pending_import: text('pending_import'),
  },
  (t) => [
    index('content_packs_name_idx').on(t.name, t.imported_utc_ms),
    uniqueIndex('content_packs_one_active_uq').on(t.status).where(sql`status = 'ACTIVE'`),
    index('content_packs_pending_idx').on(t.pending_import).where(sql`pending_import IS NOT NULL`),
  ],
);

export const drillQuestions = sqliteTable(
  'drill_questions',
  {
    id: text('id').primaryKey(),
    pack_id: text('pack_id')
      .notNull()
      .references(() => contentPacks.id, { onDelete: 'cascade' }),
    category: text('category').notNull(),
    prompt: text('prompt').notNull(),
    expected_duration_s: integer('expected_duration_s').notNull(),
    evaluation_criteria: text('evaluation_criteria').notNull(),
    pending_import: text('pending_import'),
  },
  (t) => [
    index('drill_questions_pack_category_idx').on(t.pack_id, t.category),
    index('drill_questions_pending_idx').on(t.pending_import).where(sql`pending_import IS NOT NULL`),
  ],
);

export const drillSessions = sqliteTable(
  'drill_sessions',
  {
    id: text('id').primaryKey(),
    user_id: text('user_id').notNull(),
    question_id: text('question_id').notNull(),
    content_pack_version: text('content_pack_version').notNull(),
    /** Moves only STARTED → SUBMITTED → PROCESSING → COMPLETED | FAILED (drills/state.ts; migration 0010's triggers). */
    status: text('status', { enum: ['STARTED', 'SUBMITTED', 'PROCESSING', 'COMPLETED', 'FAILED'] }).notNull(),
    started_utc_ms: integer('started_utc_ms').notNull(),
    submitted_utc_ms: integer('submitted_utc_ms'),
    completed_utc_ms: integer('completed_utc_ms'),
    processing_time_ms: integer('processing_time_ms'),
    metadata: text('metadata'),
  },
  (t) => [index('drill_sessions_user_started_idx').on(t.user_id, t.started_utc_ms)],
);

export const drillResponses = sqliteTable(
  'drill_responses',
  {
    id: text('id').primaryKey(),
    session_id: text('session_id')
      .notNull()
      .references(() => drillSessions.id, { onDelete: 'cascade' }),
    content: text('content'),
    audio_url: text('audio_url'),
    audio_duration_s: real('audio_duration_s'),
    word_count: integer('word_count'),
    created_utc_ms: integer('created_utc_ms').notNull(),
  },
  (t) => [uniqueIndex('drill_responses_session_uq').on(t.session_id)],
);

export const evaluationResults = sqliteTable(
  'evaluation_results',
  {
    id: text('id').primaryKey(),
    session_id: text('session_id')
      .notNull()
      .references(() => drillSessions.id, { onDelete: 'cascade' }),
    response_id: text('response_id')
      .notNull()
      .references(() => drillResponses.id, { onDelete: 'cascade' }),
    duration_s: real('duration_s').notNull(),
    words: integer('words').notNull(),
    wpm: real('wpm').notNull(),
    overall_score: real('overall_score').notNull(),
    categories: text('categories').notNull(),
    what_changed: text('what_changed').notNull(),
    practice_rule: text('practice_rule').notNull(),
    model_used: text('model_used').notNull(),
    processing_time_ms: integer('processing_time_ms').notNull(),
    created_utc_ms: integer('created_utc_ms').notNull(),
  },
  (t) => [uniqueIndex('evaluation_results_session_uq').on(t.session_id)],
);

/**
 * A drill answer still being written (migration 0013), so a reload or a closed window loses neither the text nor the
 * time spent: made with its STARTED session, saved as the learner writes, gone once the answer is submitted or the
 * learner discards it. Device-only: not in the sync registry, so never queued in the outbox.
 */
export const drillDrafts = sqliteTable('drill_drafts', {
  session_id: text('session_id')
    .primaryKey()
    .references(() => drillSessions.id, { onDelete: 'cascade' }),
  mode: text('mode', { enum: ['written', 'spoken'] }).notNull(),
  transcript: text('transcript').notNull(),
  /** A kept recording (relative to the data folder) and its measured length, for a spoken answer. */
  audio_path: text('audio_path'),
  audio_duration_s: real('audio_duration_s'),
  /** Time since Start and since the first keystroke, as of the last save (time away from the app does not count). */
  elapsed_ms: integer('elapsed_ms').notNull(),
  typing_ms: integer('typing_ms'),
  updated_utc_ms: integer('updated_utc_ms').notNull(),
});

/** The learner's profile; one row per user id that has studied on this device. */
export const profile = sqliteTable('profile', {
  user_id: text('user_id').primaryKey(),
  display_name: text('display_name'),
  xp: integer('xp').notNull().default(0),
  streak_count: integer('streak_count').notNull().default(0),
  /** The learner's local calendar day (YYYY-MM-DD) of the last activity, in their time zone then. */
  last_active_day: text('last_active_day'),
  last_active_utc_ms: integer('last_active_utc_ms'),
  created_utc_ms: integer('created_utc_ms').notNull(),
  updated_utc_ms: integer('updated_utc_ms').notNull(),
});

/** Pack imports still writing (migration 0011): their rows carry the id in `pending_import` and stay invisible. */
export const pendingImports = sqliteTable('pending_imports', {
  id: text('id').primaryKey(),
  pack_name: text('pack_name').notNull(),
  started_utc_ms: integer('started_utc_ms').notNull(),
});

/** Small key/value state of the sync engine (cursors, content version, local learner id). */
export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updated_utc_ms: integer('updated_utc_ms').notNull(),
});
