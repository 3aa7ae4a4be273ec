/** Push and pull through a fault-injecting proxy: whatever the network does, nothing is lost or duplicated, and the queue drains. */
import { describe, expect, it } from 'vitest';
import type { Sqlite } from '../../../electron/core/db/open';
import { uuidv7 } from '../../../electron/core/ids';
import type { SyncService } from '../../../electron/core/sync/service';
import type { PushSettings } from '../../../electron/core/sync/push';
import { createUser } from '../../../scripts/stack/stack';
import {
  openClientDb,
  pendingOutbox,
  recordAttempts,
  serverAttempts,
  seedServerContent,
  serverReceiptCount,
  testService,
  waitFor,
} from './helpers';
import { useStackWithProxy } from './stack-fixture';

const fixture = useStackWithProxy('sync-faults');
let userCount = 0;

/** A signed-in client on a fresh database, talking to the server through the proxy. */
async function signedInClient(push: Partial<PushSettings> = {}) {
  const name = `c${++userCount}`;
  const db = openClientDb(fixture.dir, `${name}.sqlite`);
  const email = `${name}@example.test`;
  const user = await createUser(fixture.stack, { email, password: 'secret-pass' });
  const service = testService({ dbFile: db.file, sqlite: db.sqlite, push });
  fixture.closeAfterTest({ service, sqlite: db.sqlite });
  await service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
  await service.signIn({ email, password: 'secret-pass' });
  return { service, sqlite: db.sqlite, userId: user.id };
}

/** Every local attempt is on the server exactly once, and every outbox row was received exactly once. */
async function expectExactlyOnce(sqlite: Sqlite, userId: string): Promise<void> {
  const local = sqlite.prepare('SELECT id FROM attempts').pluck().all() as string[];
  const server = await serverAttempts(fixture.stack, userId);
  expect(server.size).toBe(local.length);
  for (const id of local) expect(server.get(id)).toBe(1);
  const outboxRows = sqlite.prepare('SELECT count(*) FROM outbox WHERE processed = 1 AND dead_utc_ms IS NULL').pluck().get();
  expect(await serverReceiptCount(fixture.stack, userId)).toBe(outboxRows);
  expect(pendingOutbox(sqlite)).toBe(0);
}

/** Runs "Sync now" until the queue is empty (bounded). */
async function drain(service: SyncService, sqlite: Sqlite, maxRuns = 40): Promise<void> {
  for (let i = 0; i < maxRuns && pendingOutbox(sqlite) > 0; i++) await service.syncNow();
  expect(pendingOutbox(sqlite)).toBe(0);
}

