/** sync_push: per-item answers, idempotency, poison items, and merges that never regress learner progress. */
import { randomUUID } from 'node:crypto';
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
} from './helpers';

let stack: Stack;
let learner: Learner;

beforeAll(async () => {
  stack = await startStack({ quiet: true });
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
