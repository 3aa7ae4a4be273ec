/** Row-level security on every server table, through the real gateway → PostgREST → Postgres path. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../../scripts/stack/stack';
import {
  anonClient,
  item,
  LEARNER_TABLES,
  primaryKey,
  push,
  pushItemsFor,
  sampleRows,
  seedContent,
  signedInUser,
  STACK_TIMEOUT_MS,
  type Learner,
  type SampleRows,
  publishContentPool,
} from './helpers';

let stack: Stack;
let alice: Learner;
let bob: Learner;
let aliceRows: SampleRows;

beforeAll(async () => {
  stack = await startStack({ quiet: true });
  await publishContentPool(stack);
  alice = await signedInUser(stack);
  bob = await signedInUser(stack);
  aliceRows = sampleRows(alice.id);
  const results = await push(alice.client, pushItemsFor(aliceRows));
  expect(results.map((r) => r.status)).toEqual(LEARNER_TABLES.map(() => 'accepted'));
}, STACK_TIMEOUT_MS);

afterAll(async () => {
  await stack?.stop();
}, STACK_TIMEOUT_MS);

describe('every public table', () => {
  it('has row-level security enabled and at least one policy', async () => {
    const tables = await stack.query<{ name: string; rls: boolean; policies: string }>(
      `select c.relname as name, c.relrowsecurity as rls,
              (select count(*) from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname)::text as policies
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' order by 1`,
    );
    expect(tables.length).toBeGreaterThanOrEqual(15);
    for (const table of tables) {
      expect({ table: table.name, rls: table.rls }).toEqual({ table: table.name, rls: true });
      expect(Number(table.policies), `${table.name} has no policy`).toBeGreaterThan(0);
    }
  });
});

describe.each(LEARNER_TABLES)('learner table %s', (table) => {
  const key = primaryKey(table);
  const aliceKey = () => String((aliceRows[table] as Record<string, unknown>)[key]);

  it('lets the owner read her row', async () => {
    const { data, error } = await alice.client.from(table).select('*').eq(key, aliceKey());
    expect(error).toBeNull();
    expect(data).toHaveLength(1);
  });

  it('hides it from another learner', async () => {
    const { data, error } = await bob.client.from(table).select('*').eq(key, aliceKey());
    expect(error).toBeNull();
    expect(data).toEqual([]);
    const all = await bob.client.from(table).select('*');
    expect(all.data).toEqual([]);
  });

  it('gives anon nothing', async () => {
    const { data, error } = await anonClient(stack).from(table).select('*');
    // Either refused outright (no grant) or an empty set: never a row.
    expect(error !== null || (Array.isArray(data) && data.length === 0)).toBe(true);
    expect(data ?? []).toEqual([]);
  });

  it('does not let another learner change it through the REST API', async () => {
    const patch: Record<string, unknown> =
      table === 'profile' ? { xp: 999_999 } : table === 'chat_messages' ? { message_content: 'hacked' } : {};
    if (Object.keys(patch).length === 0) patch[key] = aliceKey();
    const { data } = await bob.client.from(table).update(patch).eq(key, aliceKey()).select();
    expect(data ?? []).toEqual([]);
    const stored = await stack.query(`select count(*)::int as n from public.${table} where ${key} = $1`, [aliceKey()]);
    expect(stored[0]).toEqual({ n: 1 });
    if (table === 'profile') {
      expect(await stack.query('select xp from public.profile where user_id = $1', [alice.id])).toEqual([{ xp: '10' }]);
    }
  });

  it("rejects a push of a row spoofing or overwriting Alice's", async () => {
    const bobRows = sampleRows(bob.id);
    // Bob's copy of Alice's row: her user id (spoof) or, for child tables, her parent row.
    const spoofed = { ...(aliceRows[table] as Record<string, unknown>) };
    if ('user_id' in spoofed) spoofed.user_id = alice.id;
    // A one-per-learner table (profile, user_settings) is keyed by the user id itself: no other id to change.
    const keyedByUser = key === 'user_id';
    if (!keyedByUser) spoofed.id = randomUUID();
    const [result] = await push(bob.client, [item(table, spoofed, String(spoofed[key]))]);
    expect(result?.status).toBe('rejected');
    if (table in { chat_messages: 1, drill_responses: 1, evaluation_results: 1 }) {
      expect(result?.reason).toMatch(/has not been pushed by the signed-in user|not allowed/);
    } else {
      expect(result?.reason).toBe('user_id does not match the signed-in user');
    }
    if (!keyedByUser && 'user_id' in spoofed) {
      // Same id as Alice's row, Bob's user id: may not take over her row.
      const takeover = { ...(bobRows[table] as Record<string, unknown>), id: aliceKey() };
      const [again] = await push(bob.client, [item(table, takeover, aliceKey())]);
      expect(again?.status).toBe('rejected');
      const owner = await stack.query<{ user_id: string }>(`select user_id from public.${table} where id = $1`, [aliceKey()]);
      expect(owner).toEqual([{ user_id: alice.id }]);
    }
  });

  it('rejects a direct REST insert with a spoofed owner', async () => {
    const forged = { ...(sampleRows(alice.id)[table] as Record<string, unknown>) };
    // JSON columns go over REST as JSON, not as the device's text.
    for (const column of ['meta', 'answer', 'context_snapshot', 'tool_calls', 'categories', 'what_changed']) {
      if (typeof forged[column] === 'string') forged[column] = JSON.parse(forged[column] as string);
    }
    if (table === 'chat_messages') forged.chat_id = aliceRows.chat_sessions.id;
    if (table === 'drill_responses' || table === 'evaluation_results') {
      forged.session_id = aliceRows.drill_sessions.id;
      if (table === 'evaluation_results') forged.response_id = aliceRows.drill_responses.id;
    }
    if (table === 'attempts') forged.session_id = null;
    // RLS is checked before unique constraints, so even the existing profile key answers 42501.
    const { error } = await bob.client.from(table).insert(forged);
    expect(error?.code).toBe('42501');
  });
});

describe('push receipts', () => {
  it('are private to their user', async () => {
    const own = await alice.client.from('sync_receipts').select('*');
    expect(own.data?.length).toBe(LEARNER_TABLES.length);
    const other = await bob.client.from('sync_receipts').select('*').eq('user_id', alice.id);
    expect(other.data).toEqual([]);
    const anon = await anonClient(stack).from('sync_receipts').select('*');
    expect(anon.data ?? []).toEqual([]);
  });
});

describe('content', () => {
  let published: Awaited<ReturnType<typeof seedContent>>;
  let draft: Awaited<ReturnType<typeof seedContent>>;
  let instructor: Learner;

  beforeAll(async () => {
    published = await seedContent(stack);
    draft = await seedContent(stack, { skillPublished: false, questionPublished: false });
    instructor = await signedInUser(stack, 'instructor');
  });

  it('shows learners and anon the published content only', async () => {
    for (const client of [alice.client, anonClient(stack)]) {
      const questions = await client.from('questions').select('id').in('id', [published.questionId, draft.questionId]);
      expect(questions.data).toEqual([{ id: published.questionId }]);
      const skills = await client.from('skills').select('id').in('id', [published.skillId, draft.skillId]);
      expect(skills.data).toEqual([{ id: published.skillId }]);
    }
  });

  it('hides a published question under a draft skill from learners', async () => {
    const hidden = await seedContent(stack, { skillPublished: false, questionPublished: true });
    const { data } = await alice.client.from('questions').select('id').eq('id', hidden.questionId);
    expect(data).toEqual([]);
  });

  it('shows instructors the drafts', async () => {
    const { data } = await instructor.client.from('questions').select('id').in('id', [published.questionId, draft.questionId]);
    expect(new Set(data?.map((row) => row.id))).toEqual(new Set([published.questionId, draft.questionId]));
  });

  it('refuses content writes from learners', async () => {
    const insert = await alice.client.from('domains').insert({ slug: `x${Date.now()}`, title: 'Mine' });
    expect(insert.error?.code).toBe('42501');
    const update = await alice.client.from('questions').update({ sort_order: 99 }).eq('id', published.questionId).select();
    expect(update.data ?? []).toEqual([]);
    const remove = await alice.client.from('questions').delete().eq('id', published.questionId).select();
    expect(remove.data ?? []).toEqual([]);
    const anonInsert = await anonClient(stack).from('domains').insert({ slug: `y${Date.now()}`, title: 'Anon' });
    expect(anonInsert.error).not.toBeNull();
    expect(await stack.query('select sort_order from public.questions where id = $1', [published.questionId])).toEqual([
      { sort_order: 0 },
    ]);
  });

  it('lets instructors write content', async () => {
    const slug = `i${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const { data, error } = await instructor.client.from('domains').insert({ slug, title: 'Geometry' }).select('id');
    expect(error).toBeNull();
    expect(data).toHaveLength(1);
    const update = await instructor.client.from('questions').update({ sort_order: 3 }).eq('id', draft.questionId).select('id');
    expect(update.data).toEqual([{ id: draft.questionId }]);
  });

  it('keeps tombstones away from learners and anon (they get them through pull_content)', async () => {
    await stack.query('delete from public.questions where id = $1', [draft.questionId]);
    const learner = await alice.client.from('content_tombstones').select('*');
    expect(learner.data ?? []).toEqual([]);
    const anon = await anonClient(stack).from('content_tombstones').select('*');
    expect(anon.data ?? []).toEqual([]);
    const editor = await instructor.client.from('content_tombstones').select('id').eq('id', draft.questionId);
    expect(editor.data).toEqual([{ id: draft.questionId }]);
  });
});
