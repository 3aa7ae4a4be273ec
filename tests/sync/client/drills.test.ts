/**
 * Drills through the real sync client and the local stack: the server's active drill pack comes down with the
 * content; drill sessions, responses (text only) and evaluations go up through the outbox and come back on another
 * device; a LOCKED account's drill rows stay on this device only; the entitlement is read from the server.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importPack } from '../../../electron/core/content/import';
import type { Sqlite } from '../../../electron/core/db/open';
import { entitlementLevel } from '../../../electron/core/drills/entitlement';
import { activeDrillPack, setDrillPackStatus } from '../../../electron/core/drills/packs';
import { currentLearnerId } from '../../../electron/core/learner/identity';
import { systemClock } from '../../../electron/core/ports';
import { createOutboxWriter } from '../../../electron/core/sync/outbox-writer';
import type { LocalRow } from '../../../electron/core/sync/registry';
import { createUser, type EntitlementLevel } from '../../../scripts/stack/stack';
import { ManualClock } from '../../helpers/clock';
import { buildPack, packText } from '../../content/pack-builder';
import { openClientDb, testService } from './helpers';
import { useStackWithProxy } from './stack-fixture';

const fixture = useStackWithProxy('sync-drills');
const CATEGORIES = ['Motivation', 'Teamwork', 'Conflict', 'Leadership', 'Failure', 'Ethics', 'Growth'];

/** Makes a drill pack the server's active one (as an editor would) and returns its id and question ids. */
async function activateServerPack(name: string): Promise<{ id: string; questionIds: string[] }> {
  const questionIds = CATEGORIES.map((c, i) => `${name}-q${i}`);
  const content = {
    version: '2.1.0',
    metadata: { title: `Interview drills ${name}`, description: 'From the server', categories: CATEGORIES },
    questions: questionIds.map((id, i) => ({
      id,
      category: CATEGORIES[i]!,
      prompt: `Tell me about ${CATEGORIES[i]!.toLowerCase()}.`,
      expected_duration_s: 90,
      evaluation_criteria: ['Names a result'],
    })),
  };
  await fixture.stack.query(`update public.content_packs set status = 'ARCHIVED' where status = 'ACTIVE'`);
  const rows = await fixture.stack.query<{ id: string }>(
    `insert into public.content_packs (version, name, description, content, status, file_size, checksum)
     values ('2.1.0', $1, 'Server drills', $2, 'ACTIVE', 4321, repeat('c', 64)) returning id`,
    [name, JSON.stringify(content)],
  );
  return { id: rows[0]!.id, questionIds };
}

async function signedInDevice(name: string, email: string) {
  const db = openClientDb(fixture.dir, `${name}.sqlite`);
  const service = testService({ dbFile: db.file, sqlite: db.sqlite });
  fixture.closeAfterTest({ service, sqlite: db.sqlite });
  await service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
  await service.signIn({ email, password: 'secret-pass' });
  return { ...db, service };
}

async function account(entitlement?: EntitlementLevel): Promise<{ id: string; email: string }> {
  const email = `drills-${randomUUID()}@example.test`;
  return createUser(fixture.stack, { email, password: 'secret-pass', ...(entitlement ? { entitlement } : {}) });
}

