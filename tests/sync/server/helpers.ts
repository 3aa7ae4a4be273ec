/** Shared fixtures of the server sync tests: a stack per file, signed-in supabase-js clients, sample rows. */
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { createUser, type EntitlementLevel, type Stack, type StackRole } from '../../../scripts/stack/stack';
import { syncedTableNames, tableSpec, type ServerRow, type SyncedTable } from '../../../electron/core/sync/registry';

export const STACK_TIMEOUT_MS = 120_000;

export interface PushItem {
  id: string;
  table_name: string;
  row_id: string;
  row: Record<string, unknown>;
}

export interface PushResult {
  id: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  reason?: string;
}

export interface Learner {
  id: string;
  email: string;
  client: SupabaseClient;
}

function newClient(stack: Stack): SupabaseClient {
  return createClient(stack.url, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    // Node 20 has no global WebSocket; realtime is never subscribed in these tests.
    realtime: { transport: WebSocket as unknown as never },
  });
}

export function anonClient(stack: Stack): SupabaseClient {
  return newClient(stack);
}

/**
 * A user created in auth.users and signed in through the gateway's password grant. Entitled BASIC unless told
 * otherwise, so that their drills sync (a new account starts LOCKED).
 */
export async function signedInUser(
  stack: Stack,
  role: StackRole = 'learner',
  entitlement: EntitlementLevel = 'BASIC',
): Promise<Learner> {
  const email = `${role}-${randomUUID()}@example.test`;
  const password = 'correct horse battery';
  const user = await createUser(stack, { email, password, role, entitlement });
  const client = newClient(stack);
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw new Error(`sign-in of ${email} failed: ${error.message}`);
  return { id: user.id, email, client };
}

export async function push(client: SupabaseClient, items: PushItem[]): Promise<PushResult[]> {
  const { data, error } = await client.rpc('sync_push', { items });
  if (error) throw new Error(`sync_push failed: ${error.message}`);
  return data as PushResult[];
}

export function item(table: string, row: Record<string, unknown>, rowId?: string): PushItem {
  return { id: randomUUID(), table_name: table, row_id: rowId ?? String(row.id), row };
}

/**
 * Content that sync_push accepts learner events for (it refuses events on content it never published): one domain
 * with many published skills and questions, handed out one by one so that sample rows never share a skill or a
 * question by accident (an attempt is unique per user, question and time).
 */
let published: {
  skills: string[];
  questions: string[];
  drillQuestions: string[];
  nextSkill: number;
  nextQuestion: number;
  nextDrillQuestion: number;
} | null = null;
const PUBLISHED_SKILLS = 3000;
const QUESTIONS_PER_SKILL = 3;

