/**
 * pull_content_changes: keyset pages in commit order (change_xid, id) below the oldest running transaction, with
 * tombstones and visibility, whether rows are held back in its X-Content-Held-Back header; pull_content_page, the
 * same page as one object for installed apps; and content_version bumps.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../../scripts/stack/stack';
import { anonClient, signedInUser, STACK_TIMEOUT_MS, type Learner } from './helpers';

type Entity = 'domain' | 'skill' | 'question';
/** The local columns after the id, in the order pull_content_changes sends them. */
const COLUMNS: Record<Entity, string[]> = {
  domain: ['slug', 'title', 'sort_order', 'is_published', 'created_utc_ms', 'updated_utc_ms'],
  skill: ['domain_id', 'slug', 'title', 'description', 'sort_order', 'is_published', 'created_utc_ms', 'updated_utc_ms'],
  question: ['skill_id', 'slug', 'type', 'payload', 'explanation', 'sort_order', 'is_published', 'created_utc_ms', 'updated_utc_ms'],
};

interface ChangeRow {
  entity: Entity;
  change_xid: string;
  id: string;
  deleted: boolean;
  data: Record<string, unknown> | null;
}

interface Cursor {
  after_xid: string | null;
  after_id: string | null;
}

interface Page {
  rows: ChangeRow[];
  heldBack: boolean;
}

const MAX_PAGES = 1_000;

let stack: Stack;
let learner: Learner;
let instructor: Learner;
let domainId: string;
let skillId: string;
let publishedQuestionIds: string[];
let draftQuestionIds: string[];

type Change = [Entity, string, string, unknown[] | null];

/** One page as the app asks for it: through the gateway as `client`'s user (anon when signed out). */
async function pullPage(client: SupabaseClient, cursor: Cursor, pageSize: number): Promise<Page> {
  const token = (await client.auth.getSession()).data.session?.access_token ?? stack.anonKey;
  const response = await fetch(`${stack.url}/rest/v1/rpc/pull_content_changes`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...cursor, page_size: pageSize }),
  });
  if (!response.ok) throw new Error(`pull_content_changes failed: HTTP ${response.status} ${await response.text()}`);
  const heldBack = response.headers.get('x-content-held-back');
  expect(['true', 'false']).toContain(heldBack);
  return { heldBack: heldBack === 'true', rows: changeRows((await response.json()) as Change[]) };
}

function changeRows(changes: Change[]): ChangeRow[] {
  return changes.map(([entity, changeXid, id, values]) => ({
    entity,
    change_xid: changeXid,
    id,
    deleted: values === null,
    data: values === null ? null : Object.fromEntries(COLUMNS[entity].map((column, i) => [column, values[i]])),
  }));
}

/** The same page from pull_content_page, which app versions already installed call. */
async function installedAppPage(client: SupabaseClient, cursor: Cursor, pageSize: number): Promise<Page> {
  const { data, error } = await client.rpc('pull_content_page', { ...cursor, page_size: pageSize });
  if (error) throw new Error(`pull_content_page failed: ${error.message}`);
  const page = data as { changes: Change[]; held_back: boolean };
  return { heldBack: page.held_back, rows: changeRows(page.changes) };
}

/** Pulls every page after `cursor`; returns the changes, the cursor to resume from and whether rows were held back. */
async function pullAll(client: SupabaseClient, cursor: Cursor, pageSize: number) {
  const changes: ChangeRow[] = [];
  let next = cursor;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { rows, heldBack } = await pullPage(client, next, pageSize);
    changes.push(...rows);
    const last = rows.at(-1);
    if (last) next = { after_xid: last.change_xid, after_id: last.id };
    if (rows.length < pageSize) return { changes, cursor: next, heldBack };
  }
  throw new Error(`pull did not finish within ${MAX_PAGES} pages`);
}

/** (change_xid, id) as a string that sorts like the server's order. */
const orderKey = (row: ChangeRow) => `${row.change_xid.padStart(20, '0')}|${row.id}`;

