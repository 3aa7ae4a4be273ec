/** sync_push: per-item answers, idempotency, poison items, merges that never regress learner progress, and its fast path. */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../../scripts/stack/stack';
import {
  anonClient,
  item,
  push,
  pushItemsFor,
  sampleRows,
  signedInUser,
  STACK_TIMEOUT_MS,
  type Learner,
  type PushResult,
  publishContentPool,
} from './helpers';

let stack: Stack;
let learner: Learner;

beforeAll(async () => {
  stack = await startStack({ quiet: true });
  await publishContentPool(stack);
  learner = await signedInUser(stack);
}, STACK_TIMEOUT_MS);

afterAll(async () => {
  await stack?.stop();
}, STACK_TIMEOUT_MS);

describe('sync_push', () => {
  it('accepts a row of every table, storing JSON text columns as jsonb', async () => {
    const rows = sampleRows(learner.id);
    const items = pushItemsFor(rows);
    const results = await push(learner.client, items);
    expect(results).toEqual(items.map((i) => ({ id: i.id, status: 'accepted' })));
    const [session] = await stack.query<{ meta: unknown }>('select meta from public.sessions where id = $1', [rows.sessions.id]);
    expect(session?.meta).toEqual({ device: 'test' });
    const [evaluation] = await stack.query<{ what_changed: unknown }>(
      'select what_changed from public.evaluation_results where id = $1',
      [rows.evaluation_results.id],
    );
    expect(evaluation?.what_changed).toEqual(['slow down']);
  });

  it('answers duplicate for a repeated outbox id without applying it again', async () => {
    const rows = sampleRows(learner.id);
    const first = item('sessions', rows.sessions);
    expect(await push(learner.client, [first])).toEqual([{ id: first.id, status: 'accepted' }]);
    // Same outbox id, changed snapshot: must not be applied.
    const replay = { ...first, row: { ...rows.sessions, score: 0.25 } };
    expect(await push(learner.client, [replay])).toEqual([{ id: first.id, status: 'duplicate' }]);
    const [stored] = await stack.query<{ score: number | null }>('select score from public.sessions where id = $1', [
      rows.sessions.id,
    ]);
    expect(stored?.score).toBeNull();
  });

  it('rejects a poison item with a reason and still applies the rest of the batch, in order', async () => {
    const rows = sampleRows(learner.id);
    const good1 = item('sessions', rows.sessions);
    const poison = item('sessions', { ...sampleRows(learner.id).sessions, started_utc_ms: null });
    const badJson = item('attempts', { ...rows.attempts, answer: '{not json' });
    const unknown = item('lessons', { id: randomUUID() });
    const notObject = 42;
    const good2 = item('attempts', rows.attempts);
    const results = await push(learner.client, [good1, poison, badJson, unknown, notObject as never, good2]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'accepted']);
    expect(results.map((r) => r.id)).toEqual([good1.id, poison.id, badJson.id, unknown.id, null, good2.id]);
    expect(results[1]?.reason).toMatch(/started_utc_ms/);
    expect(results[2]?.reason).toBe('column answer is not valid JSON');
    expect(results[3]?.reason).toBe('unknown table_name "lessons"');
    expect(results[4]?.reason).toBe('item must be a JSON object');
    const stored = await stack.query('select id from public.attempts where id = $1', [rows.attempts.id]);
    expect(stored).toHaveLength(1);
  });

  it('lets a rejected item be retried once fixed (no receipt is kept for it)', async () => {
    const rows = sampleRows(learner.id);
    const broken = item('sessions', { ...rows.sessions, mode: 'exam' });
    const [rejected] = await push(learner.client, [broken]);
    expect(rejected?.status).toBe('rejected');
    const [retried] = await push(learner.client, [{ ...broken, row: rows.sessions }]);
    expect(retried).toEqual({ id: broken.id, status: 'accepted' });
  });

  it('rejects a row whose id differs from row_id', async () => {
    const rows = sampleRows(learner.id);
    const [result] = await push(learner.client, [item('sessions', rows.sessions, randomUUID())]);
    expect(result).toMatchObject({ status: 'rejected', reason: 'row_id does not match row.id' });
  });

  it('rejects an attempt whose session has not been pushed', async () => {
    const rows = sampleRows(learner.id);
    const [result] = await push(learner.client, [item('attempts', rows.attempts)]);
    expect(result?.status).toBe('rejected');
    expect(result?.reason).toContain(`session ${rows.sessions.id}`);
  });

  it('treats a replayed attempt under a new outbox id as a no-op', async () => {
    const rows = sampleRows(learner.id);
    await push(learner.client, [item('sessions', rows.sessions), item('attempts', rows.attempts)]);
    const [again] = await push(learner.client, [item('attempts', { ...rows.attempts, is_correct: false })]);
    expect(again?.status).toBe('accepted');
    const stored = await stack.query('select is_correct from public.attempts where id = $1', [rows.attempts.id]);
    expect(stored).toEqual([{ is_correct: true }]);
  });

  it('never lets a stale device lower skill_progress', async () => {
    const rows = sampleRows(learner.id);
    const fresh = { ...rows.skill_progress, progress: 0.8, mastered_count: 4, attempt_count: 9, correct_count: 6, last_attempt_ts: 2_000, updated_utc_ms: 2_100 };
    // The other device has its own row id for the same skill, and older numbers.
    const stale = { ...rows.skill_progress, id: randomUUID(), progress: 0.3, mastered_count: 1, attempt_count: 3, correct_count: 1, last_attempt_ts: 1_000, updated_utc_ms: 1_100 };
    expect((await push(learner.client, [item('skill_progress', fresh)]))[0]?.status).toBe('accepted');
    expect((await push(learner.client, [item('skill_progress', stale)]))[0]?.status).toBe('accepted');
    const stored = await stack.query(
      `select id, progress, mastered_count, attempt_count, correct_count, last_attempt_ts::int as last_attempt_ts
       from public.skill_progress where user_id = $1 and skill_id = $2`,
      [learner.id, rows.skill_progress.skill_id],
    );
    expect(stored).toEqual([
      { id: fresh.id, progress: 0.8, mastered_count: 4, attempt_count: 9, correct_count: 6, last_attempt_ts: 2_000 },
    ]);
    // A newer value from the stale device does raise it.
    const newer = { ...stale, progress: 0.9, last_attempt_ts: 3_000 };
    await push(learner.client, [item('skill_progress', newer)]);
    const [raised] = await stack.query<{ progress: number }>(
      'select progress from public.skill_progress where user_id = $1 and skill_id = $2',
      [learner.id, rows.skill_progress.skill_id],
    );
    expect(raised?.progress).toBe(0.9);
  });

  it('merges the profile: xp only grows, the streak follows the latest activity', async () => {
    const other = await signedInUser(stack);
    const base = sampleRows(other.id).profile;
    await push(other.client, [item('profile', { ...base, xp: 120, streak_count: 5, last_active_utc_ms: 5_000, last_active_day: '2024-01-05' }, other.id)]);
    await push(other.client, [item('profile', { ...base, xp: 40, streak_count: 1, last_active_utc_ms: 4_000, last_active_day: '2024-01-04' }, other.id)]);
    const [stored] = await stack.query('select xp::int as xp, streak_count, last_active_day from public.profile where user_id = $1', [other.id]);
    expect(stored).toEqual({ xp: 120, streak_count: 5, last_active_day: '2024-01-05' });
  });

  it('never un-ends a session', async () => {
    const rows = sampleRows(learner.id);
    const ended = { ...rows.sessions, ended_utc_ms: 9_000, score: 0.75 };
    await push(learner.client, [item('sessions', ended)]);
    await push(learner.client, [item('sessions', rows.sessions)]);
    const [stored] = await stack.query('select ended_utc_ms::int as ended, score from public.sessions where id = $1', [rows.sessions.id]);
    expect(stored).toEqual({ ended: 9_000, score: 0.75 });
  });

  it('refuses anonymous callers', async () => {
    const { error } = await anonClient(stack).rpc('sync_push', { items: [item('sessions', sampleRows(learner.id).sessions)] });
    expect(error?.code).toBe('42501');
  });

  it('applies a batch of 500 items in one call', async () => {
    const items = Array.from({ length: 500 }, () => item('sessions', sampleRows(learner.id).sessions));
    const results = await push(learner.client, items);
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(500);
  });
});

