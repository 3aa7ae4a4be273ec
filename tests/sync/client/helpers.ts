/** Shared pieces of the sync client tests: a migrated client database, in-memory ports, learner events, server seeding. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Sqlite } from '../../../electron/core/db/open';
import { uuidv7 } from '../../../electron/core/ids';
import { defaultSettings, systemClock, type SecretStore, type SettingsStore } from '../../../electron/core/ports';
import { ensureLearnerId } from '../../../electron/core/learner/identity';
import { createOutboxWriter } from '../../../electron/core/sync/outbox-writer';
import type { Settings } from '../../../shared/ipc/contract';
import type { PushSettings } from '../../../electron/core/sync/push';
import { createSyncService, type SyncService } from '../../../electron/core/sync/service';
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

/** Records a practice session with `count` attempts the way the practice core does: row + outbox row, one transaction each. */
export function recordAttempts(sqlite: Sqlite, count: number, options: { questionId?: string; startMs?: number } = {}): string[] {
  const writer = createOutboxWriter(sqlite);
  const startMs = options.startMs ?? Date.now();
  const user = ensureLearnerId(sqlite, startMs);
  const sessionId = uuidv7(startMs);
  const session = { id: sessionId, user_id: user, skill_id: null, mode: 'practice', started_utc_ms: startMs, ended_utc_ms: null, score: null, meta: null };
  sqlite.transaction(() => {
    sqlite
      .prepare('INSERT INTO sessions (id, user_id, skill_id, mode, started_utc_ms) VALUES (?, ?, NULL, ?, ?)')
      .run(sessionId, user, 'practice', startMs);
    writer.enqueue('sessions', session, startMs);
  })();
  const insert = sqlite.prepare(
    'INSERT INTO attempts (id, user_id, question_id, session_id, answer, is_correct, ts_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const ids: string[] = [];
  const questionId = options.questionId ?? '00000000-0000-4000-8000-000000000001';
  for (let i = 0; i < count; i++) {
    const ts = startMs + i + 1;
    const id = uuidv7(ts);
    const row = { id, user_id: user, question_id: questionId, session_id: sessionId, answer: JSON.stringify({ choice: i % 4 }), is_correct: i % 2 === 0 ? (1 as const) : (0 as const), ts_utc_ms: ts, meta: null };
    sqlite.transaction(() => {
      insert.run(id, user, questionId, sessionId, row.answer, row.is_correct, ts);
      writer.enqueue('attempts', row, ts);
    })();
    ids.push(id);
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
  });
}

export function pendingOutbox(sqlite: Sqlite): number {
  return sqlite.prepare('SELECT count(*) FROM outbox WHERE processed = 0 AND dead_utc_ms IS NULL').pluck().get() as number;
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