const START: Cursor = { after_xid: null, after_id: null };

async function contentVersion(client: SupabaseClient): Promise<number> {
  const { data, error } = await client.rpc('content_version');
  if (error) throw new Error(error.message);
  return Number(data);
}

/** Inserts a published question on `writer` (another connection), or through the stack's pool and committed. */
async function insertQuestion(writer: pg.Client | null, slug: string): Promise<string> {
  const run = async (text: string, values: unknown[]) =>
    writer ? (await writer.query<{ id: string }>(text, values)).rows : await stack.query<{ id: string }>(text, values);
  const rows = await run(
    `insert into public.questions (skill_id, slug, type, payload, is_published)
     values ($1, $2, 'mcq_single', '{"prompt":"p","choices":["a"],"solution_index":0}', true) returning id`,
    [skillId, slug],
  );
  return rows[0]!.id;
}

/** A connection of its own, as another server-side writer (a script, an instructor tool) would hold. */
async function otherWriter(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  // A connection ended by the server (idle timeout) reports an error event; that is what some tests wait for.
  client.on('error', () => undefined);
  return client;
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

describe('pull_content_changes', () => {
  let learnerCursor: Cursor;

  it('pages a learner through published content in (change_xid, id) order', async () => {
    const { changes, cursor, heldBack } = await pullAll(learner.client, START, 7);
    learnerCursor = cursor;
    const keys = changes.map(orderKey);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(heldBack).toBe(false);
    expect(changes.filter((c) => c.entity === 'domain').map((c) => c.id)).toEqual([domainId]);
    expect(changes.filter((c) => c.entity === 'skill').map((c) => c.id)).toEqual([skillId]);
    expect(new Set(changes.filter((c) => c.entity === 'question').map((c) => c.id))).toEqual(new Set(publishedQuestionIds));
    expect(changes.every((c) => !c.deleted)).toBe(true);
  });

  it('returns rows in the local shape: 0/1 flags, JSON columns as text, epoch milliseconds', async () => {
    const { changes } = await pullAll(learner.client, START, 1000);
    const domain = changes.find((c) => c.entity === 'domain');
    expect(domain?.data).toMatchObject({ slug: 'algebra', title: 'Algebra', sort_order: 0, is_published: 1 });
    const [stamps] = await stack.query<{ created: string; updated: string }>(
      `select floor(extract(epoch from created_at) * 1000)::text as created, floor(extract(epoch from updated_at) * 1000)::text as updated
       from public.domains where id = $1`,
      [domainId],
    );
    expect(domain?.data).toMatchObject({ created_utc_ms: Number(stamps!.created), updated_utc_ms: Number(stamps!.updated) });
    const question = changes.find((c) => c.entity === 'question');
    expect(question?.data).toMatchObject({ skill_id: skillId, type: 'mcq_single', is_published: 1 });
    expect(JSON.parse(question?.data?.payload as string)).toMatchObject({ choices: ['a', 'b'], solution_index: 0 });
    expect(JSON.parse(question?.data?.explanation as string)).toEqual({ body: 'because' });
    const skill = changes.find((c) => c.entity === 'skill');
    expect(skill?.data).toMatchObject({ domain_id: domainId, description: 'Solve for x.' });
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
    expect(editorById.get(unpublished)).toMatchObject({ deleted: false, data: { is_published: 0 } });
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
    learnerCursor = back.cursor;
  });

  it('follows the domain, skill and question publish flags together for learners', async () => {
    const visible = publishedQuestionIds.length - 2;
    await stack.query('update public.domains set is_published = false where id = $1', [domainId]);
    const hidden = await pullAll(learner.client, learnerCursor, 1000);
    expect(hidden.changes.find((c) => c.id === domainId)).toMatchObject({ entity: 'domain', deleted: true });
    expect(hidden.changes.find((c) => c.id === skillId)).toMatchObject({ entity: 'skill', deleted: true });
    const hiddenQuestions = hidden.changes.filter((c) => c.entity === 'question');
    expect(hiddenQuestions.every((c) => c.deleted)).toBe(true);
    // Instructors see the same rows as they are, unpublished.
    const editor = await pullAll(instructor.client, learnerCursor, 1000);
    expect(editor.changes.find((c) => c.id === domainId)).toMatchObject({ deleted: false, data: { is_published: 0 } });
    expect(editor.changes.find((c) => c.id === skillId)).toMatchObject({ deleted: false, data: { is_published: 1 } });

    // A question published under a hidden domain stays hidden until the domain is published again.
    const lateDraft = draftQuestionIds[1] as string;
    await stack.query('update public.questions set is_published = true where id = $1', [lateDraft]);
    const stillHidden = await pullAll(learner.client, hidden.cursor, 1000);
    expect(stillHidden.changes.find((c) => c.id === lateDraft)).toMatchObject({ deleted: true });

    await stack.query('update public.domains set is_published = true where id = $1', [domainId]);
    const shown = await pullAll(learner.client, stillHidden.cursor, 1000);
    expect(shown.changes.find((c) => c.id === domainId)).toMatchObject({ deleted: false });
    expect(shown.changes.find((c) => c.id === skillId)).toMatchObject({ deleted: false });
    const shownQuestions = shown.changes.filter((c) => c.entity === 'question' && !c.deleted).map((c) => c.id);
    expect(shownQuestions).toHaveLength(visible + 1);
    expect(shownQuestions).toContain(lateDraft);
    // The one draft never published is not even an id to learners.
    const neverPublished = draftQuestionIds[2] as string;
    const everything = await pullAll(learner.client, START, 1000);
    expect(everything.changes.map((c) => c.id)).not.toContain(neverPublished);
    learnerCursor = shown.cursor;
  });

  it('never skips a row that commits late, below a cursor handed out meanwhile', async () => {
    const cursor = (await pullAll(learner.client, learnerCursor, 1000)).cursor;
    const slowWriter = await otherWriter();
    try {
      // The slow writer takes the smaller transaction id first, the fast writer's row commits, and only then does the
      // slow writer write its row (stamped with its smaller id) and commit.
      await slowWriter.query('begin');
      await slowWriter.query('select pg_current_xact_id()');
      const fast = await insertQuestion(null, 'fast_writer');
      const slow = await insertQuestion(slowWriter, 'slow_writer');
      const during = await pullAll(learner.client, cursor, 1000);
      // Neither is handed out while the slow one may still commit below the fast one: the page says so.
      expect(during.changes.map((c) => c.id)).toEqual([]);
      expect(during.heldBack).toBe(true);
      await slowWriter.query('commit');
      const after = await pullAll(learner.client, during.cursor, 1000);
      expect(after.changes.map((c) => c.id)).toEqual([slow, fast]);
      expect(after.heldBack).toBe(false);
      learnerCursor = after.cursor;
    } finally {
      await slowWriter.end();
    }
  });

  it('ends an idle open writer after the database bound, and pulls go on', async () => {
    const fresh = await otherWriter();
    const [{ bound }] = (await fresh.query<{ bound: string }>(`select current_setting('idle_in_transaction_session_timeout') as bound`)).rows as [{ bound: string }];
    await fresh.end();
    // The database's own bound, as every new session gets it.
    expect(bound).toBe('30s');

    const cursor = (await pullAll(learner.client, learnerCursor, 1000)).cursor;
    const idle = await otherWriter();
    const ended = new Promise<void>((resolve) => idle.on('end', () => resolve()));
    // The same mechanism, shortened for the test: this session's own bound replaces the database's 30 s.
    await idle.query(`set idle_in_transaction_session_timeout = '1s'`);
    await idle.query('begin');
    await idle.query('select pg_current_xact_id()');
    const fast = await insertQuestion(null, 'after_idle');
    const during = await pullAll(learner.client, cursor, 1000);
    expect(during.changes).toEqual([]);
    expect(during.heldBack).toBe(true);
    await Promise.race([ended, new Promise((_, reject) => setTimeout(() => reject(new Error('the idle writer was not ended')), 10_000))]);
    const after = await pullAll(learner.client, during.cursor, 1000);
    expect(after.changes.map((c) => c.id)).toEqual([fast]);
    expect(after.heldBack).toBe(false);
    learnerCursor = after.cursor;
  }, 20_000);

  it('caps the page size at 5000', async () => {
    await stack.query(
      `insert into public.questions (skill_id, slug, type, payload, is_published)
       select $1, 'bulk_' || n, 'reorder_steps', '{"steps":["a","b"],"solution":[0,1]}', true
       from generate_series(1, 5100) as n`,
      [skillId],
    );
    const { rows } = await pullPage(learner.client, START, 100_000);
    expect(rows).toHaveLength(5000);
  });

  it('is a 404 where a server lacks it, which the app takes for a server without its migration', async () => {
    const response = await fetch(`${stack.url}/rest/v1/rpc/pull_content_changes_of_a_later_version`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, authorization: `Bearer ${stack.anonKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...START, page_size: 10 }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'PGRST202' });
  });

  it('gives installed apps the same pages as one object through pull_content_page, held_back included', async () => {
    for (const client of [learner.client, instructor.client, anonClient(stack)]) {
      let cursor = START;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const current = await pullPage(client, cursor, 2000);
        expect(await installedAppPage(client, cursor, 2000)).toEqual(current);
        const last = current.rows.at(-1);
        if (!last || current.rows.length < 2000) break;
        cursor = { after_xid: last.change_xid, after_id: last.id };
      }
    }
    const end = (await pullAll(learner.client, START, 5000)).cursor;
    const slowWriter = await otherWriter();
    try {
      await slowWriter.query('begin');
      await slowWriter.query('select pg_current_xact_id()');
      await insertQuestion(null, 'installed_app_fast');
      const held = await installedAppPage(learner.client, end, 1000);
      expect(held).toEqual({ heldBack: true, rows: [] });
      expect(held).toEqual(await pullPage(learner.client, end, 1000));
    } finally {
      await slowWriter.query('rollback');
      await slowWriter.end();
    }
  });
});

describe('pull_content_changes owned by a role that cannot see other sessions (as on hosted Supabase)', () => {
  beforeAll(async () => {
    // Not a superuser and without pg_read_all_stats: pg_stat_activity hides other sessions' backend_xid from it.
    await stack.query(`create role pull_owner nologin bypassrls`);
    await stack.query(`grant usage on schema public, auth to pull_owner`);
    await stack.query(`grant select on public.domains, public.skills, public.questions, public.content_tombstones to pull_owner`);
    await stack.query(`grant execute on function auth.jwt() to pull_owner`);
    await stack.query(`alter function public.pull_content_changes(xid8, uuid, integer) owner to pull_owner`);
    await stack.query(`alter function public.content_utc_ms(timestamptz) owner to pull_owner`);
  });

  afterAll(async () => {
    await stack.query(`alter function public.pull_content_changes(xid8, uuid, integer) owner to postgres`);
    await stack.query(`alter function public.content_utc_ms(timestamptz) owner to postgres`);
  });

  it('still holds back what a writer in flight may commit below the cursor', async () => {
    const cursor = (await pullAll(learner.client, START, 5000)).cursor;
    const slowWriter = await otherWriter();
    try {
      await slowWriter.query('begin');
      await slowWriter.query('select pg_current_xact_id()');
      const fast = await insertQuestion(null, 'owner_fast');
      const slow = await insertQuestion(slowWriter, 'owner_slow');
      const during = await pullAll(learner.client, cursor, 1000);
      expect(during.changes).toEqual([]);
      expect(during.heldBack).toBe(true);
      await slowWriter.query('commit');
      const after = await pullAll(learner.client, during.cursor, 1000);
      expect(after.changes.map((c) => c.id)).toEqual([slow, fast]);
    } finally {
      await slowWriter.end();
    }
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