/** Calls the set-wise fast path on its own: an error means sync_push would have gone item by item. */
async function pushSet(client: SupabaseClient, items: unknown[]): Promise<{ data: PushResult[] | null; error: string | null }> {
  const { data, error } = await client.rpc('sync_push_set', { items });
  return { data: data as PushResult[] | null, error: error?.message ?? null };
}

function attemptRow(userId: string, overrides: Record<string, unknown> = {}) {
  return { ...sampleRows(userId).attempts, session_id: null, ...overrides };
}

describe('sync_push fast path', () => {
  it('takes a good batch of every table set-wise, merging repeated snapshots in queue order', async () => {
    const other = await signedInUser(stack);
    const rows = sampleRows(other.id);
    const ended = { ...rows.sessions, ended_utc_ms: 9_000, score: 0.75 };
    const items = [
      ...pushItemsFor(rows),
      item('sessions', ended),
      // A stale snapshot of the same session later in the batch must not un-end it.
      item('sessions', rows.sessions),
      item('profile', { ...rows.profile, xp: 50, streak_count: 2, last_active_utc_ms: rows.profile.last_active_utc_ms + 1 }, other.id),
      item('profile', { ...rows.profile, xp: 20 }, other.id),
    ];
    const { data, error } = await pushSet(other.client, items);
    expect(error).toBeNull();
    expect(data).toEqual(items.map((i) => ({ id: i.id, status: 'accepted' })));
    const [session] = await stack.query('select ended_utc_ms::int as ended, score from public.sessions where id = $1', [rows.sessions.id]);
    expect(session).toEqual({ ended: 9_000, score: 0.75 });
    const [profile] = await stack.query('select xp::int as xp, streak_count from public.profile where user_id = $1', [other.id]);
    expect(profile).toEqual({ xp: 50, streak_count: 2 });
    const stored = await stack.query('select count(*)::int as n from public.sync_receipts where user_id = $1', [other.id]);
    expect(stored).toEqual([{ n: items.length }]);
  });

  it('answers new, duplicate and repeated outbox ids per item without leaving the fast path', async () => {
    const earlier = item('attempts', attemptRow(learner.id));
    await push(learner.client, [earlier]);
    const fresh = item('attempts', attemptRow(learner.id));
    // The same outbox id twice in one batch: the first is applied, the second answers duplicate.
    const repeated = item('attempts', attemptRow(learner.id));
    const items = [fresh, earlier, repeated, { ...repeated, row: attemptRow(learner.id) }];
    const { data, error } = await pushSet(learner.client, items);
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: fresh.id, status: 'accepted' },
      { id: earlier.id, status: 'duplicate' },
      { id: repeated.id, status: 'accepted' },
      { id: repeated.id, status: 'duplicate' },
    ]);
    const applied = await stack.query('select id from public.attempts where id = any($1::uuid[])', [[repeated.row.id, items[3]!.row.id]]);
    expect(applied).toEqual([{ id: repeated.row.id }]);
  });

  it('answers a mixed batch with a poison item exactly as item by item', async () => {
    const earlier = item('attempts', attemptRow(learner.id));
    await push(learner.client, [earlier]);
    const good1 = item('attempts', attemptRow(learner.id));
    const poison = item('attempts', attemptRow(learner.id, { answer: '{not json' }));
    const good2 = item('skill_progress', sampleRows(learner.id).skill_progress);
    const items = [good1, earlier, poison, good2, good1];
    const fast = await pushSet(learner.client, items);
    expect(fast.error).not.toBeNull();
    expect(await push(learner.client, items)).toEqual([
      { id: good1.id, status: 'accepted' },
      { id: earlier.id, status: 'duplicate' },
      { id: poison.id, status: 'rejected', reason: 'column answer is not valid JSON' },
      { id: good2.id, status: 'accepted' },
      { id: good1.id, status: 'duplicate' },
    ]);
    // Nothing of the abandoned fast path stays: the poison item has no receipt, the good ones applied once.
    const receipts = await stack.query('select outbox_id from public.sync_receipts where outbox_id = any($1::uuid[]) order by 1', [
      [good1.id, poison.id, good2.id],
    ]);
    expect(receipts.map((r) => r.outbox_id).sort()).toEqual([good1.id, good2.id].sort());
  });

  it('merges the same skill_progress row twice in one batch to the greatest of each measure', async () => {
    const base = sampleRows(learner.id).skill_progress;
    const first = { ...base, progress: 0.4, mastered_count: 5, attempt_count: 3, correct_count: 1, last_attempt_ts: 3_000, updated_utc_ms: 3_100 };
    // Another device's id for the same skill, greater on some measures and smaller on others.
    const second = { ...base, id: randomUUID(), progress: 0.7, mastered_count: 2, attempt_count: 8, correct_count: 0, last_attempt_ts: 2_000, updated_utc_ms: 4_000 };
    const items = [item('skill_progress', first), item('skill_progress', second)];
    const { data, error } = await pushSet(learner.client, items);
    expect(error).toBeNull();
    expect(data?.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const stored = await stack.query(
      `select id, progress, mastered_count, attempt_count, correct_count, last_attempt_ts::int as last_attempt_ts,
              updated_utc_ms::int as updated_utc_ms
       from public.skill_progress where user_id = $1 and skill_id = $2`,
      [learner.id, base.skill_id],
    );
    // The row keeps the id of the first snapshot that created it, as item by item.
    expect(stored).toEqual([
      { id: first.id, progress: 0.7, mastered_count: 5, attempt_count: 8, correct_count: 1, last_attempt_ts: 3_000, updated_utc_ms: 4_000 },
    ]);
    // A stale pair afterwards lowers nothing.
    const stale = [item('skill_progress', { ...first, progress: 0.1 }), item('skill_progress', { ...second, attempt_count: 1 })];
    expect((await pushSet(learner.client, stale)).error).toBeNull();
    const [after] = await stack.query<{ progress: number; attempt_count: number }>(
      'select progress, attempt_count from public.skill_progress where user_id = $1 and skill_id = $2',
      [learner.id, base.skill_id],
    );
    expect(after).toEqual({ progress: 0.7, attempt_count: 8 });
  });

  it('still rejects one bad snapshot of a repeated skill_progress row alone', async () => {
    const base = sampleRows(learner.id).skill_progress;
    const good = item('skill_progress', base);
    const negative = item('skill_progress', { ...base, id: randomUUID(), attempt_count: -1 });
    const results = await push(learner.client, [good, negative]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    expect(results[1]?.reason).toMatch(/attempt_count/);
  });

  it('rejects a spoofed user_id in a large batch alone, with its reason', async () => {
    const other = await signedInUser(stack);
    const items = Array.from({ length: 500 }, () => item('attempts', attemptRow(learner.id)));
    const spoofed = item('attempts', attemptRow(other.id));
    items[250] = spoofed;
    expect((await pushSet(learner.client, items)).error).not.toBeNull();
    const results = await push(learner.client, items);
    expect(results.map((r) => r.id)).toEqual(items.map((i) => i.id));
    expect(results[250]).toEqual({ id: spoofed.id, status: 'rejected', reason: 'user_id does not match the signed-in user' });
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(499);
    expect(await stack.query('select id from public.attempts where user_id = $1', [other.id])).toEqual([]);
  });

  it('rejects an attempt queued before its session, as item by item', async () => {
    const rows = sampleRows(learner.id);
    const early = item('attempts', rows.attempts);
    const session = item('sessions', rows.sessions);
    expect((await pushSet(learner.client, [early, session])).error).not.toBeNull();
    const results = await push(learner.client, [early, session]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'accepted']);
    expect(results[0]?.reason).toContain(`session ${rows.sessions.id}`);
  });

  it('rejects a replayed attempt that names a session the user never pushed', async () => {
    const rows = sampleRows(learner.id);
    await push(learner.client, [item('sessions', rows.sessions), item('attempts', rows.attempts)]);
    const unknownSession = randomUUID();
    const replay = item('attempts', { ...rows.attempts, session_id: unknownSession });
    const others = Array.from({ length: 20 }, () => item('attempts', attemptRow(learner.id)));
    const results = await push(learner.client, [...others, replay]);
    expect(results.slice(0, 20).every((r) => r.status === 'accepted')).toBe(true);
    expect(results[20]).toMatchObject({ status: 'rejected' });
    expect(results[20]?.reason).toContain(`session ${unknownSession}`);
  });
});
