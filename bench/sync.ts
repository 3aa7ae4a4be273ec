/** Sync benchmarks against the local stack: first pull of 100k questions, and draining 10k queued attempts. */
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Sqlite } from '../electron/core/db/open';
import { uuidv7 } from '../electron/core/ids';
import { ensureLearnerId } from '../electron/core/learner/identity';
import { createOutboxWriter } from '../electron/core/sync/outbox-writer';
import { createSyncEngine } from '../electron/core/sync/engine';
import { defaultPushSettings } from '../electron/core/sync/push';
import { createUser } from '../scripts/stack/stack';
import { seedServerContent, startTestStack, tempDir, type TestStack } from '../tests/sync/client/helpers';
import { publishBenchContent } from './push';
import { median, round, withBaseline, type BenchResult } from './result';
import type { PullRoundRequest, PullRoundResult } from './pull-round';

/** The 100k-question server content of pull_100k (also pulled under load by answer_during_pull). */
export const PULL_SHAPE = { domains: 50, skillsPerDomain: 20, questionsPerSkill: 100 };
const PAGE_SIZE = 5000;
const PUSH_ROWS = 10_000;
// The client's own batch bounds (not tuned for the bench); the baseline sends batches of the same count.
const PUSH_BATCH = defaultPushSettings.maxBatchCount;

// The content the pushed attempts answer: published on the server, which takes events only on content it published.
const BENCH_SKILL_ID = '00000000-0000-4000-8000-000000000002';
const BENCH_QUESTION_ID = '00000000-0000-4000-8000-000000000001';

/** One change of pull_content_changes: [entity, change_xid, id, values or null]. */
type Change = ['domain' | 'skill' | 'question', string, string, (string | number | null)[] | null];

/**
 * The bench's 100k questions on the server as a deployed project serves them: bulk-seeded, then vacuumed and analyzed
 * (autovacuum would otherwise do it during the measured pull), and read once through the gateway, untimed, so
 * PostgREST's connections and Postgres's plans and buffers are warm, as the peer comparison measured too (3
 * rounds). Both the pull and its baseline then meet the same server.
 */
export async function serveBenchContent(stack: TestStack): Promise<void> {
  await seedServerContent(stack, { ...PULL_SHAPE, prefix: 'bench' });
  await stack.query('vacuum analyze');
  await fetchPages(`${stack.url}/rest/v1/rpc`, stack.anonKey, () => undefined);
}

