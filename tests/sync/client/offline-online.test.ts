/** Offline → online against the real local stack: queued attempts arrive exactly once, content arrives, deletions are pruned. */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncService } from '../../../electron/core/sync/service';
import { createUser, type Stack } from '../../../scripts/stack/stack';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import {
  openClientDb,
  pendingOutbox,
  recordAttempts,
  seedServerContent,
  serverAttempts,
  startTestStack,
  tempDir,
  testService,
} from './helpers';
import type { Sqlite } from '../../../electron/core/db/open';

let stack: Stack;
let proxy: FaultProxy;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  proxy = await startFaultProxy(stack.url);
  dir = tempDir('sync-offline');
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('offline → online', () => {
  let service: SyncService;
  let sqlite: Sqlite;

  it('keeps attempts recorded offline and delivers each exactly once when the server is back', async () => {
    const db = openClientDb(dir);
    sqlite = db.sqlite;
    const email = 'offline@example.test';
    const user = await createUser(stack, { email, password: 'secret-pass' });
    service = testService({ dbFile: db.file, sqlite });
    // Studied before ever signing in: recorded under the local learner id.
    recordAttempts(sqlite, 30);
    const localId = sqlite.prepare(`SELECT value FROM sync_state WHERE key = 'learner_id'`).pluck().get() as string;
    expect(localId).not.toBe(user.id);
    await service.configure({ url: proxy.url, anonKey: stack.anonKey });
    const signedIn = await service.signIn({ email, password: 'secret-pass' });
    expect(signedIn).toMatchObject({ signedInEmail: email, pendingCount: 0, deadCount: 0 });
    // Sign-in made the server's id the learner's, in local rows and queued snapshots alike.
    expect(sqlite.prepare('SELECT DISTINCT user_id FROM attempts').pluck().all()).toEqual([user.id]);
    expect(sqlite.prepare(`SELECT DISTINCT json_extract(payload, '$.user_id') FROM outbox`).pluck().all()).toEqual([user.id]);
    expect((await serverAttempts(stack, user.id)).size).toBe(30);

    await proxy.setFault({ fault: { mode: 'down' } });
    recordAttempts(sqlite, 120);
    const offline = await service.syncNow();
    expect({ state: offline.state, lastError: offline.lastError }).toEqual({ state: 'offline', lastError: expect.stringContaining('Cannot reach') });
    // Everything recorded while offline is still queued: attempts, progress, profile and session snapshots.
    expect(offline.pendingCount).toBe(pendingOutbox(sqlite));
    expect(offline.pendingCount).toBeGreaterThanOrEqual(3 * 120);
    expect((await serverAttempts(stack, user.id)).size).toBe(30);

    await proxy.setFault({ fault: { mode: 'pass' } });
    const online = await service.syncNow();
    expect(online.state).toBe('idle');
    expect(online.pendingCount).toBe(0);
    expect(online.deadCount).toBe(0);
    const local = sqlite.prepare('SELECT id FROM attempts').pluck().all() as string[];
    const server = await serverAttempts(stack, user.id);
    expect(server.size).toBe(local.length);
    for (const id of local) expect(server.get(id)).toBe(1);
  }, 60_000);

  it('downloads content published on the server and prunes what the server deleted', async () => {
    await seedServerContent(stack, { domains: 2, skillsPerDomain: 3, questionsPerSkill: 4 });
    const updates: number[] = [];
    const off = service.onContentUpdated((e) => updates.push(e.questionCount));
    let status = await service.syncNow();
    expect(status.lastError).toBeNull();
    // The practice pack the learner studied offline stays beside the server's content.
    const packQuestions = sqlite.prepare(`SELECT count(*) FROM questions WHERE origin = 'pack'`).pluck().get() as number;
    expect(sqlite.prepare(`SELECT count(*) FROM questions WHERE origin = 'server'`).pluck().get()).toBe(24);
    expect(sqlite.prepare(`SELECT count(*) FROM skills WHERE origin = 'server'`).pluck().get()).toBe(6);
    expect(updates).toEqual([24 + packQuestions]);
    expect(status.contentOutdated).toBe(false);

    const [victim] = await stack.query<{ id: string }>(`select id::text as id from public.skills where slug = 'skill_2' order by id limit 1`);
    await stack.query('delete from public.skills where id = $1', [victim!.id]);
    await stack.query(`delete from public.questions where slug = 'q_1'`);
    status = await service.syncNow();
    expect(status.lastError).toBeNull();
    expect(sqlite.prepare('SELECT count(*) FROM skills WHERE id = ?').pluck().get(victim!.id)).toBe(0);
    const serverCount = await stack.query<{ n: string }>('select count(*)::text as n from public.questions');
    expect(sqlite.prepare(`SELECT count(*) FROM questions WHERE origin = 'server'`).pluck().get()).toBe(Number(serverCount[0]!.n));
    expect(sqlite.prepare(`SELECT count(*) FROM questions WHERE slug = 'q_1'`).pluck().get()).toBe(0);
    expect(pendingOutbox(sqlite)).toBe(0);
    off();
    await service.close();
    sqlite.close();
  }, 60_000);
});
