/** Offline → online against the real local stack: queued attempts arrive exactly once, content arrives, deletions are pruned. */
import { describe, expect, it } from 'vitest';
import { createUser } from '../../../scripts/stack/stack';
import { openClientDb, pendingOutbox, recordAttempts, seedServerContent, serverAttempts, testService } from './helpers';
import { useStackWithProxy } from './stack-fixture';

const fixture = useStackWithProxy('sync-offline');
let clients = 0;

/** Each test has its own device and learner, so the tests run alone or in any order. */
function device() {
  const db = openClientDb(fixture.dir, `offline${++clients}.sqlite`);
  const service = testService({ dbFile: db.file, sqlite: db.sqlite });
  fixture.closeAfterTest({ service, sqlite: db.sqlite });
  return { service, sqlite: db.sqlite };
}

describe('offline → online', () => {
  it('keeps attempts recorded offline and delivers each exactly once when the server is back', async () => {
    const { service, sqlite } = device();
    const email = 'offline@example.test';
    const user = await createUser(fixture.stack, { email, password: 'secret-pass' });
    // Studied before ever signing in: recorded under the local learner id.
    recordAttempts(sqlite, 30);
    const localId = sqlite.prepare(`SELECT value FROM sync_state WHERE key = 'learner_id'`).pluck().get() as string;
    expect(localId).not.toBe(user.id);
    await service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    const signedIn = await service.signIn({ email, password: 'secret-pass' });
    expect(signedIn).toMatchObject({ signedInEmail: email, pendingCount: 0, deadCount: 0 });
    // Sign-in made the server's id the learner's, in local rows and queued snapshots alike.
    expect(sqlite.prepare('SELECT DISTINCT user_id FROM attempts').pluck().all()).toEqual([user.id]);
    expect(sqlite.prepare(`SELECT DISTINCT json_extract(payload, '$.user_id') FROM outbox`).pluck().all()).toEqual([user.id]);
    expect((await serverAttempts(fixture.stack, user.id)).size).toBe(30);

    await fixture.proxy.setFault({ fault: { mode: 'down' } });
    recordAttempts(sqlite, 120);
    const offline = await service.syncNow();
    expect({ state: offline.state, lastError: offline.lastError }).toEqual({ state: 'offline', lastError: expect.stringContaining('Cannot reach') });
    // Everything recorded while offline is still queued: attempts, progress, profile and session snapshots.
    expect(offline.pendingCount).toBe(pendingOutbox(sqlite));
    expect(offline.pendingCount).toBeGreaterThanOrEqual(3 * 120);
    expect((await serverAttempts(fixture.stack, user.id)).size).toBe(30);

    await fixture.proxy.setFault({ fault: { mode: 'pass' } });
    const online = await service.syncNow();
    expect(online.state).toBe('idle');
    expect(online.pendingCount).toBe(0);
    expect(online.deadCount).toBe(0);
    const local = sqlite.prepare('SELECT id FROM attempts').pluck().all() as string[];
    const server = await serverAttempts(fixture.stack, user.id);
    expect(server.size).toBe(local.length);
    for (const id of local) expect(server.get(id)).toBe(1);
  }, 60_000);

  it('downloads content published on the server and prunes what the server deleted', async () => {
    const { service, sqlite } = device();
    await service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    // Counted against what the server has, whatever other tests published there.
    const serverCount = async (table: string) =>
      Number((await fixture.stack.query<{ n: string }>(`select count(*)::text as n from public.${table}`))[0]!.n);
    const localServerRows = (table: string) =>
      sqlite.prepare(`SELECT count(*) FROM ${table} WHERE origin = 'server'`).pluck().get() as number;
    const [questionsBefore, skillsBefore] = [await serverCount('questions'), await serverCount('skills')];
    await seedServerContent(fixture.stack, { domains: 2, skillsPerDomain: 3, questionsPerSkill: 4, prefix: 'pruned' });
    const updates: number[] = [];
    const off = service.onContentUpdated((e) => updates.push(e.questionCount));
    let status = await service.syncNow();
    expect(status.lastError).toBeNull();
    expect(localServerRows('questions')).toBe(questionsBefore + 24);
    expect(localServerRows('skills')).toBe(skillsBefore + 6);
    expect(updates).toEqual([questionsBefore + 24]);
    expect(status.contentOutdated).toBe(false);

    const [victim] = await fixture.stack.query<{ id: string }>(
      `select s.id::text as id from public.skills s join public.domains d on d.id = s.domain_id
        where d.slug like 'pruned_%' and s.slug = 'skill_2' order by s.id limit 1`,
    );
    await fixture.stack.query('delete from public.skills where id = $1', [victim!.id]);
    await fixture.stack.query(
      `delete from public.questions q using public.skills s, public.domains d
        where q.skill_id = s.id and s.domain_id = d.id and d.slug like 'pruned_%' and q.slug = 'q_1'`,
    );
    status = await service.syncNow();
    expect(status.lastError).toBeNull();
    expect(sqlite.prepare('SELECT count(*) FROM skills WHERE id = ?').pluck().get(victim!.id)).toBe(0);
    expect(localServerRows('questions')).toBe(await serverCount('questions'));
    expect(localServerRows('skills')).toBe(await serverCount('skills'));
    expect(pendingOutbox(sqlite)).toBe(0);
    off();
  }, 60_000);
});