/** Every page of pull_content_changes from `rpcBase`, in order, with plain fetch. */
async function fetchPages(rpcBase: string, anonKey: string, onPage: (changes: Change[]) => void): Promise<void> {
  let cursor: { xid: string; id: string } | null = null;
  for (;;) {
    const response = await fetch(`${rpcBase}/pull_content_changes`, {
      method: 'POST',
      headers: { apikey: anonKey, Authorization: `Bearer ${anonKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ after_xid: cursor?.xid ?? null, after_id: cursor?.id ?? null, page_size: PAGE_SIZE }),
    });
    if (!response.ok) throw new Error(`pull_content_changes answered HTTP ${response.status}: ${await response.text()}`);
    const changes = (await response.json()) as Change[];
    if (changes.length > 0) onPage(changes);
    const last = changes.at(-1);
    if (!last || changes.length < PAGE_SIZE) return;
    cursor = { xid: last[1], id: last[2] };
  }
}

/** Rounds of pull_100k and of its baseline, alternating; each figure is the median (the peer had 3 rounds). */
const PULL_ROUNDS = 3;
/** A round that takes longer than this has hung. */
const PULL_ROUND_TIMEOUT_MS = 120_000;

export async function benchPull100k(): Promise<BenchResult[]> {
  const stack = await startTestStack();
  const dir = tempDir('bench-pull');
  try {
    await serveBenchContent(stack);
    const expected = PULL_SHAPE.domains * PULL_SHAPE.skillsPerDomain * PULL_SHAPE.questionsPerSkill;
    const pulls: PullRoundResult[] = [];
    const baselines: number[] = [];
    for (let round = 0; round < PULL_ROUNDS; round++) {
      pulls.push(
        await pullInFreshProcess({ url: stack.url, anonKey: stack.anonKey, file: join(dir, `pull-${round}.sqlite`), pageSize: PAGE_SIZE, expectedQuestions: expected }),
      );
      baselines.push(await rawPull(stack.postgrestUrl, stack.anonKey, join(dir, `raw-${round}.sqlite`), expected));
    }
    return [
      withBaseline('pull_100k', median(pulls.map((pull) => pull.ms)), 'ms (median of 3)', median(baselines), 'ratio <= 2, value <= 2500'),
      // The longest time the pull held SQLite's write lock in one go, over every round: what a learner's answer could
      // wait behind.
      {
        name: 'pull_100k_longest_transaction',
        value: round(Math.max(...pulls.map((pull) => pull.longestTransactionMs))),
        unit: 'ms',
        target: 'value <= 20',
      },
    ];
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One pull in a new Node process (bench/pull-round.ts), as a learner's app starts: nothing of the pull warm yet. */
function pullInFreshProcess(request: PullRoundRequest): Promise<PullRoundResult> {
  const child = fork(fileURLToPath(new URL('./pull-round.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return new Promise<PullRoundResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`a pull_100k round took more than ${PULL_ROUND_TIMEOUT_MS} ms`));
    }, PULL_ROUND_TIMEOUT_MS);
    child.once('message', (message) => {
      clearTimeout(timer);
      const answer = message as { ok: true; result: PullRoundResult } | { ok: false; error: string };
      if (answer.ok) resolve(answer.result);
      else reject(new Error(answer.error));
      child.disconnect();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the pull_100k round exited with code ${code} before answering`));
    });
    child.send(request);
  });
}

