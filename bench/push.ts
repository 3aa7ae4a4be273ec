/**
 * Server push benchmarks against the local stack: many snapshots of one row against as many distinct rows
 * (push_same_row_4k), and 200 learners pushing at once (server_push_concurrent).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { defaultPushSettings } from '../electron/core/sync/push';
import { signJwt } from '../scripts/stack/jwt';
import { createUser, type Stack } from '../scripts/stack/stack';
import { startTestStack } from '../tests/sync/client/helpers';
import { percentile, round, withBaseline, type BenchResult } from './result';

const SAME_ROW_SNAPSHOTS = 4000;
const CONCURRENT_CLIENTS = 200;
const EVENTS_PER_PUSH = 50;
/** Each client pushes this many batches one after another, all clients at once: a sustained load, not one burst. */
const ROUNDS = 3;

type Item = { id: string; table_name: string; row_id: string; row: Record<string, unknown> };

/** A published domain, skill and question: sync_push takes learner events only on content the server published. */
export async function publishBenchContent(stack: Stack, ids: { skillId: string; questionId: string }): Promise<void> {
  const slug = `bench${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  await stack.query(
    `with d as (insert into public.domains (slug, title, is_published) values ($1, 'Bench', true) returning id),
     s as (insert into public.skills (id, domain_id, slug, title, is_published) select $2, d.id, $1, 'Bench', true from d)
     insert into public.questions (id, skill_id, slug, type, payload, is_published)
     values ($3, $2, $1, 'mcq_single', '{"prompt":"?","choices":["a","b"],"solution_index":0}', true)`,
    [slug, ids.skillId, ids.questionId],
  );
}

/** A learner with an access token signed like the gateway's (sign-ins are not what these benches measure). */
async function learner(stack: Stack, name: string): Promise<{ userId: string; token: string }> {
  const user = await createUser(stack, { email: `${name}-${randomUUID()}@example.test`, password: 'bench-pass' });
  const now = Math.floor(Date.now() / 1000);
  const token = signJwt({ sub: user.id, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 }, stack.jwtSecret);
  return { userId: user.id, token };
}

async function pushBatch(stack: Stack, token: string, items: Item[]): Promise<void> {
  const response = await fetch(`${stack.url}/rest/v1/rpc/sync_push`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  const answers = (await response.json()) as Array<{ status: string; reason?: string }>;
  if (!response.ok || !Array.isArray(answers)) throw new Error(`sync_push failed: HTTP ${response.status} ${JSON.stringify(answers)}`);
  const refused = answers.find((a) => a.status !== 'accepted');
  if (refused) throw new Error(`sync_push did not accept an item: ${JSON.stringify(refused)}`);
}

/** Pushes the items in the client's batch size, one request after another; returns the ms it took. */
async function pushAll(stack: Stack, token: string, items: Item[]): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < items.length; i += defaultPushSettings.maxBatchCount) {
    await pushBatch(stack, token, items.slice(i, i + defaultPushSettings.maxBatchCount));
  }
  return performance.now() - started;
}

function sessionSnapshot(userId: string, id: string, skillId: string, i: number): Item {
  const row = {
    id,
    user_id: userId,
    skill_id: skillId,
    mode: 'practice',
    started_utc_ms: 1_700_000_000_000,
    ended_utc_ms: i % 2 === 0 ? null : 1_700_000_000_000 + i,
    score: i / SAME_ROW_SNAPSHOTS,
    meta: JSON.stringify({ answered: i }),
  };
  return { id: randomUUID(), table_name: 'sessions', row_id: id, row };
}

export async function benchPushSameRow4k(): Promise<BenchResult[]> {
  const stack = await startTestStack();
  try {
    const content = { skillId: randomUUID(), questionId: randomUUID() };
    await publishBenchContent(stack, content);
    // Warm the connections and plans once, so neither side pays for the first request.
    const warm = await learner(stack, 'warm');
    await pushAll(stack, warm.token, [sessionSnapshot(warm.userId, randomUUID(), content.skillId, 0)]);

    const same = await learner(stack, 'same-row');
    const sessionId = randomUUID();
    const snapshots = Array.from({ length: SAME_ROW_SNAPSHOTS }, (_, i) => sessionSnapshot(same.userId, sessionId, content.skillId, i));
    const sameMs = await pushAll(stack, same.token, snapshots);
    const distinct = await learner(stack, 'distinct-rows');
    const rows = Array.from({ length: SAME_ROW_SNAPSHOTS }, (_, i) => sessionSnapshot(distinct.userId, randomUUID(), content.skillId, i));
    const distinctMs = await pushAll(stack, distinct.token, rows);
    return [withBaseline('push_same_row_4k', sameMs, 'ms', distinctMs, 'ratio <= 1.5')];
  } finally {
    await stack.stop();
  }
}

export async function benchServerPushConcurrent(): Promise<BenchResult[]> {
  const stack = await startTestStack();
  try {
    const content = { skillId: randomUUID(), questionId: randomUUID() };
    await publishBenchContent(stack, content);
    const clients: Array<{ userId: string; token: string }> = [];
    for (let i = 0; i < CONCURRENT_CLIENTS; i++) clients.push(await learner(stack, `concurrent${i}`));
    const batchesOf = (userId: string) =>
      Array.from({ length: ROUNDS }, (_, round) =>
        Array.from({ length: EVENTS_PER_PUSH }, (_, k): Item => {
          const id = randomUUID();
          const row = {
            id,
            user_id: userId,
            question_id: content.questionId,
            session_id: null,
            answer: '{"choice":1}',
            is_correct: k % 2 === 0,
            ts_utc_ms: 1_700_000_000_000 + round * EVENTS_PER_PUSH + k,
            meta: null,
          };
          return { id: randomUUID(), table_name: 'attempts', row_id: id, row };
        }),
      );
    const work = clients.map((c) => ({ client: c, batches: batchesOf(c.userId) }));
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      work.map(async ({ client, batches }) => {
        for (const batch of batches) {
          const sent = performance.now();
          await pushBatch(stack, client.token, batch);
          latencies.push(performance.now() - sent);
        }
      }),
    );
    const elapsedMs = performance.now() - started;
    const events = CONCURRENT_CLIENTS * ROUNDS * EVENTS_PER_PUSH;
    const [stored] = await stack.query<{ n: string }>('select count(*)::text as n from public.attempts');
    if (Number(stored?.n) !== events) throw new Error(`server_push_concurrent stored ${stored?.n} attempts, expected ${events}`);
    return [
      { name: 'server_push_concurrent', value: round(events / (elapsedMs / 1000)), unit: 'events/s', target: '>= 2000' },
      { name: 'server_push_concurrent_p95', value: round(percentile(latencies, 95)), unit: 'ms' },
    ];
  } finally {
    await stack.stop();
  }
}
