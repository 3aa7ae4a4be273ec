/**
 * Drills on the real Postgres + PostgREST stack: one ACTIVE content pack (the partial unique index), RLS on
 * content_packs and users, entitlements (new accounts LOCKED, the admin grant, sync_push's `locked`), the seed's
 * CHECKs on drill rows, the status-rank merge, and evaluation_results unique per session.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGrant } from '../../../electron/core/content/grant';
import { publishDrillPack } from '../../../electron/core/drills/pack-publish';
import { startStack, type Stack } from '../../../scripts/stack/stack';
import {
  anonClient,
  item,
  publishContentPool,
  push,
  sampleCategories,
  sampleRows,
  signedInUser,
  STACK_TIMEOUT_MS,
  type Learner,
} from './helpers';

let stack: Stack;
let learner: Learner;
let editor: Learner;

beforeAll(async () => {
  stack = await startStack({ quiet: true });
  await publishContentPool(stack);
  learner = await signedInUser(stack);
  editor = await signedInUser(stack, 'instructor');
}, STACK_TIMEOUT_MS);

afterAll(async () => {
  await stack?.stop();
}, STACK_TIMEOUT_MS);

function packRow(name: string, questionIds: string[] = [`${name}-q1`]) {
  return {
    version: '1.0.0',
    name,
    content: {
      version: '1.0.0',
      metadata: { title: name, description: '', categories: ['A', 'B', 'C', 'D', 'E', 'F', 'G'] },
      questions: questionIds.map((id) => ({ id, category: 'A', prompt: 'Why?', expected_duration_s: 60, evaluation_criteria: ['x'] })),
    },
    file_size: 1234,
    checksum: 'b'.repeat(64),
  };
}

async function activePackName(): Promise<string | null> {
  const rows = await stack.query<{ name: string }>(`select name from public.content_packs where status = 'ACTIVE'`);
  return rows[0]?.name ?? null;
}

/** A drill session, its response and evaluation for `learner`, on a question of the pool's active pack. */
function drillRows(userId: string) {
  const rows = sampleRows(userId);
  return { session: rows.drill_sessions, response: rows.drill_responses, evaluation: rows.evaluation_results };
}

describe('content packs: one active pack', () => {
  it('the database refuses a second ACTIVE pack, whoever writes it', async () => {
    const before = await activePackName();
    expect(before).not.toBeNull();
    const other = packRow(`second-${randomUUID()}`);
    await expect(
      stack.query(`insert into public.content_packs (version, name, content, status, file_size, checksum) values ($1, $2, $3, 'ACTIVE', $4, $5)`, [
        other.version,
        other.name,
        JSON.stringify(other.content),
        other.file_size,
        other.checksum,
      ]),
    ).rejects.toThrow(/content_packs_one_active_uq/);
    expect(await activePackName()).toBe(before);
  });

  it('refuses a pack whose drill metadata does not name 7 categories', async () => {
    const row = packRow(`six-${randomUUID()}`);
    row.content.metadata.categories = row.content.metadata.categories.slice(0, 6);
    const inserted = await editor.client.from('content_packs').insert(row);
    expect(inserted.error?.message).toMatch(/content_packs_content_check/);
  });

  it('an editor activating a pack archives the previous one in the same call', async () => {
    const before = await activePackName();
    const created = await editor.client.from('content_packs').insert(packRow(`next-${randomUUID()}`)).select('id, name, status').single();
    expect(created.error).toBeNull();
    expect(created.data).toMatchObject({ status: 'DRAFT' });
    const activated = await editor.client.rpc('set_content_pack_status', { pack_id: created.data!.id, new_status: 'ACTIVE' });
    expect(activated.error).toBeNull();
    expect(await activePackName()).toBe(created.data!.name);
    const previous = await stack.query<{ status: string; activated_at: Date | null }>(
      'select status, activated_at from public.content_packs where name = $1',
      [before],
    );
    expect(previous).toEqual([{ status: 'ARCHIVED', activated_at: expect.any(Date) }]);
    // Put the pool's pack back, so the other tests drill on it.
    const pool = await stack.query<{ id: string }>('select id from public.content_packs where name = $1', [before]);
    expect((await editor.client.rpc('set_content_pack_status', { pack_id: pool[0]!.id, new_status: 'ACTIVE' })).error).toBeNull();
    expect(await activePackName()).toBe(before);
  });
});