/** One completed drill, written and queued as the drills feature does: session, response (with a local audio file), evaluation. */
function recordCompletedDrill(sqlite: Sqlite, userId: string, questionId: string, nowMs: number) {
  const outbox = createOutboxWriter(sqlite);
  const session: LocalRow<'drill_sessions'> = {
    id: randomUUID(),
    user_id: userId,
    question_id: questionId,
    content_pack_version: '2.1.0',
    status: 'COMPLETED',
    started_utc_ms: nowMs,
    submitted_utc_ms: nowMs + 60_000,
    completed_utc_ms: nowMs + 60_400,
    processing_time_ms: 400,
    // Keys in an order Postgres's jsonb does not keep (it sorts them): the text that comes back differs.
    metadata: '{"typingMs":0,"mode":"spoken"}',
  };
  const response: LocalRow<'drill_responses'> = {
    id: randomUUID(),
    session_id: session.id,
    content: 'In my last rotation I led the handover and cut errors by 30 percent.',
    audio_duration_s: 58.5,
    word_count: 14,
    created_utc_ms: nowMs + 60_000,
  };
  const evaluation: LocalRow<'evaluation_results'> = {
    id: randomUUID(),
    session_id: session.id,
    response_id: response.id,
    duration_s: 58.5,
    words: 14,
    wpm: 14.4,
    overall_score: 71,
    categories: JSON.stringify(
      CATEGORIES.map((name) => ({ name, measure: 'structure', verdict: 'PASS', note: `${name} ok`, evidence: ['cut errors by 30 percent'] })),
    ),
    what_changed: JSON.stringify(['Slow down']),
    practice_rule: 'State the result first.',
    model_used: 'local-rules-1',
    processing_time_ms: 400,
    created_utc_ms: nowMs + 60_400,
  };
  sqlite.transaction(() => {
    sqlite
      .prepare(
        `INSERT INTO drill_sessions (id, user_id, question_id, content_pack_version, status, started_utc_ms, submitted_utc_ms, completed_utc_ms, processing_time_ms, metadata)
         VALUES (@id, @user_id, @question_id, @content_pack_version, @status, @started_utc_ms, @submitted_utc_ms, @completed_utc_ms, @processing_time_ms, @metadata)`,
      )
      .run(session);
    sqlite
      .prepare(
        `INSERT INTO drill_responses (id, session_id, content, audio_url, audio_duration_s, word_count, created_utc_ms)
         VALUES (@id, @session_id, @content, 'recordings/answer.webm', @audio_duration_s, @word_count, @created_utc_ms)`,
      )
      .run(response);
    sqlite
      .prepare(
        `INSERT INTO evaluation_results (id, session_id, response_id, duration_s, words, wpm, overall_score, categories, what_changed, practice_rule, model_used, processing_time_ms, created_utc_ms)
         VALUES (@id, @session_id, @response_id, @duration_s, @words, @wpm, @overall_score, @categories, @what_changed, @practice_rule, @model_used, @processing_time_ms, @created_utc_ms)`,
      )
      .run(evaluation);
    outbox.enqueue('drill_sessions', session, nowMs);
    outbox.enqueue('drill_responses', response, nowMs, userId);
    outbox.enqueue('evaluation_results', evaluation, nowMs, userId);
  })();
  return { session, response, evaluation };
}