describe('push through faults', () => {
  it('retries a batch whose answer was lost after the server applied it, without duplicates', async () => {
    const { service, sqlite, userId } = await signedInClient();
    recordAttempts(sqlite, 150);
    await fixture.proxy.setFault({ fault: { mode: 'drop-after-forward' }, pathIncludes: 'sync_push', times: 2 });
    const first = await service.syncNow();
    expect(first.state).toBe('error');
    expect(first.pendingCount).toBeGreaterThan(0);
    await drain(service, sqlite);
    expect(fixture.proxy.log.filter((e) => e.outcome === 'dropped')).toHaveLength(2);
    const duplicates = await fixture.stack.query<{ n: string }>(
      'select count(*)::text as n from public.sync_receipts where user_id = $1',
      [userId],
    );
    // One receipt per outbox row, however many times a batch was sent.
    expect(Number(duplicates[0]!.n)).toBe(sqlite.prepare('SELECT count(*) FROM outbox').pluck().get());
    await expectExactlyOnce(sqlite, userId);
    expect(service.status().deadCount).toBe(0);
  }, 60_000);

  for (const status of [500, 503]) {
    it(`backs off on HTTP ${status} and drains once the server recovers`, async () => {
      const { service, sqlite, userId } = await signedInClient();
      recordAttempts(sqlite, 80);
      await fixture.proxy.setFault({ fault: { mode: 'status', status }, pathIncludes: 'sync_push', times: 3 });
      const first = await service.syncNow();
      expect(first.state).toBe('error');
      expect(first.lastError).toContain(String(status));
      const head = sqlite.prepare('SELECT attempt_count, next_attempt_utc_ms FROM outbox ORDER BY ts_utc_ms LIMIT 1').get() as {
        attempt_count: number;
        next_attempt_utc_ms: number;
      };
      expect(head.attempt_count).toBe(1);
      expect(head.next_attempt_utc_ms).toBeGreaterThan(Date.now() - 1000);
      // The retry timer, not the test, drives the recovery.
      await waitFor('the queue to drain', () => pendingOutbox(sqlite) === 0);
      await expectExactlyOnce(sqlite, userId);
    }, 60_000);
  }

  it('treats a push answer in the wrong shape as a clear error, loses nothing, and drains once the server answers properly', async () => {
    const { service, sqlite, userId } = await signedInClient();
    recordAttempts(sqlite, 12);
    const queued = pendingOutbox(sqlite);
    await fixture.proxy.setFault({ fault: { mode: 'body', body: '{"not":"a list of answers"}' }, pathIncludes: 'sync_push', times: 1 });
    const failed = await service.syncNow();
    expect(failed.state).toBe('error');
    expect(failed.lastError).toMatch(/sync_push answered in an unexpected shape/);
    expect(pendingOutbox(sqlite)).toBe(queued);
    expect(failed.deadCount).toBe(0);

    await service.syncNow();
    await waitFor('the queue to drain', () => pendingOutbox(sqlite) === 0);
    await expectExactlyOnce(sqlite, userId);
  }, 60_000);

  it('pulls from a server without the newest migration (pull_content_changes unknown) through pull_content_page', async () => {
    const { service, sqlite } = await signedInClient();
    await seedServerContent(fixture.stack, { domains: 1, skillsPerDomain: 2, questionsPerSkill: 3, prefix: 'older_server' });
    const serverQuestions = Number((await fixture.stack.query<{ n: string }>('select count(*) as n from public.questions'))[0]!.n);
    // PostgREST's answer for a function it does not have (the server test pins it): 404.
    await fixture.proxy.setFault({ fault: { mode: 'status', status: 404 }, pathIncludes: 'pull_content_changes' });
    const asked = () => fixture.proxy.log.filter((entry) => entry.path.includes('pull_content_changes')).length;
    const askedBefore = asked();
    const status = await service.syncNow();
    expect(status.lastError).toBeNull();
    expect(status.state).not.toBe('error');
    expect(sqlite.prepare("SELECT COUNT(*) FROM questions WHERE origin = 'server'").pluck().get()).toBe(serverQuestions);
    // Asked once; every page after that from pull_content_page.
    expect(asked() - askedBefore).toBe(1);
  }, 60_000);

  it("treats an older server's page in the wrong shape as a clear error and keeps the local library as it was", async () => {
    const db = openClientDb(fixture.dir, `older-shape-${++userCount}.sqlite`);
    // An older server: no pull_content_changes (PostgREST's 404), and a pull_content_page that answers nonsense.
    const olderServer: typeof fetch = async (input, init) => {
      const url = String(input);
      if (url.includes('pull_content_changes')) return Response.json({ code: 'PGRST202', message: 'Could not find the function' }, { status: 404 });
      if (url.includes('pull_content_page')) return Response.json({ changes: [], held_back: 'maybe' });
      return fetch(input, init);
    };
    const service = testService({ dbFile: db.file, sqlite: db.sqlite, overrides: { fetch: olderServer } });
    fixture.closeAfterTest({ service, sqlite: db.sqlite });
    const before = db.sqlite.prepare('SELECT COUNT(*) FROM questions').pluck().get();
    const status = await service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    expect(status.state).toBe('error');
    expect(status.lastError).toMatch(/pull_content_page answered in an unexpected shape: held_back is not a boolean/);
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM questions').pluck().get()).toBe(before);
  }, 60_000);

  it('treats a content page in the wrong shape as a clear error and keeps the local library as it was', async () => {
    const { service, sqlite } = await signedInClient();
    await seedServerContent(fixture.stack, { domains: 1, skillsPerDomain: 2, questionsPerSkill: 3, prefix: 'shape_a' });
    await service.syncNow();
    const library = () => sqlite.prepare('SELECT COUNT(*) FROM questions').pluck().get() as number;
    const before = library();
    expect(before).toBeGreaterThanOrEqual(6);
    await seedServerContent(fixture.stack, { domains: 1, skillsPerDomain: 1, questionsPerSkill: 2, prefix: 'shape_b' });
    const cursor = () => sqlite.prepare("SELECT value FROM sync_state WHERE key = 'content_cursor'").pluck().get();
    const cursorBefore = cursor();
    const wrongShapes: Array<{ body: string; headers: Record<string, string>; says: RegExp }> = [
      { body: JSON.stringify([['question', '1', 42, null]]), headers: { 'X-Content-Held-Back': 'false' }, says: /change 0 has no change_xid or id/ },
      { body: JSON.stringify({ changes: [], held_back: false }), headers: { 'X-Content-Held-Back': 'false' }, says: /not an array of changes/ },
      { body: '[]', headers: {}, says: /its x-content-held-back header is missing, not true or false/ },
    ];
    for (const wrong of wrongShapes) {
      await fixture.proxy.setFault({ fault: { mode: 'body', body: wrong.body, headers: wrong.headers }, pathIncludes: 'pull_content_changes', times: 1 });
      const failed = await service.syncNow();
      expect(failed.state).toBe('error');
      expect(failed.lastError).toMatch(/pull_content_changes answered in an unexpected shape: /);
      expect(failed.lastError).toMatch(wrong.says);
      expect(library()).toBe(before);
      expect(cursor()).toBe(cursorBefore);
    }

    await service.syncNow();
    expect(library()).toBe(before + 2);
  }, 60_000);

  it('sets rows aside after the retry budget is spent, and a retry from the dead letters delivers them', async () => {
    const { service, sqlite, userId } = await signedInClient({ maxAttempts: 3, maxBatchCount: 100 });
    recordAttempts(sqlite, 9);
    await fixture.proxy.setFault({ fault: { mode: 'status', status: 500 }, pathIncludes: 'sync_push' });
    const queued = pendingOutbox(sqlite);
    for (let i = 0; i < 3; i++) await service.syncNow();
    const status = service.status();
    expect(status).toMatchObject({ pendingCount: 0, deadCount: queued });
    expect(service.deadLetters().every((d) => d.attemptCount === 3 && d.lastError!.includes('HTTP 500'))).toBe(true);

    await fixture.proxy.setFault({ fault: { mode: 'pass' } });
    service.retryDead(service.deadLetters().map((d) => d.id));
    await waitFor('the revived rows to be delivered', () => service.status().pendingCount === 0 && service.status().deadCount === 0);
    await expectExactlyOnce(sqlite, userId);
  }, 60_000);

  it('honours Retry-After on 429 and then drains by itself', async () => {
    const { service, sqlite, userId } = await signedInClient();
    recordAttempts(sqlite, 40);
    fixture.proxy.log.length = 0;
    await fixture.proxy.setFault({ fault: { mode: 'status', status: 429, retryAfterSeconds: 1 }, pathIncludes: 'sync_push', times: 1 });
    const first = await service.syncNow();
    expect(first.lastError).toContain('429');
    await waitFor('the queue to drain', () => pendingOutbox(sqlite) === 0);
    const pushes = fixture.proxy.log.filter((e) => e.path.includes('sync_push'));
    expect(pushes[0]!.outcome).toBe(429);
    expect(pushes[1]!.outcome).toBe(200);
    expect(pushes[1]!.atMs - pushes[0]!.atMs).toBeGreaterThanOrEqual(950);
    // Rate limiting says nothing against the rows: no attempt was counted.
    expect(sqlite.prepare('SELECT max(attempt_count) FROM outbox').pluck().get()).toBe(0);
    await expectExactlyOnce(sqlite, userId);
  }, 60_000);

  it('gives up on a stalled request at the timeout and retries it', async () => {
    const { service, sqlite, userId } = await signedInClient({ timeoutMs: 800 });
    recordAttempts(sqlite, 30);
    await fixture.proxy.setFault({ fault: { mode: 'stall' }, pathIncludes: 'sync_push', times: 1 });
    const started = Date.now();
    const first = await service.syncNow();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(first.lastError).toContain('No answer within 800 ms');
    await drain(service, sqlite);
    await expectExactlyOnce(sqlite, userId);
  }, 60_000);

  it('sets a rejected row aside in the dead letters and syncs the rest', async () => {
    const { service, sqlite, userId } = await signedInClient();
    recordAttempts(sqlite, 20);
    // A row claiming another learner (the server refuses it) and a row whose snapshot is not even JSON.
    const stranger = { ...JSON.parse(sqlite.prepare(`SELECT payload FROM outbox WHERE table_name = 'attempts' LIMIT 1`).pluck().get() as string) };
    const poisonId = uuidv7(Date.now() + 5);
    const strangerRowId = uuidv7(Date.now() + 6);
    sqlite
      .prepare('INSERT INTO outbox (id, table_name, row_id, payload, ts_utc_ms) VALUES (?, ?, ?, ?, ?)')
      .run(poisonId, 'attempts', strangerRowId, JSON.stringify({ ...stranger, id: strangerRowId, user_id: '00000000-0000-4000-8000-0000000000aa' }), Date.now() + 5);
    const brokenId = uuidv7(Date.now() + 7);
    sqlite
      .prepare('INSERT INTO outbox (id, table_name, row_id, payload, ts_utc_ms) VALUES (?, ?, ?, ?, ?)')
      .run(brokenId, 'attempts', uuidv7(), '{"id": oops', Date.now() + 7);
    recordAttempts(sqlite, 20, { startMs: Date.now() + 100 });

    const status = await service.syncNow();
    expect(status.pendingCount).toBe(0);
    expect(status.deadCount).toBe(2);
    const dead = service.deadLetters();
    expect(dead.map((d) => d.id).sort()).toEqual([poisonId, brokenId].sort());
    expect(dead.find((d) => d.id === poisonId)!.lastError).toContain('user_id does not match');
    expect(dead.find((d) => d.id === brokenId)!.lastError).toMatch(/HTTP 400/);
    const server = await serverAttempts(fixture.stack, userId);
    expect(server.size).toBe(40);

    service.discardDead([poisonId]);
    service.retryDead([brokenId]);
    const after = await service.syncNow();
    expect(after.deadCount).toBe(1);
    expect(service.deadLetters().map((d) => d.id)).toEqual([brokenId]);
  }, 60_000);

  it('treats a learner-data row in the wrong shape at sign-in as a clear error and keeps the local history', async () => {
    const name = `c${++userCount}`;
    const db = openClientDb(fixture.dir, `${name}.sqlite`);
    const email = `${name}@example.test`;
    await createUser(fixture.stack, { email, password: 'secret-pass' });
    const service = testService({ dbFile: db.file, sqlite: db.sqlite });
    fixture.closeAfterTest({ service, sqlite: db.sqlite });
    recordAttempts(db.sqlite, 3);
    const history = () => db.sqlite.prepare('SELECT (SELECT count(*) FROM sessions) || \'/\' || (SELECT count(*) FROM attempts)').pluck().get();
    const before = history();
    await service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    // The learner pull reads /rest/v1/sessions?…; the push goes to /rpc/sync_push and is untouched.
    await fixture.proxy.setFault({ fault: { mode: 'body', body: '[{"id":"not-a-uuid","mode":"practice"}]' }, pathIncludes: '/rest/v1/sessions?', times: 1 });
    const status = await service.signIn({ email, password: 'secret-pass' });
    expect(status.signedInEmail).toBe(email);
    expect(status.lastError).toMatch(/The server sent a sessions row this device cannot store/);
    expect(history()).toBe(before);
    expect(pendingOutbox(db.sqlite)).toBe(0);
  }, 60_000);
});

describe('server restarts and tokens', () => {
  it('survives the whole server stopping mid-push and coming back', async () => {
    const { service, sqlite, userId } = await signedInClient({ maxBatchCount: 10 });
    recordAttempts(sqlite, 300);
    const queued = pendingOutbox(sqlite);
    await fixture.proxy.setFault({ fault: { mode: 'delay', ms: 20 }, pathIncludes: 'sync_push' });
    const running = service.syncNow();
    await waitFor('some rows to be delivered', () => pendingOutbox(sqlite) < queued - 10);
    await fixture.stack.halt();
    const during = await running;
    expect(['offline', 'error']).toContain(during.state);
    expect(during.pendingCount).toBeGreaterThan(0);
    await fixture.stack.start();
    await waitFor('the queue to drain after the restart', () => pendingOutbox(sqlite) === 0, 30_000);
    await expectExactlyOnce(sqlite, userId);
  }, 120_000);
});