describe('content packs: publishing a drill pack', () => {
  const upload = (name: string) => {
    const row = packRow(name, [`${name}-a`, `${name}-b`]);
    return { name, version: '1.2.0', description: 'Published', schemaVersion: '1.0.0', drill: row.content, fileSize: 2048, checksum: 'd'.repeat(64) };
  };

  it('an editor uploads a drill pack, publishing again updates it, and activating archives the previous active pack', async () => {
    const before = await activePackName();
    const { data } = await editor.client.auth.getSession();
    const token = data.session!.access_token;
    const name = `published-${randomUUID()}`;
    const draft = await publishDrillPack({ url: stack.url, apikey: stack.anonKey, token, fetch, pack: upload(name), activate: false });
    expect(draft.status).toBe('DRAFT');
    const changed = { ...upload(name), description: 'Published again' };
    const active = await publishDrillPack({ url: stack.url, apikey: stack.anonKey, token, fetch, pack: changed, activate: true });
    expect(active).toEqual({ id: draft.id, status: 'ACTIVE' });
    const rows = await stack.query('select name, description, status, uploaded_by, file_size from public.content_packs where id = $1', [draft.id]);
    expect(rows).toEqual([{ name, description: 'Published again', status: 'ACTIVE', uploaded_by: editor.id, file_size: 2048 }]);
    expect(await stack.query('select status from public.content_packs where name = $1', [before])).toEqual([{ status: 'ARCHIVED' }]);

    // The service key works too (no account: uploaded_by stays null); then the pool's pack is put back.
    const byService = await publishDrillPack({
      url: stack.url,
      apikey: stack.serviceKey,
      token: stack.serviceKey,
      fetch,
      pack: upload(`service-${randomUUID()}`),
      activate: false,
    });
    expect(await stack.query('select uploaded_by from public.content_packs where id = $1', [byService.id])).toEqual([{ uploaded_by: null }]);
    const pool = await stack.query<{ id: string }>('select id from public.content_packs where name = $1', [before]);
    expect((await editor.client.rpc('set_content_pack_status', { pack_id: pool[0]!.id, new_status: 'ACTIVE' })).error).toBeNull();
  });

  it('a learner cannot publish a drill pack', async () => {
    const { data } = await learner.client.auth.getSession();
    const attempt = publishDrillPack({
      url: stack.url,
      apikey: stack.anonKey,
      token: data.session!.access_token,
      fetch,
      pack: upload(`learner-${randomUUID()}`),
      activate: true,
    });
    await expect(attempt).rejects.toThrow(/Uploading the drill pack failed: .*row-level security/);
  });
});

describe('content packs: RLS', () => {
  it('a learner reads only the active pack and cannot write any', async () => {
    const draft = packRow(`draft-${randomUUID()}`);
    expect((await editor.client.from('content_packs').insert(draft)).error).toBeNull();

    const seen = await learner.client.from('content_packs').select('name, status');
    expect(seen.error).toBeNull();
    expect(seen.data).toEqual([{ name: await activePackName(), status: 'ACTIVE' }]);
    const active = await learner.client.rpc('active_drill_pack');
    expect(active.error).toBeNull();
    expect(active.data).toMatchObject({ name: await activePackName(), version: '1.0.0', checksum: 'a'.repeat(64) });
    expect((active.data as { content: { questions: unknown[] } }).content.questions.length).toBeGreaterThan(0);

    const inserted = await learner.client.from('content_packs').insert(packRow(`mine-${randomUUID()}`));
    expect(inserted.error?.message).toMatch(/row-level security/);
    const updated = await learner.client.from('content_packs').update({ status: 'ARCHIVED' }).eq('status', 'ACTIVE').select();
    expect(updated.data ?? []).toEqual([]);
    const deleted = await learner.client.from('content_packs').delete().eq('status', 'ACTIVE').select();
    expect(deleted.data ?? []).toEqual([]);
    const changed = await learner.client.rpc('set_content_pack_status', { pack_id: randomUUID(), new_status: 'ACTIVE' });
    expect(changed.error).not.toBeNull();
    expect(await activePackName()).not.toBeNull();
    const stillDraft = await stack.query('select status from public.content_packs where name = $1', [draft.name]);
    expect(stillDraft).toEqual([{ status: 'DRAFT' }]);
  });

  it('anonymous callers read no pack', async () => {
    const seen = await anonClient(stack).from('content_packs').select('name');
    expect(seen.data ?? []).toEqual([]);
  });

  it('an editor reads drafts, updates and deletes them', async () => {
    const name = `edit-${randomUUID()}`;
    expect((await editor.client.from('content_packs').insert(packRow(name))).error).toBeNull();
    const drafts = await editor.client.from('content_packs').select('name').eq('status', 'DRAFT').eq('name', name);
    expect(drafts.data).toEqual([{ name }]);
    const updated = await editor.client.from('content_packs').update({ description: 'Edited' }).eq('name', name).select('description');
    expect(updated.data).toEqual([{ description: 'Edited' }]);
    const deleted = await editor.client.from('content_packs').delete().eq('name', name).select('name');
    expect(deleted.data).toEqual([{ name }]);
  });
});

