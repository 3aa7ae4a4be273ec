/** Shared pieces of the sync client tests: a migrated client database, in-memory ports, learner events, server seeding. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Sqlite } from '../../../electron/core/db/open';
import { defaultSettings, systemClock, type SecretStore, type SettingsStore } from '../../../electron/core/ports';
import { importPack } from '../../../electron/core/content/import';
import { createPractice } from '../../../electron/core/practice/practice';
import { ManualClock } from '../../helpers/clock';
import { buildPack, testUuid } from '../../content/pack-builder';
import type { ContentPackInput } from '../../../shared/content/pack';
import type { Settings } from '../../../shared/ipc/contract';
import type { PushSettings } from '../../../electron/core/sync/push';
import { pendingWhere } from '../../../electron/core/sync/outbox';
import { createSyncService, type SyncService, type SyncServiceOptions } from '../../../electron/core/sync/service';
import type { QueryResultRow } from 'pg';
import { startStack, type Stack, type StackOptions } from '../../../scripts/stack/stack';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `study-desk-${prefix}-`));
}

/** Starts the local stack in a fresh folder of its own, so it can be halted and started again with its data; stop() removes it. */
export interface TestStack extends Stack {
  /** Stops every part of the stack, keeping its data; `start` brings it back on the same port. */
  halt(): Promise<void>;
  start(): Promise<void>;
}

