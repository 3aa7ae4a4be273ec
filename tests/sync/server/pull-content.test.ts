/** pull_content keyset paging with tombstones and visibility, and content_version bumps. */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../../scripts/stack/stack';
import { anonClient, signedInUser, STACK_TIMEOUT_MS, type Learner } from './helpers';

interface ChangeRow {
  entity: 'domain' | 'skill' | 'question';
  id: string;
  updated_at: string;
  deleted: boolean;
  data: Record<string, unknown> | null;
}

interface Cursor {
  after_updated_at: string | null;
  after_id: string | null;
}

const MAX_PAGES = 1_000;

let stack: Stack;
let learner: Learner;
let instructor: Learner;
let domainId: string;
let skillId: string;
let publishedQuestionIds: string[];
let draftQuestionIds: string[];

async function pullPage(client: SupabaseClient, cursor: Cursor, pageSize: number): Promise<ChangeRow[]> {
  const { data, error } = await client.rpc('pull_content', { ...cursor, page_size: pageSize });
  if (error) throw new Error(`pull_content failed: ${error.message}`);
  return data as ChangeRow[];
}

/** Pulls every page after `cursor`; returns the changes and the cursor to resume from. */
async function pullAll(client: SupabaseClient, cursor: Cursor, pageSize: number) {
  const changes: ChangeRow[] = [];
  let next = cursor;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const rows = await pullPage(client, next, pageSize);
    changes.push(...rows);
    const last = rows.at(-1);
    if (last) next = { after_updated_at: last.updated_at, after_id: last.id };
    if (rows.length < pageSize) return { changes, cursor: next };
  }
  throw new Error(`pull did not finish within ${MAX_PAGES} pages`);
}

const START: Cursor = { after_updated_at: null, after_id: null };

async function contentVersion(client: SupabaseClient): Promise<number> {
  const { data, error } = await client.rpc('content_version');
  if (error) throw new Error(error.message);
  return Number(data);
}

beforeAll(async () => {
  stack = await startStack({ quiet: true });
  learner = await signedInUser(stack);
  instructor = await signedInUser(stack, 'instructor');
  domainId = randomUUID();
  skillId = randomUUID();
  await stack.query(`insert into public.domains (id, slug, title, is_published) values ($1, 'algebra', 'Algebra', true)`, [domainId]);
  await stack.query(
    `insert into public.skills (id, domain_id, slug, title, description, is_published)
     values ($1, $2, 'linear_equations', 'Linear Equations', 'Solve for x.', true)`,
    [skillId, domainId],
  );
  const questions = await stack.query<{ id: string; is_published: boolean }>(
    `insert into public.questions (skill_id, slug, type, payload, explanation, sort_order, is_published)
     select $1, 'q' || n, 'mcq_single', jsonb_build_object('prompt', 'Q' || n, 'choices', jsonb_build_array('a', 'b'), 'solution_index', 0),
            '{"body":"because"}', n, n <= 25
     from generate_series(1, 28) as n
     returning id, is_published`,
    [skillId],
  );
  publishedQuestionIds = questions.filter((q) => q.is_published).map((q) => q.id);
  draftQuestionIds = questions.filter((q) => !q.is_published).map((q) => q.id);
}, STACK_TIMEOUT_MS);

afterAll(async () => {
  await stack?.stop();
}, STACK_TIMEOUT_MS);

