/**
 * Practice on content the server never published (a local pack, the built-in sample) is answered `unknown_content`:
 * those rows stay on this device, counted as such, and are never dead letters or failures.
 */
import { describe, expect, it } from 'vitest';
import { importPack } from '../../../electron/core/content/import';
import { createPractice } from '../../../electron/core/practice/practice';
import { createUser } from '../../../scripts/stack/stack';
import { ManualClock } from '../../helpers/clock';
import { buildPack, testUuid } from '../../content/pack-builder';
import { openClientDb, pendingOutbox, recordAttempts, serverAttempts, testService } from './helpers';
import { useStackWithProxy } from './stack-fixture';

const fixture = useStackWithProxy('sync-device-only');

describe('content the server never published', () => {
  it('keeps its rows on this device only, apart from failures, and syncs the rest', async () => {
    const db = openClientDb(fixture.dir);
    const email = 'device-only@example.test';
    const user = await createUser(fixture.stack, { email, password: 'secret-pass' });
    const service = testService({ dbFile: db.file, sqlite: db.sqlite });
    fixture.closeAfterTest({ service, sqlite: db.sqlite });
    await service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    await service.signIn({ email, password: 'secret-pass' });

    // A local pack the server does not have, practised between answers on the published practice pack.
    const clock = new ManualClock(Date.now());
    const local = buildPack({ name: 'my-own-notes', prefix: 'devonly', domains: 1, skillsPerDomain: 1, questionsPerSkill: 4 });
    importPack(db.sqlite, Buffer.from(JSON.stringify(local)), { mode: 'append', clock });
    const published = recordAttempts(db.sqlite, 3, { startMs: clock.now() });
    const practice = createPractice(db.sqlite, { clock, timeZone: () => 'UTC' });
    const session = practice.startSession(testUuid('devonly-d0-s0'), 'practice');
    const localAttempts: string[] = [];
    for (let next = practice.nextQuestion(session.id).question; next; next = practice.nextQuestion(session.id).question) {
      clock.advance(1000);
      const answer = next.type === 'mcq_single' ? { choice: 0 } : { order: next.initialOrder };
      localAttempts.push(practice.recordAttempt(session.id, next.id, answer).attemptId);
    }
    practice.endSession(session.id);
    recordAttempts(db.sqlite, 2, { startMs: clock.now() + 10_000 });

    const status = await service.syncNow();
    expect(status).toMatchObject({ pendingCount: 0, deadCount: 0, lastError: null });
    const kept = db.sqlite
      .prepare(`SELECT table_name, row_id, last_error FROM outbox WHERE device_only_utc_ms IS NOT NULL ORDER BY ts_utc_ms`)
      .all() as Array<{ table_name: string; row_id: string; last_error: string }>;
    expect(status.deviceOnlyCount).toBe(kept.length);
    // The local session, its answers, the local skill's progress (and the questions' memory states where practice
    // keeps them); the profile (XP) is the learner's own and goes up.
    const keptTables = [...new Set(kept.map((r) => r.table_name))].sort();
    expect(keptTables).toEqual(expect.arrayContaining(['attempts', 'sessions', 'skill_progress']));
    expect(keptTables.every((t) => ['attempts', 'memory_states', 'sessions', 'skill_progress'].includes(t))).toBe(true);
    expect(kept.filter((r) => r.table_name === 'attempts').map((r) => r.row_id).sort()).toEqual([...localAttempts].sort());
    expect(kept.every((r) => r.last_error === 'unknown_content')).toBe(true);
    expect(service.deadLetters()).toEqual([]);

    const onServer = await serverAttempts(fixture.stack, user.id);
    expect(onServer.size).toBe(5);
    for (const id of published) expect(onServer.get(id)).toBe(1);
    for (const id of localAttempts) expect(onServer.has(id)).toBe(false);

    // Another run sends nothing again: the kept rows are not pending.
    await service.syncNow();
    expect(pendingOutbox(db.sqlite)).toBe(0);
    expect(service.status().deviceOnlyCount).toBe(kept.length);
  }, 60_000);
});
