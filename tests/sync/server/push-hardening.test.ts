/**
 * sync_push against a hostile or careless learner: events only on content this server ever published, sane bounds on
 * XP, streak and progress, the profile written only through sync_push, a cap on items per push, a statement timeout
 * for the learners' role, a fixed search_path on every function, and concurrent pushes that lose and double nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPushSettings } from '../../../electron/core/sync/push';
import { startStack, type Stack } from '../../../scripts/stack/stack';
import {
  item,
  publishContentPool,
  push,
  sampleRows,
  seedContent,
  signedInUser,
  STACK_TIMEOUT_MS,
  type Learner,
  type PushItem,
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

/** The answers of the set-wise fast path alone (it raises where the batch needs the item-by-item path). */
async function pushSet(items: PushItem[]) {
  return learner.client.rpc('sync_push_set', { items });
}

function attemptOn(questionId: string, sessionId: string | null = null) {
  return { ...sampleRows(learner.id).attempts, question_id: questionId, session_id: sessionId };
}

describe('sync_push and content', () => {
  it('rejects events on draft, never-published and unknown content as unknown_content, on both paths', async () => {
    const draft = await seedContent(stack, { questionPublished: false, skillPublished: false });
    const good = item('attempts', attemptOn(sampleRows(learner.id).attempts.question_id));
    const onDraft = item('attempts', attemptOn(draft.questionId));
    const onNothing = item('attempts', attemptOn(randomUUID()));
    const progressOnDraft = item('skill_progress', { ...sampleRows(learner.id).skill_progress, skill_id: draft.skillId, progress: 1 });
    const sessionOnNothing = item('sessions', { ...sampleRows(learner.id).sessions, skill_id: randomUUID() });
    const drillOnNothing = item('drill_sessions', { ...sampleRows(learner.id).drill_sessions, question_id: randomUUID() });
    const chatOnDraft = item('chat_sessions', { ...sampleRows(learner.id).chat_sessions, skill_id: draft.skillId });
    const memoryOnDraft = item('memory_states', { ...sampleRows(learner.id).memory_states, question_id: draft.questionId });
    const batch = [good, onDraft, onNothing, progressOnDraft, sessionOnNothing, drillOnNothing, chatOnDraft, memoryOnDraft];

    expect((await pushSet(batch)).error).not.toBeNull();
    const results = await push(learner.client, batch);
    expect(results).toEqual([
      { id: good.id, status: 'accepted' },
      ...batch.slice(1).map((i) => ({ id: i.id, status: 'rejected', reason: 'unknown_content' })),
    ]);
    const stored = await stack.query('select id from public.attempts where question_id = any($1::uuid[])', [
      [draft.questionId],
    ]);
    expect(stored).toEqual([]);
    const progress = await stack.query('select id from public.skill_progress where skill_id = $1', [draft.skillId]);
    expect(progress).toEqual([]);
  });

  it('accepts events on content that was published once, then unpublished or deleted', async () => {
    const unpublished = await seedContent(stack);
    await stack.query('update public.questions set is_published = false where id = $1', [unpublished.questionId]);
    await stack.query('update public.skills set is_published = false where id = $1', [unpublished.skillId]);
    const deleted = await seedContent(stack);
    await stack.query('delete from public.questions where id = $1', [deleted.questionId]);
    const batch = [
      item('attempts', attemptOn(unpublished.questionId)),
      item('skill_progress', { ...sampleRows(learner.id).skill_progress, skill_id: unpublished.skillId, progress: 1 }),
      item('attempts', attemptOn(deleted.questionId)),
    ];
    const { data, error } = await pushSet(batch);
    expect(error).toBeNull();
    expect(data).toEqual(batch.map((i) => ({ id: i.id, status: 'accepted' })));
  });

  it('still takes an event on content that was never published once it is published', async () => {
    const draft = await seedContent(stack, { questionPublished: false });
    const attempt = item('attempts', attemptOn(draft.questionId));
    expect(await push(learner.client, [attempt])).toEqual([{ id: attempt.id, status: 'rejected', reason: 'unknown_content' }]);
    await stack.query('update public.questions set is_published = true where id = $1', [draft.questionId]);
    // No receipt was kept for the rejection, so the same outbox row goes through now.
    expect(await push(learner.client, [attempt])).toEqual([{ id: attempt.id, status: 'accepted' }]);
  });
});

describe('sync_push bounds', () => {
  it('rejects XP, streak and progress out of bounds with a reason naming the value, on both paths', async () => {
    const other = await signedInUser(stack);
    const rows = sampleRows(other.id);
    const xp = item('profile', { ...rows.profile, xp: 9e18 }, other.id);
    const streak = item('profile', { ...rows.profile, streak_count: 100_000 }, other.id);
    const progress = item('skill_progress', { ...rows.skill_progress, progress: 1.5 });
    const counts = item('skill_progress', { ...sampleRows(other.id).skill_progress, attempt_count: 20_000_000 });
    const fine = item('profile', { ...rows.profile, xp: 1_000_000, streak_count: 3650 }, other.id);
    const batch = [xp, streak, progress, counts, fine];
    expect((await other.client.rpc('sync_push_set', { items: batch })).error).not.toBeNull();
    const results = await push(other.client, batch);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'accepted']);
    expect(results[0]?.reason).toBe('xp 9000000000000000000 is out of bounds (0 to 100000000)');
    expect(results[1]?.reason).toBe('streak_count 100000 is out of bounds (0 to 36500)');
    expect(results[2]?.reason).toBe('progress 1.5 is out of bounds (0 to 1)');
    expect(results[3]?.reason).toBe('attempt_count 20000000 is out of bounds (0 to 10000000)');
    const [profile] = await stack.query<{ xp: string; streak_count: number }>(
      'select xp::text, streak_count from public.profile where user_id = $1',
      [other.id],
    );
    expect(profile).toEqual({ xp: '1000000', streak_count: 3650 });
  });
});