/** The baseline: the same pages with plain fetch straight from PostgREST, inserted with raw better-sqlite3. */
async function rawPull(postgrestUrl: string, anonKey: string, file: string, expected: number): Promise<number> {
  const sqlite = openDatabase(file).sqlite;
  sqlite.pragma('foreign_keys = OFF');
  const insert = {
    domain: sqlite.prepare('INSERT OR REPLACE INTO domains (id, slug, title, sort_order, is_published, created_utc_ms, updated_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    skill: sqlite.prepare('INSERT OR REPLACE INTO skills (id, domain_id, slug, title, description, sort_order, is_published, created_utc_ms, updated_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    question: sqlite.prepare('INSERT OR REPLACE INTO questions (id, skill_id, slug, type, payload, explanation, sort_order, is_published, created_utc_ms, updated_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
  };
  const store = sqlite.transaction((changes: Change[]) => {
    for (const [entity, , id, values] of changes) if (values !== null) insert[entity].run(id, ...values);
  });
  const started = performance.now();
  await fetchPages(`${postgrestUrl}/rpc`, anonKey, store);
  const ms = performance.now() - started;
  const stored = sqlite.prepare('SELECT count(*) FROM questions').pluck().get() as number;
  sqlite.close();
  if (stored !== expected) throw new Error(`raw pull stored ${stored} questions, expected ${expected}`);
  return ms;
}

export async function benchPush10k(): Promise<BenchResult[]> {
  const stack = await startTestStack();
  const dir = tempDir('bench-push');
  try {
    const signIn = async (email: string) => {
      const user = await createUser(stack, { email, password: 'bench-pass' });
      const response = await fetch(`${stack.url}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { apikey: stack.anonKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: 'bench-pass' }),
      });
      const session = (await response.json()) as { access_token: string };
      return { userId: user.id, token: session.access_token };
    };
    await publishBenchContent(stack, { skillId: BENCH_SKILL_ID, questionId: BENCH_QUESTION_ID });
    const pusher = await signIn('push-bench@example.test');
    const client = openDatabase(join(dir, 'push.sqlite')).sqlite;
    client.prepare(`INSERT INTO sync_state (key, value, updated_utc_ms) VALUES ('learner_id', ?, 0)`).run(pusher.userId);
    queueAttempts(client, PUSH_ROWS);

    const engine = createSyncEngine({
      sqlite: client,
      fetch: globalThis.fetch,
      tokens: { accessToken: async () => pusher.token, refreshAfterRejection: async () => pusher.token },
      now: Date.now,
      random: Math.random,
      settings: { push: { ...defaultPushSettings, timeoutMs: 60_000, backoff: { baseMs: 100, capMs: 1000, maxRetryAfterMs: 1000 } } },
    });
    const started = performance.now();
    const report = await engine.run({ url: stack.url, anonKey: stack.anonKey, signedIn: true, force: true }, () => undefined);
    const pushMs = performance.now() - started;
    const left = client.prepare('SELECT count(*) FROM outbox WHERE processed = 0').pluck().get() as number;
    client.close();
    if (report.outcome !== 'ok' || left !== 0) throw new Error(`push_10k left ${left} rows: ${report.message}`);
    // The engine's run also does one content_version call at the end; it is part of draining as the app does it.

    const raw = await signIn('raw-bench@example.test');
    const baselineMs = await rawPush(stack.url, stack.anonKey, raw.token, raw.userId);
    return [
      withBaseline('push_10k', pushMs, 'ms', baselineMs, 'ratio <= 1.5'),
      { name: 'push_10k_rate', value: round(PUSH_ROWS / (pushMs / 1000)), unit: 'events/s', target: '>= 5000' },
    ];
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 10k attempts and their outbox rows, as the practice core writes them (bulk here: setup, not measured). */
function queueAttempts(sqlite: Sqlite, count: number): void {
  const writer = createOutboxWriter(sqlite);
  const start = Date.now();
  const user = ensureLearnerId(sqlite, start);
  const insert = sqlite.prepare('INSERT INTO attempts (id, user_id, question_id, session_id, answer, is_correct, ts_utc_ms) VALUES (?, ?, ?, NULL, ?, ?, ?)');
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const ts = start + i;
      const row = { ...attemptRow(user, ts, i), is_correct: i % 2 === 0 ? (1 as const) : (0 as const) };
      insert.run(row.id, user, row.question_id, row.answer, row.is_correct, ts);
      writer.enqueue('attempts', row, ts);
    }
  })();
}

function attemptRow(userId: string, ts: number, i: number) {
  return {
    id: uuidv7(ts),
    user_id: userId,
    question_id: BENCH_QUESTION_ID,
    session_id: null,
    answer: JSON.stringify({ choice: i % 4 }),
    is_correct: i % 2 === 0,
    ts_utc_ms: ts,
    meta: null,
  };
}

/**
 * The baseline: the same attempt rows as PostgREST bulk upserts, PUSH_BATCH per request, with the same token. It goes
 * through the gateway's /rest/v1 like the client (the Supabase URL): straight to PostgREST it would skip a proxy hop
 * that the push pays on every batch, and the ratio would measure the local stack's gateway rather than the push.
 */
async function rawPush(supabaseUrl: string, anonKey: string, token: string, userId: string): Promise<number> {
  const start = Date.now();
  const rows = Array.from({ length: PUSH_ROWS }, (_, i) => {
    const row = attemptRow(userId, start + i, i);
    return { ...row, answer: JSON.parse(row.answer) as unknown };
  });
  const started = performance.now();
  for (let i = 0; i < rows.length; i += PUSH_BATCH) {
    const response = await fetch(`${supabaseUrl}/rest/v1/attempts`, {
      method: 'POST',
      headers: {
        apikey: anonKey,
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        Prefer: 'resolution=merge-duplicates,return=minimal',
      },
      body: JSON.stringify(rows.slice(i, i + PUSH_BATCH)),
    });
    if (!response.ok) throw new Error(`raw upsert failed: HTTP ${response.status} ${await response.text()}`);
  }
  return performance.now() - started;
}