describe('entitlements', () => {
  it('a new account starts LOCKED; the learner reads their own row only and can never write it', async () => {
    const fresh = await signedInUser(stack, 'learner', 'LOCKED');
    const own = await fresh.client.from('users').select('id, entitlement_level');
    expect(own.data).toEqual([{ id: fresh.id, entitlement_level: 'LOCKED' }]);

    // Another learner's row is invisible.
    const others = await fresh.client.from('users').select('id').eq('id', learner.id);
    expect(others.data).toEqual([]);

    const raised = await fresh.client.from('users').update({ entitlement_level: 'PRO' }).eq('id', fresh.id).select();
    expect(raised.error?.message).toMatch(/permission denied/);
    const inserted = await fresh.client.from('users').upsert({ id: fresh.id, entitlement_level: 'PRO' });
    expect(inserted.error?.message).toMatch(/permission denied/);
    const granted = await fresh.client.rpc('admin_set_entitlement', { account_email: fresh.email, level: 'PRO' });
    expect(granted.error?.message).toMatch(/permission denied/);
    const after = await stack.query('select entitlement_level from public.users where id = $1', [fresh.id]);
    expect(after).toEqual([{ entitlement_level: 'LOCKED' }]);
  });

  it('an account signed up through the auth gateway starts LOCKED', async () => {
    const client = anonClient(stack);
    const email = `signup-${randomUUID()}@example.test`;
    const signUp = await client.auth.signUp({ email, password: 'correct horse battery' });
    expect(signUp.error).toBeNull();
    const rows = await stack.query('select u.entitlement_level from public.users u join auth.users a on a.id = u.id where a.email = $1', [email]);
    expect(rows).toEqual([{ entitlement_level: 'LOCKED' }]);
  });

  it('the admin command grants a level with the service key, and refuses another key or an unknown account', async () => {
    const fresh = await signedInUser(stack, 'learner', 'LOCKED');
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
    const args = ['--email', fresh.email.toUpperCase(), '--level', 'PRO', '--url', stack.url];

    expect(await runGrant([...args, '--service-key', stack.serviceKey], io)).toBe(0);
    expect(out.join('')).toContain(`${fresh.email} (${fresh.id}) is now PRO`);
    const own = await fresh.client.from('users').select('entitlement_level');
    expect(own.data).toEqual([{ entitlement_level: 'PRO' }]);

    expect(await runGrant([...args.slice(0, 2), '--level', 'BASIC', '--url', stack.url, '--service-key', stack.anonKey], io)).toBe(1);
    expect(err.join('')).toMatch(/the server refused/);
    expect(await runGrant(['--email', 'nobody@example.test', '--level', 'PRO', '--url', stack.url, '--service-key', stack.serviceKey], io)).toBe(1);
    expect(err.join('')).toContain('no account has the email nobody@example.test');
    expect(await runGrant(['--email', fresh.email, '--level', 'GOLD', '--url', stack.url, '--service-key', stack.serviceKey], io)).toBe(2);
    expect(err.join('')).toContain('--level must be one of LOCKED, BASIC, PRO, not "GOLD"');
    expect((await fresh.client.from('users').select('entitlement_level')).data).toEqual([{ entitlement_level: 'PRO' }]);
  });

  it("sync_push refuses a LOCKED account's drill rows as `locked` on both paths, and takes them once granted", async () => {
    const locked = await signedInUser(stack, 'learner', 'LOCKED');
    const { session, response, evaluation } = drillRows(locked.id);
    const practice = item('attempts', { ...sampleRows(locked.id).attempts, session_id: null });
    const batch = [item('drill_sessions', session), item('drill_responses', response), item('evaluation_results', evaluation), practice];
    // The set-wise path refuses the batch (it would need the item-by-item path), which then answers each row.
    expect((await locked.client.rpc('sync_push_set', { items: batch })).error).not.toBeNull();
    expect(await push(locked.client, batch)).toEqual([
      ...batch.slice(0, 3).map((i) => ({ id: i.id, status: 'rejected', reason: 'locked' })),
      { id: practice.id, status: 'accepted' },
    ]);
    expect(await stack.query('select id from public.drill_sessions where id = $1', [session.id])).toEqual([]);

    await stack.query(`update public.users set entitlement_level = 'BASIC' where id = $1`, [locked.id]);
    const again = batch.slice(0, 3).map((i) => ({ ...i, id: randomUUID() }));
    expect(await push(locked.client, again)).toEqual(again.map((i) => ({ id: i.id, status: 'accepted' })));
  });
});