describe('the profile', () => {
  it('cannot be written directly by its learner, only through sync_push', async () => {
    const other = await signedInUser(stack);
    const rows = sampleRows(other.id);
    expect(await push(other.client, [item('profile', rows.profile, other.id)])).toMatchObject([{ status: 'accepted' }]);

    const patched = await other.client.from('profile').update({ xp: 5_000_000 }).eq('user_id', other.id).select();
    expect(patched.error?.code).toBe('42501');
    const inserted = await other.client.from('profile').upsert({ ...rows.profile, xp: 1 });
    expect(inserted.error?.code).toBe('42501');
    const [stored] = await stack.query<{ xp: string }>('select xp::text from public.profile where user_id = $1', [other.id]);
    expect(stored?.xp).toBe(String(rows.profile.xp));

    // The merge helper called directly keeps its rules: XP only grows, and only the caller's own profile.
    await other.client.rpc('sync_apply_profile', { row_data: { ...rows.profile, xp: 0 } });
    const [after] = await stack.query<{ xp: string }>('select xp::text from public.profile where user_id = $1', [other.id]);
    expect(after?.xp).toBe(String(rows.profile.xp));
    const spoof = await other.client.rpc('sync_apply_profile', { row_data: { ...sampleRows(learner.id).profile } });
    expect(spoof.error?.message).toBe('user_id does not match the signed-in user');
  });
});

describe('sync_push limits', () => {
  it('refuses a push of more than 1000 items whole, with HTTP 413 and a clear message', async () => {
    const items = Array.from({ length: 1001 }, () => item('attempts', { ...sampleRows(learner.id).attempts, session_id: null }));
    const { error, status } = await learner.client.rpc('sync_push', { items });
    expect(status).toBe(413);
    expect(error?.message).toBe('a push carries at most 1000 items; this one has 1001: send them in batches');
    const stored = await stack.query('select id from public.attempts where id = $1', [items[0]!.row_id]);
    expect(stored).toEqual([]);
    // The client's own batches stay below the cap.
    const batch = items.slice(0, defaultPushSettings.maxBatchCount);
    expect(batch.length).toBeLessThan(1000);
    const answers = await push(learner.client, batch);
    expect(answers.filter((a) => a.status === 'accepted')).toHaveLength(batch.length);
  });

  it('runs learners\u2019 requests under a statement_timeout', async () => {
    await stack.query(`create function public.test_statement_timeout() returns text language sql set search_path = ''
      as $$ select pg_catalog.current_setting('statement_timeout') $$`);
    try {
      await stack.reloadSchema();
      // PostgREST may answer before its reloaded schema cache has the new function: ask again, bounded.
      let answer = await learner.client.rpc('test_statement_timeout');
      for (let i = 0; i < 50 && answer.error?.code === 'PGRST202'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        answer = await learner.client.rpc('test_statement_timeout');
      }
      const { data, error } = answer;
      expect(error).toBeNull();
      expect(data).toBe('8s');
    } finally {
      await stack.query('drop function public.test_statement_timeout()');
      await stack.reloadSchema();
    }
  });
});

describe('functions in public', () => {
  it('all have a fixed search_path (splinter: function_search_path_mutable)', async () => {
    const mutable = await stack.query<{ name: string }>(
      `select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public'
         and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')
       order by 1`,
    );
    expect(mutable).toEqual([]);
  });
});

describe('concurrent pushes', () => {
  it('store every event once when many learners push at once, each batch sent twice concurrently', async () => {
    const learners = await Promise.all(Array.from({ length: 12 }, () => signedInUser(stack)));
    const batches = learners.map((l) => ({
      learner: l,
      items: Array.from({ length: 50 }, () => item('attempts', { ...sampleRows(l.id).attempts, session_id: null })),
    }));
    // A retry racing its own first delivery (a timeout on a slow link): each outbox id must be applied exactly once.
    const answers = await Promise.all(
      batches.flatMap((b) => [push(b.learner.client, b.items), push(b.learner.client, b.items)]),
    );
    for (const [i, b] of batches.entries()) {
      const first = answers[2 * i]!;
      const second = answers[2 * i + 1]!;
      for (const [k, pushed] of b.items.entries()) {
        const statuses = [first[k]?.status, second[k]?.status].sort();
        expect(statuses, `item ${pushed.id}`).toEqual(['accepted', 'duplicate']);
      }
      const stored = await stack.query<{ n: string; distinct_ids: string }>(
        'select count(*)::text as n, count(distinct id)::text as distinct_ids from public.attempts where user_id = $1',
        [b.learner.id],
      );
      expect(stored).toEqual([{ n: '50', distinct_ids: '50' }]);
      const receipts = await stack.query<{ n: string }>('select count(*)::text as n from public.sync_receipts where user_id = $1', [
        b.learner.id,
      ]);
      expect(receipts).toEqual([{ n: '50' }]);
    }
  });
});