describe('pull_content', () => {
  let learnerCursor: Cursor;

  it('pages a learner through published content in (updated_at, id) order', async () => {
    const { changes, cursor } = await pullAll(learner.client, START, 7);
    learnerCursor = cursor;
    const keys = changes.map((c) => `${c.updated_at}|${c.id}`);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(changes.filter((c) => c.entity === 'domain').map((c) => c.id)).toEqual([domainId]);
    expect(changes.filter((c) => c.entity === 'skill').map((c) => c.id)).toEqual([skillId]);
    expect(new Set(changes.filter((c) => c.entity === 'question').map((c) => c.id))).toEqual(new Set(publishedQuestionIds));
    expect(changes.every((c) => !c.deleted)).toBe(true);
  });

  it('returns rows in the local shape', async () => {
    const [first] = await pullPage(learner.client, START, 1);
    expect(first?.entity).toBe('domain');
    expect(first?.data).toMatchObject({ id: domainId, slug: 'algebra', title: 'Algebra', sort_order: 0, is_published: true });
    expect(typeof first?.data?.created_utc_ms).toBe('number');
    const { changes } = await pullAll(learner.client, START, 1000);
    const question = changes.find((c) => c.entity === 'question');
    expect(question?.data).toMatchObject({
      skill_id: skillId,
      type: 'mcq_single',
      payload: { choices: ['a', 'b'], solution_index: 0 },
      explanation: { body: 'because' },
      is_published: true,
    });
    expect(Object.keys(question?.data ?? {}).sort()).toEqual(
      ['created_utc_ms', 'explanation', 'id', 'is_published', 'payload', 'skill_id', 'slug', 'sort_order', 'type', 'updated_utc_ms'],
    );
  });

  it('shows instructors the drafts too', async () => {
    const { changes } = await pullAll(instructor.client, START, 10);
    const ids = new Set(changes.filter((c) => c.entity === 'question').map((c) => c.id));
    for (const id of [...publishedQuestionIds, ...draftQuestionIds]) expect(ids.has(id)).toBe(true);
  });

  it('gives anon published content as well (it is public curriculum)', async () => {
    const { changes } = await pullAll(anonClient(stack), START, 100);
    expect(changes.filter((c) => c.entity === 'question')).toHaveLength(publishedQuestionIds.length);
  });

  it('delivers updates, deletions and unpublishing incrementally, and never leaks never-published drafts', async () => {
    const [updated, deleted, unpublished] = publishedQuestionIds as [string, string, string];
    const draftDeleted = draftQuestionIds[0] as string;
    await stack.query('update public.questions set sort_order = 100 where id = $1', [updated]);
    await stack.query('delete from public.questions where id = any($1::uuid[])', [[deleted, draftDeleted]]);
    await stack.query('update public.questions set is_published = false where id = $1', [unpublished]);

    const { changes } = await pullAll(learner.client, learnerCursor, 2);
    const byId = new Map(changes.map((c) => [c.id, c]));
    expect(byId.get(updated)).toMatchObject({ deleted: false, data: { sort_order: 100 } });
    expect(byId.get(deleted)).toMatchObject({ entity: 'question', deleted: true, data: null });
    expect(byId.get(unpublished)).toMatchObject({ entity: 'question', deleted: true, data: null });
    expect(byId.has(draftDeleted)).toBe(false);
    expect(changes).toHaveLength(3);

    const editor = await pullAll(instructor.client, learnerCursor, 50);
    const editorById = new Map(editor.changes.map((c) => [c.id, c]));
    expect(editorById.get(draftDeleted)).toMatchObject({ deleted: true });
    expect(editorById.get(unpublished)).toMatchObject({ deleted: false, data: { is_published: false } });
    learnerCursor = (await pullAll(learner.client, learnerCursor, 1000)).cursor;
  });

  it('turns the questions of an unpublished skill into tombstones for learners', async () => {
    await stack.query('update public.skills set is_published = false where id = $1', [skillId]);
    const { changes, cursor } = await pullAll(learner.client, learnerCursor, 1000);
    const visibleBefore = publishedQuestionIds.length - 2;
    expect(changes.find((c) => c.id === skillId)).toMatchObject({ deleted: true });
    const questionTombstones = changes.filter((c) => c.entity === 'question' && c.deleted);
    // Every question that was ever published under it, including the one unpublished above.
    expect(questionTombstones.length).toBe(visibleBefore + 1);
    await stack.query('update public.skills set is_published = true where id = $1', [skillId]);
    const back = await pullAll(learner.client, cursor, 1000);
    expect(back.changes.filter((c) => c.entity === 'question' && !c.deleted)).toHaveLength(visibleBefore);
  });

  it('never skips a change committed late by a long-running writer', async () => {
    const cursor = (await pullAll(learner.client, learnerCursor, 1000)).cursor;
    const slowWriter = new pg.Client({ connectionString: stack.databaseUrl });
    await slowWriter.connect();
    try {
      // A writer in flight (it holds a transaction id) whose rows would be stamped from now on.
      await slowWriter.query('begin');
      await slowWriter.query('select pg_current_xact_id()');
      const [fast] = await stack.query<{ id: string }>(
        `insert into public.questions (skill_id, slug, type, payload, is_published)
         values ($1, 'fast_writer', 'mcq_single', '{"prompt":"p","choices":["a"],"solution_index":0}', true) returning id`,
        [skillId],
      );
      // Committed after the slow writer began: held back until it ends, so the cursor cannot pass its rows.
      const during = await pullAll(learner.client, cursor, 1000);
      expect(during.changes.map((c) => c.id)).not.toContain(fast?.id);
      await slowWriter.query('commit');
      const after = await pullAll(learner.client, during.cursor, 1000);
      expect(after.changes.map((c) => c.id)).toEqual([fast?.id]);
      learnerCursor = after.cursor;
    } finally {
      await slowWriter.end();
    }
  });

  it('caps the page size at 5000', async () => {
    await stack.query(
      `insert into public.questions (skill_id, slug, type, payload, is_published)
       select $1, 'bulk_' || n, 'reorder_steps', '{"steps":["a","b"],"solution":[0,1]}', true
       from generate_series(1, 5100) as n`,
      [skillId],
    );
    const rows = await pullPage(learner.client, START, 100_000);
    expect(rows).toHaveLength(5000);
  });
});

describe('content_version', () => {
  it('bumps on every content insert, update and delete, and not on learner data', async () => {
    const v0 = await contentVersion(learner.client);
    const id = randomUUID();
    await stack.query(`insert into public.domains (id, slug, title) values ($1, 'geometry', 'Geometry')`, [id]);
    const v1 = await contentVersion(learner.client);
    expect(v1).toBeGreaterThan(v0);
    await stack.query(`update public.domains set title = 'Geometry II' where id = $1`, [id]);
    const v2 = await contentVersion(learner.client);
    expect(v2).toBeGreaterThan(v1);
    await stack.query('delete from public.domains where id = $1', [id]);
    const v3 = await contentVersion(learner.client);
    expect(v3).toBeGreaterThan(v2);
    expect(await contentVersion(anonClient(stack))).toBe(v3);
  });

  it('bumps when an instructor edits through the API', async () => {
    const before = await contentVersion(instructor.client);
    const { error } = await instructor.client.from('domains').insert({ slug: 'statistics', title: 'Statistics' });
    expect(error).toBeNull();
    expect(await contentVersion(instructor.client)).toBe(before + 1);
  });
});