export async function startTestStack(options: Omit<StackOptions, 'dataDir' | 'quiet'> = {}): Promise<TestStack> {
  const dataDir = tempDir('stack');
  // Every test client signs in and refreshes from 127.0.0.1, far more often than one learner would.
  options = { authRateLimits: null, ...options };
  let current = await startStack({ ...options, dataDir, quiet: true });
  const port = Number(new URL(current.url).port);
  let running = true;
  return {
    get url() {
      return current.url;
    },
    get anonKey() {
      return current.anonKey;
    },
    get serviceKey() {
      return current.serviceKey;
    },
    get jwtSecret() {
      return current.jwtSecret;
    },
    get postgrestUrl() {
      return current.postgrestUrl;
    },
    get databaseUrl() {
      return current.databaseUrl;
    },
    get pids() {
      return current.pids;
    },
    query: <Row extends QueryResultRow = Record<string, unknown>>(text: string, values?: readonly unknown[]) =>
      current.query<Row>(text, values),
    reloadSchema: () => current.reloadSchema(),
    setFunctionEnv: (env) => current.setFunctionEnv(env),
    async halt() {
      running = false;
      await current.stop();
    },
    async start() {
      current = await startStack({ ...options, dataDir, port, quiet: true });
      running = true;
    },
    async stop() {
      if (running) await current.stop();
      running = false;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function openClientDb(dir: string, name = 'client.sqlite'): { file: string; sqlite: Sqlite } {
  const file = join(dir, name);
  const { sqlite } = openDatabase(file);
  return { file, sqlite };
}

export function memorySettings(): SettingsStore {
  let settings: Settings = { ...defaultSettings };
  const values = new Map<string, unknown>();
  return {
    get: () => settings,
    set(patch) {
      settings = { ...settings, ...patch };
      return settings;
    },
    getValue: <T>(key: string) => (values.get(key) ?? undefined) as T | undefined,
    setValue(key, value) {
      if (value === null || value === undefined) values.delete(key);
      else values.set(key, value);
    },
  };
}

export function memorySecrets(): SecretStore {
  const values = new Map<string, string>();
  return {
    get: (name) => values.get(name) ?? null,
    set: (name, value) => void values.set(name, value),
    delete: (name) => void values.delete(name),
  };
}

const PRACTICE_PACK = { name: 'sync-tests-practice', prefix: 'synctests', questionsPerSkill: 50 };
const practicePack = () => buildPack({ ...PRACTICE_PACK, domains: 1, skillsPerDomain: 1 });

/**
 * Publishes the practice pack of recordAttempts on the server, with the same ids: sync_push takes learner events only
 * on content the server ever published (others stay on the device), and these tests push answers to be stored.
 */
export async function publishPracticePack(stack: Stack): Promise<void> {
  await publishPackOnServer(stack, practicePack());
}

/** Publishes a content pack's domains, skills and questions on the server as its owner, with the pack's ids. */
export async function publishPackOnServer(
  stack: Stack,
  pack: Pick<ContentPackInput, 'domains' | 'skills' | 'questions'>,
): Promise<void> {
  await stack.query(
    `with d as (
       insert into public.domains (id, slug, title, sort_order, is_published)
       select x.id, x.slug, x.title, x.sort_order, true from jsonb_to_recordset($1) x (id uuid, slug text, title text, sort_order int)
     ), s as (
       insert into public.skills (id, domain_id, slug, title, description, sort_order, is_published)
       select x.id, x.domain_id, x.slug, x.title, x.description, x.sort_order, true
       from jsonb_to_recordset($2) x (id uuid, domain_id uuid, slug text, title text, description text, sort_order int)
     )
     insert into public.questions (id, skill_id, slug, type, payload, explanation, sort_order, is_published)
     select x.id, x.skill_id, x.slug, x.type, x.payload, x.explanation, x.sort_order, true
     from jsonb_to_recordset($3) x (id uuid, skill_id uuid, slug text, type text, payload jsonb, explanation jsonb, sort_order int)`,
    [JSON.stringify(pack.domains), JSON.stringify(pack.skills), JSON.stringify(pack.questions)],
  );
}

/**
 * Answers `count` questions with the real practice code, as a learner on this device would: sessions on the one skill
 * of a small local pack (imported on first use), each ended once its questions are answered. Every answer is one
 * transaction with its attempt, progress, profile and outbox rows. Returns the attempt ids.
 */
export function recordAttempts(sqlite: Sqlite, count: number, options: { startMs?: number } = {}): string[] {
  const clock = new ManualClock(options.startMs ?? Date.now());
  if (!sqlite.prepare('SELECT 1 FROM content_packs WHERE name = ?').get(PRACTICE_PACK.name)) {
    importPack(sqlite, Buffer.from(JSON.stringify(practicePack())), { mode: 'append', clock });
  }
  const skillId = testUuid(`${PRACTICE_PACK.prefix}-d0-s0`);
  const practice = createPractice(sqlite, { clock, timeZone: () => 'UTC' });
  const ids: string[] = [];
  while (ids.length < count) {
    const session = practice.startSession(skillId, 'practice');
    for (let next = practice.nextQuestion(session.id).question; next && ids.length < count; next = practice.nextQuestion(session.id).question) {
      // Distinct times, as a learner's answers have.
      clock.advance(1);
      const answer = next.type === 'mcq_single' ? { choice: ids.length % next.choices.length } : { order: next.initialOrder };
      ids.push(practice.recordAttempt(session.id, next.id, answer).attemptId);
    }
    practice.endSession(session.id);
  }
  return ids;
}

/** A sync service for tests: engine inline (so the injected fetch and clock apply), fast backoff, no debounce. */
export function testService(options: {
  dbFile: string;
  sqlite: Sqlite;
  push?: Partial<PushSettings>;
  secrets?: SecretStore;
  runInWorkerThread?: boolean;
  /** Anything else the test sets (timers, triggers, engine sizes). */
  overrides?: Partial<SyncServiceOptions>;
}): SyncService {
  return createSyncService({
    dbFile: options.dbFile,
    sqlite: options.sqlite,
    settings: memorySettings(),
    secrets: options.secrets ?? memorySecrets(),
    clock: systemClock,
    runInWorkerThread: options.runInWorkerThread ?? false,
    debounceMs: 0,
    watchdogIntervalMs: 200,
    engine: {
      push: {
        maxBatchCount: 50,
        maxBatchBytes: 1_000_000,
        timeoutMs: 5_000,
        maxAttempts: 50,
        backoff: { baseMs: 20, capMs: 300, maxRetryAfterMs: 5_000 },
        ...options.push,
      },
    },
    ...options.overrides,
  });
}

export function pendingOutbox(sqlite: Sqlite): number {
  return sqlite.prepare(`SELECT count(*) FROM outbox WHERE ${pendingWhere}`).pluck().get() as number;
}

/** Attempt ids on the server for this user, with how many rows each (always 1 if nothing duplicated). */
export async function serverAttempts(stack: Stack, userId: string): Promise<Map<string, number>> {
  const rows = await stack.query<{ id: string; n: string }>(
    'select id::text as id, count(*)::text as n from public.attempts where user_id = $1 group by id',
    [userId],
  );
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

export async function serverReceiptCount(stack: Stack, userId: string): Promise<number> {
  const rows = await stack.query<{ n: string }>('select count(*)::text as n from public.sync_receipts where user_id = $1', [userId]);
  return Number(rows[0]?.n ?? 0);
}

/** Publishes a small content tree on the server as its owner: `domains` × `skillsPerDomain` × `questionsPerSkill`. */
export async function seedServerContent(
  stack: Stack,
  shape: { domains: number; skillsPerDomain: number; questionsPerSkill: number; prefix?: string },
): Promise<void> {
  const prefix = shape.prefix ?? 'd';
  await stack.query(
    `with d as (
       insert into public.domains (slug, title, sort_order, is_published)
       select $1 || '_' || i, 'Domain ' || i, i, true from generate_series(1, $2) i returning id, sort_order
     ), s as (
       insert into public.skills (domain_id, slug, title, sort_order, is_published)
       select d.id, 'skill_' || j, 'Skill ' || j, j, true from d, generate_series(1, $3) j returning id
     )
     insert into public.questions (skill_id, slug, type, payload, explanation, sort_order, is_published)
     select s.id, 'q_' || k, 'mcq_single',
            jsonb_build_object('prompt', 'Question ' || k, 'choices', jsonb_build_array('a', 'b', 'c', 'd'), 'solution_index', k % 4),
            jsonb_build_object('body', 'Because ' || k), k, true
       from s, generate_series(1, $4) k`,
    [prefix, shape.domains, shape.skillsPerDomain, shape.questionsPerSkill],
  );
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}