describe('drill rows on the server', () => {
  it('a drill on a question no pack was ever active with is unknown_content; one on an archived pack is accepted', async () => {
    const { session } = drillRows(learner.id);
    const never = packRow(`never-${randomUUID()}`, [`never-${randomUUID()}`]);
    expect((await editor.client.from('content_packs').insert(never)).error).toBeNull();
    const onDraft = item('drill_sessions', { ...session, id: randomUUID(), question_id: never.content.questions[0]!.id });
    const onNothing = item('drill_sessions', { ...session, id: randomUUID(), question_id: 'no-such-question' });
    expect(await push(learner.client, [onDraft, onNothing])).toEqual([
      { id: onDraft.id, status: 'rejected', reason: 'unknown_content' },
      { id: onNothing.id, status: 'rejected', reason: 'unknown_content' },
    ]);

    // Once active (then archived again), drills on its questions are accepted.
    const pool = await activePackName();
    const ids = await stack.query<{ id: string; name: string }>('select id, name from public.content_packs where name = any($1)', [[never.name, pool]]);
    const id = (name: string | null) => ids.find((r) => r.name === name)!.id;
    expect((await editor.client.rpc('set_content_pack_status', { pack_id: id(never.name), new_status: 'ACTIVE' })).error).toBeNull();
    expect((await editor.client.rpc('set_content_pack_status', { pack_id: id(pool), new_status: 'ACTIVE' })).error).toBeNull();
    const onArchived = item('drill_sessions', { ...session, id: randomUUID(), question_id: never.content.questions[0]!.id });
    expect(await push(learner.client, [onArchived])).toEqual([{ id: onArchived.id, status: 'accepted' }]);
  });

  it('question_id is text, as drill pack ids are', async () => {
    const rows = await stack.query<{ data_type: string }>(
      `select data_type from information_schema.columns where table_schema = 'public' and table_name = 'drill_sessions' and column_name = 'question_id'`,
    );
    expect(rows).toEqual([{ data_type: 'text' }]);
  });

  it.each([
    ['6 categories', { categories: JSON.stringify(sampleCategories().slice(0, 6)) }, 'evaluation_results_categories_check'],
    ['8 categories', { categories: JSON.stringify([...sampleCategories(), { ...sampleCategories()[0]!, name: 'Eighth' }]) }, 'evaluation_results_categories_check'],
    [
      'two categories with one name',
      { categories: JSON.stringify(sampleCategories().map((c, i) => (i === 6 ? { ...c, name: 'Pace' } : c))) },
      'evaluation_results_categories_check',
    ],
    ['4 changes', { what_changed: JSON.stringify(['a', 'b', 'c', 'd']) }, 'evaluation_results_what_changed_check'],
    ['a score of 101', { overall_score: 101 }, 'evaluation_results_score_check'],
    ['a score below 0', { overall_score: -1 }, 'evaluation_results_score_check'],
    ['no processing time', { processing_time_ms: 0 }, 'evaluation_results_processing_time_check'],
  ])('refuses an evaluation with %s', async (_label, change, constraint) => {
    const { session, response, evaluation } = drillRows(learner.id);
    const bad = item('evaluation_results', { ...evaluation, ...change });
    const answers = await push(learner.client, [item('drill_sessions', session), item('drill_responses', response), bad]);
    expect(answers.slice(0, 2).map((a) => a.status)).toEqual(['accepted', 'accepted']);
    expect(answers[2]).toMatchObject({ status: 'rejected' });
    expect(answers[2]!.reason).toContain(constraint);
    expect(await stack.query('select id from public.evaluation_results where session_id = $1', [session.id])).toEqual([]);
  });

  it('refuses a session with no processing time and a response with a negative word count', async () => {
    const { session, response } = drillRows(learner.id);
    const badSession = item('drill_sessions', { ...session, processing_time_ms: 0 });
    const goodSession = item('drill_sessions', session);
    const badResponse = item('drill_responses', { ...response, word_count: -1 });
    const answers = await push(learner.client, [badSession, goodSession, badResponse]);
    expect(answers[0]!.reason).toContain('drill_sessions_processing_time_check');
    expect(answers[1]).toMatchObject({ status: 'accepted' });
    expect(answers[2]!.reason).toContain('drill_responses_word_count_check');
  });

  it('keeps one evaluation per session', async () => {
    const { session, response, evaluation } = drillRows(learner.id);
    const second = item('evaluation_results', { ...evaluation, id: randomUUID(), overall_score: 12 });
    const answers = await push(learner.client, [
      item('drill_sessions', session),
      item('drill_responses', response),
      item('evaluation_results', evaluation),
      second,
    ]);
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(answers[3]).toMatchObject({ status: 'rejected' });
    expect(answers[3]!.reason).toMatch(/evaluation_results_session_id_key/);
    const stored = await stack.query<{ overall_score: number }>('select overall_score from public.evaluation_results where session_id = $1', [session.id]);
    expect(stored).toEqual([{ overall_score: evaluation.overall_score }]);
  });

  it('the status-rank merge: a stale device moves nothing back', async () => {
    const { session } = drillRows(learner.id);
    const started = { ...session, status: 'STARTED', submitted_utc_ms: null, completed_utc_ms: null, processing_time_ms: null, metadata: null };
    const completed = { ...session, status: 'COMPLETED', processing_time_ms: 420, metadata: '{"typingMs":9000}' };
    // The stale device's PROCESSING snapshot carries its own (older) metadata and processing time.
    const staleProcessing = { ...session, status: 'PROCESSING', completed_utc_ms: null, processing_time_ms: 999, metadata: '{"typingMs":1}' };
    for (const snapshot of [started, completed, staleProcessing, started]) {
      expect(await push(learner.client, [item('drill_sessions', snapshot)])).toMatchObject([{ status: 'accepted' }]);
    }
    const stored = await stack.query('select status, submitted_utc_ms, completed_utc_ms, processing_time_ms, metadata from public.drill_sessions where id = $1', [
      session.id,
    ]);
    expect(stored).toEqual([
      {
        status: 'COMPLETED',
        submitted_utc_ms: String(session.submitted_utc_ms),
        completed_utc_ms: String(session.completed_utc_ms),
        processing_time_ms: 420,
        metadata: { typingMs: 9000 },
      },
    ]);

    // A stale snapshot still fills what the server lacks.
    const other = drillRows(learner.id).session;
    await push(learner.client, [item('drill_sessions', { ...other, status: 'COMPLETED', metadata: null })]);
    await push(learner.client, [item('drill_sessions', { ...other, status: 'SUBMITTED', completed_utc_ms: null, processing_time_ms: null, metadata: '{"typingMs":5}' })]);
    const filled = await stack.query('select status, metadata from public.drill_sessions where id = $1', [other.id]);
    expect(filled).toEqual([{ status: 'COMPLETED', metadata: { typingMs: 5 } }]);
  });

  it("a learner reads only their own drill rows (and their children)", async () => {
    const { session, response, evaluation } = drillRows(learner.id);
    await push(learner.client, [item('drill_sessions', session), item('drill_responses', response), item('evaluation_results', evaluation)]);
    const other = await signedInUser(stack);
    for (const table of ['drill_sessions', 'drill_responses', 'evaluation_results']) {
      const seen = await other.client.from(table).select('id').eq('id', table === 'drill_sessions' ? session.id : table === 'drill_responses' ? response.id : evaluation.id);
      expect(seen.data, table).toEqual([]);
      const own = await learner.client.from(table).select('id').eq('id', table === 'drill_sessions' ? session.id : table === 'drill_responses' ? response.id : evaluation.id);
      expect(own.data, table).toHaveLength(1);
    }
    // Pushing into someone else's session is refused.
    const forged = item('drill_responses', { ...response, id: randomUUID() });
    const [answer] = await push(other.client, [forged]);
    expect(answer).toMatchObject({ status: 'rejected' });
  });
});