/** Publishes the content pool of this test file's stack; call it once in beforeAll, before any sampleRows. */
export async function publishContentPool(stack: Stack): Promise<void> {
  const slug = `pool${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const rows = await stack.query<{ skill_id: string; question_id: string }>(
    `with d as (
       insert into public.domains (slug, title, is_published) values ($1, 'Pool', true) returning id
     ), s as (
       insert into public.skills (domain_id, slug, title, sort_order, is_published)
       select d.id, 'skill_' || i, 'Skill ' || i, i, true from d, generate_series(1, $2) i returning id, sort_order
     )
     insert into public.questions (skill_id, slug, type, payload, sort_order, is_published)
     select s.id, 'q_' || s.sort_order || '_' || k, 'mcq_single',
       '{"prompt":"2x = 10?","choices":["3","5"],"solution_index":1}', k, true
     from s, generate_series(1, $3) k
     returning skill_id::text, id::text as question_id`,
    [slug, PUBLISHED_SKILLS, QUESTIONS_PER_SKILL],
  );
  // And an active drill pack, so that drill sessions on its questions are accepted (text ids, as packs have them).
  const drillQuestions = Array.from({ length: PUBLISHED_SKILLS }, (_, i) => ({
    id: `${slug}-drill-${i}`,
    category: drillPoolCategories[i % drillPoolCategories.length]!,
    prompt: `Tell me about a time ${i}.`,
    expected_duration_s: 90,
    evaluation_criteria: ['Names a result'],
  }));
  await stack.query(`update public.content_packs set status = 'ARCHIVED' where status = 'ACTIVE'`);
  await stack.query(
    `insert into public.content_packs (version, name, content, status, file_size, checksum)
     values ('1.0.0', $1, $2, 'ACTIVE', 1000, repeat('a', 64))`,
    [slug, JSON.stringify({ version: '1.0.0', metadata: { title: 'Pool drills', description: '', categories: drillPoolCategories }, questions: drillQuestions })],
  );
  published = {
    skills: [...new Set(rows.map((r) => r.skill_id))],
    questions: rows.map((r) => r.question_id),
    drillQuestions: drillQuestions.map((q) => q.id),
    nextSkill: 0,
    nextQuestion: 0,
    nextDrillQuestion: 0,
  };
}

const drillPoolCategories = ['Motivation', 'Teamwork', 'Conflict', 'Leadership', 'Failure', 'Ethics', 'Growth'];

function pool() {
  if (!published) throw new Error('publishContentPool(stack) must run in beforeAll before sample rows are made');
  return published;
}

/** A published skill no other sample row has used yet in this file. */
export function publishedSkillId(): string {
  const p = pool();
  return p.skills[p.nextSkill++ % p.skills.length]!;
}

/** A published question no other sample row has used yet in this file. */
export function publishedQuestionId(): string {
  const p = pool();
  return p.questions[p.nextQuestion++ % p.questions.length]!;
}

/** A drill question of the pool's active pack no other sample row has used yet in this file. */
export function publishedDrillQuestionId(): string {
  const p = pool();
  return p.drillQuestions[p.nextDrillQuestion++ % p.drillQuestions.length]!;
}

/** An evaluation's 7 rubric categories, each with a verdict, a note and its evidence. */
export function sampleCategories(): Array<{ name: string; measure: string; verdict: 'PASS' | 'FLAG'; note: string; evidence: string[] }> {
  return ['Pace', 'Fillers and hedging', 'Structure', 'Specificity', 'Relevance', 'Length', 'Result'].map((name, i) => ({
    name,
    measure: ['pace', 'fillers', 'structure', 'specificity', 'relevance', 'length', 'result'][i]!,
    verdict: i % 2 === 0 ? 'PASS' : 'FLAG',
    note: `${name} noted`,
    evidence: ['My answer'],
  }));
}

/** A full local-shape row for every pushed table, owned by `userId` (ids fresh on every call, content published). */
export function sampleRows(userId: string) {
  const now = 1_700_000_000_000;
  const session = {
    id: randomUUID(),
    user_id: userId,
    skill_id: publishedSkillId(),
    mode: 'practice',
    started_utc_ms: now,
    ended_utc_ms: null,
    score: null,
    meta: '{"device":"test"}',
  };
  const attempt = {
    id: randomUUID(),
    user_id: userId,
    question_id: publishedQuestionId(),
    session_id: session.id,
    answer: '{"choice":2}',
    is_correct: true,
    ts_utc_ms: now + 1000,
    meta: null,
  };
  const skillProgress = {
    id: randomUUID(),
    user_id: userId,
    skill_id: session.skill_id,
    progress: 0.5,
    mastered_count: 1,
    attempt_count: 2,
    correct_count: 1,
    last_attempt_ts: now + 1000,
    updated_utc_ms: now + 1000,
  };
  const profile = {
    user_id: userId,
    display_name: 'Sophie',
    xp: 10,
    streak_count: 1,
    last_active_day: '2023-11-14',
    last_active_utc_ms: now + 1000,
    created_utc_ms: now,
    updated_utc_ms: now + 1000,
  };
  const chatSession = {
    id: randomUUID(),
    user_id: userId,
    chat_name: 'Linear equations',
    context_snapshot: '{"skill":"linear_equations"}',
    skill_id: session.skill_id,
    is_active: true,
    created_utc_ms: now,
    updated_utc_ms: now,
  };
  const chatMessage = {
    id: randomUUID(),
    chat_id: chatSession.id,
    sender: 'user',
    message_content: 'Why divide by 2?',
    tool_calls: '[]',
    sequence: 0,
    created_utc_ms: now,
    status: 'interrupted',
    source: 'provider',
    error: JSON.stringify({ code: 'network', message: 'The connection to the provider failed.' }),
  };
  const drillSession = {
    id: randomUUID(),
    user_id: userId,
    question_id: publishedDrillQuestionId(),
    content_pack_version: '1.0.0',
    status: 'COMPLETED',
    started_utc_ms: now,
    submitted_utc_ms: now + 60_000,
    completed_utc_ms: now + 65_000,
    processing_time_ms: 5000,
    metadata: null,
  };
  const drillResponse = {
    id: randomUUID(),
    session_id: drillSession.id,
    content: 'My answer',
    audio_duration_s: null,
    word_count: 2,
    created_utc_ms: now + 60_000,
  };
  const evaluation = {
    id: randomUUID(),
    session_id: drillSession.id,
    response_id: drillResponse.id,
    duration_s: 60,
    words: 2,
    wpm: 2,
    overall_score: 7.5,
    categories: JSON.stringify(sampleCategories()),
    what_changed: '["slow down"]',
    practice_rule: 'Pause before answering.',
    model_used: 'local-rules',
    processing_time_ms: 5000,
    created_utc_ms: now + 65_000,
  };
  const memoryState = {
    id: randomUUID(),
    user_id: userId,
    question_id: attempt.question_id,
    stability: 2.3,
    difficulty: 5.1,
    due_utc_ms: now + 86_400_000,
    scheduled_days: 1,
    learning_steps: 0,
    reps: 1,
    lapses: 0,
    state: 2,
    last_review_utc_ms: now + 1000,
    updated_utc_ms: now + 1000,
  };
  const userSettings = {
    user_id: userId,
    app_theme: 'dark',
    prefers_assistive_learning: false,
    time_zone: 'Europe/Paris',
    rollover_hour: 4,
    desired_retention: 0.9,
    daily_review_limit: 100,
    created_utc_ms: now,
    updated_utc_ms: now + 1000,
  };
  // Typed by the registry: a sample row that drifts from what the server receives fails the typecheck.
  return {
    sessions: session,
    attempts: attempt,
    skill_progress: skillProgress,
    memory_states: memoryState,
    user_settings: userSettings,
    profile,
    chat_sessions: chatSession,
    chat_messages: chatMessage,
    drill_sessions: drillSession,
    drill_responses: drillResponse,
    evaluation_results: evaluation,
  } satisfies { [T in SyncedTable]: ServerRow<T> };
}

export type SampleRows = ReturnType<typeof sampleRows>;
export type LearnerTable = SyncedTable;
/** The registry's tables, parents before children, as the device's outbox would send them. */
export const LEARNER_TABLES: LearnerTable[] = syncedTableNames;

export function primaryKey(table: LearnerTable): string {
  return tableSpec(table).rowIdColumn;
}

export function pushItemsFor(rows: SampleRows): PushItem[] {
  return LEARNER_TABLES.map((table) => {
    const row = rows[table] as Record<string, unknown>;
    return item(table, row, String(row[primaryKey(table)]));
  });
}

/** Inserts a published domain → skill → question chain (plus optional extras) as the database owner. */
export async function seedContent(
  stack: Stack,
  options: { domainPublished?: boolean; skillPublished?: boolean; questionPublished?: boolean } = {},
) {
  const domainId = randomUUID();
  const skillId = randomUUID();
  const questionId = randomUUID();
  const slug = `s${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await stack.query('insert into public.domains (id, slug, title, is_published) values ($1, $2, $3, $4)', [
    domainId,
    slug,
    'Algebra',
    options.domainPublished ?? true,
  ]);
  await stack.query('insert into public.skills (id, domain_id, slug, title, is_published) values ($1, $2, $3, $4, $5)', [
    skillId,
    domainId,
    slug,
    'Linear equations',
    options.skillPublished ?? true,
  ]);
  await stack.query(
    `insert into public.questions (id, skill_id, slug, type, payload, is_published)
     values ($1, $2, $3, 'mcq_single', '{"prompt":"2x = 10?","choices":["3","5"],"solution_index":1}', $4)`,
    [questionId, skillId, slug, options.questionPublished ?? true],
  );
  return { domainId, skillId, questionId };
}