describe('drills through the sync client', () => {
  it("the server's active drill pack comes down with the content and becomes this device's active pack", async () => {
    const server = await activateServerPack(`pull-${randomUUID().slice(0, 8)}`);
    const user = await account('BASIC');
    const db = openClientDb(fixture.dir, 'pull.sqlite');
    // A drill pack of this device's own, active before the server's arrives.
    const local = importPack(db.sqlite, packText(buildPack({ name: 'local-drills', prefix: 'localdrills', withDrillPack: true })), {
      mode: 'append',
      clock: new ManualClock(1_000),
    });
    setDrillPackStatus(db.sqlite, local.packId, 'ACTIVE');
    db.sqlite.close();
    const device = await signedInDevice('pull', user.email);

    const active = activeDrillPack(device.sqlite);
    expect(active).toMatchObject({ id: server.id, version: '2.1.0', title: expect.stringContaining('Interview drills'), categories: CATEGORIES });
    const questions = device.sqlite.prepare('SELECT id FROM drill_questions WHERE pack_id = ? ORDER BY id').pluck().all(server.id);
    expect(questions).toEqual([...server.questionIds].sort());
    expect(device.sqlite.prepare('SELECT status FROM content_packs WHERE id = ?').pluck().get(local.packId)).toBe('ARCHIVED');

    // Unchanged on the server: another run leaves this device's own choice alone.
    setDrillPackStatus(device.sqlite, local.packId, 'ACTIVE');
    await device.service.syncNow();
    expect(activeDrillPack(device.sqlite)?.id).toBe(local.packId);
  }, 60_000);

  it('a drill session, its text response and its evaluation reach another device of the same learner; audio stays local', async () => {
    const server = await activateServerPack(`trip-${randomUUID().slice(0, 8)}`);
    const user = await account('BASIC');
    const first = await signedInDevice('first', user.email);
    const learnerId = currentLearnerId(first.sqlite)!;
    expect(learnerId).toBe(user.id);
    const drill = recordCompletedDrill(first.sqlite, learnerId, server.questionIds[2]!, Date.now());
    const status = await first.service.syncNow();
    expect(status).toMatchObject({ pendingCount: 0, deadCount: 0, deviceOnlyCount: 0 });

    const onServer = await fixture.stack.query('select status, question_id, audio_url, content from public.drill_sessions s join public.drill_responses r on r.session_id = s.id where s.id = $1', [
      drill.session.id,
    ]);
    expect(onServer).toEqual([{ status: 'COMPLETED', question_id: server.questionIds[2], audio_url: null, content: drill.response.content }]);

    const second = await signedInDevice('second', user.email);
    const session = second.sqlite.prepare('SELECT * FROM drill_sessions WHERE id = ?').get(drill.session.id) as LocalRow<'drill_sessions'>;
    expect({ ...session, metadata: JSON.parse(session.metadata!) }).toEqual({ ...drill.session, metadata: JSON.parse(drill.session.metadata!) });
    const response = second.sqlite.prepare('SELECT * FROM drill_responses WHERE id = ?').get(drill.response.id);
    expect(response).toEqual({ ...drill.response, audio_url: null });
    const evaluation = second.sqlite.prepare('SELECT * FROM evaluation_results WHERE session_id = ?').get(drill.session.id) as Record<string, unknown>;
    expect({ ...evaluation, categories: JSON.parse(evaluation.categories as string), what_changed: JSON.parse(evaluation.what_changed as string) }).toEqual({
      ...drill.evaluation,
      categories: JSON.parse(drill.evaluation.categories),
      what_changed: JSON.parse(drill.evaluation.what_changed),
    });

    // The first device signs in again: its own (final) rows come back from the server and merge without changing.
    await first.service.signOut();
    const again = await first.service.signIn({ email: user.email, password: 'secret-pass' });
    expect(again.lastError).toBeNull();
    expect(first.sqlite.prepare('SELECT metadata FROM drill_sessions WHERE id = ?').pluck().get(drill.session.id)).toBe(drill.session.metadata);
  }, 60_000);

  it("a LOCKED account's drill rows stay on this device only, never dead letters, and go up once the account is granted a level", async () => {
    const server = await activateServerPack(`locked-${randomUUID().slice(0, 8)}`);
    const user = await account();
    const device = await signedInDevice('locked', user.email);
    const drill = recordCompletedDrill(device.sqlite, user.id, server.questionIds[0]!, Date.now());

    const status = await device.service.syncNow();
    expect(status).toMatchObject({ pendingCount: 0, deadCount: 0, deviceOnlyCount: 3, lastError: null });
    const kept = device.sqlite
      .prepare('SELECT table_name, row_id, last_error FROM outbox WHERE device_only_utc_ms IS NOT NULL ORDER BY table_name')
      .all();
    expect(kept).toEqual([
      { table_name: 'drill_responses', row_id: drill.response.id, last_error: 'locked' },
      { table_name: 'drill_sessions', row_id: drill.session.id, last_error: 'locked' },
      { table_name: 'evaluation_results', row_id: drill.evaluation.id, last_error: 'locked' },
    ]);
    expect(device.service.deadLetters()).toEqual([]);
    expect(await fixture.stack.query('select id from public.drill_sessions where user_id = $1', [user.id])).toEqual([]);
    // The rows themselves are still on this device.
    expect(device.sqlite.prepare('SELECT status FROM drill_sessions WHERE id = ?').pluck().get(drill.session.id)).toBe('COMPLETED');

    // Granted later: the next read of the level queues them again, and they go up.
    await fixture.stack.query(`update public.users set entitlement_level = 'BASIC' where id = $1`, [user.id]);
    const requeued: number[] = [];
    const level = await entitlementLevel({
      sqlite: device.sqlite,
      clock: systemClock,
      server: () => device.service.learnerServer(),
      onRequeued: (count) => requeued.push(count),
    });
    expect(level).toMatchObject({ level: 'BASIC', source: 'server' });
    expect(requeued).toEqual([3]);
    expect(await device.service.syncNow()).toMatchObject({ pendingCount: 0, deadCount: 0, deviceOnlyCount: 0 });
    expect(await fixture.stack.query('select status from public.drill_sessions where id = $1', [drill.session.id])).toEqual([{ status: 'COMPLETED' }]);
  }, 60_000);

  it('reads the entitlement from the server for the signed-in learner, and BASIC once signed out', async () => {
    const user = await account();
    const device = await signedInDevice('entitled', user.email);
    const options = { sqlite: device.sqlite, clock: systemClock, server: () => device.service.learnerServer() };
    expect(await entitlementLevel(options)).toMatchObject({ level: 'LOCKED', source: 'server' });

    await fixture.stack.query(`update public.users set entitlement_level = 'PRO' where id = $1`, [user.id]);
    // Within the hour the cached level stands; a later clock reads the server again.
    expect(await entitlementLevel(options)).toMatchObject({ level: 'LOCKED', source: 'cache' });
    const later = { now: () => Date.now() + 61 * 60 * 1000 };
    expect(await entitlementLevel({ ...options, clock: later })).toMatchObject({ level: 'PRO', source: 'server' });

    await device.service.signOut();
    expect(await entitlementLevel(options)).toEqual({ level: 'BASIC', source: 'no-account', checkedUtcMs: null });
  }, 60_000);
});
