/** The sync service against the real local stack: each trigger reaches the scheduler, "syncing" shows as a run starts, close() is bounded. */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { ContentWatchOptions } from '../../../electron/core/sync/realtime';
import type { SyncServiceOptions } from '../../../electron/core/sync/service';
import { createUser } from '../../../scripts/stack/stack';
import type { SyncStatus } from '../../../shared/ipc/contract';
import { openClientDb, pendingOutbox, recordAttempts, seedServerContent, serverAttempts, testService, waitFor } from './helpers';
import { useStackWithProxy } from './stack-fixture';

const fixture = useStackWithProxy('sync-service');
let clients = 0;

/** A signed-in client whose only triggers are the ones a test fires: no timer, no watchdog, no Realtime. */
async function quietClient(overrides: Partial<SyncServiceOptions> = {}) {
  const name = `svc${++clients}`;
  const db = openClientDb(fixture.dir, `${name}.sqlite`);
  const email = `${name}@example.test`;
  const user = await createUser(fixture.stack, { email, password: 'secret-pass' });
  const service = testService({
    dbFile: db.file,
    sqlite: db.sqlite,
    overrides: { timerIntervalMs: 3_600_000, watchdogIntervalMs: 3_600_000, realtime: false, ...overrides },
  });
  fixture.closeAfterTest({ service, sqlite: db.sqlite });
  await service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
  await service.signIn({ email, password: 'secret-pass' });
  const runs: number[] = [];
  service.onStatus((status) => {
    if (status.state === 'syncing') runs.push(Date.now());
  });
  return { service, sqlite: db.sqlite, db, userId: user.id, runs };
}

describe('triggers', () => {
  it('pushes a learner write within a second of it, with no other trigger', async () => {
    const { service, sqlite, userId } = await quietClient();
    const [id] = recordAttempts(sqlite, 1);
    const wroteAt = Date.now();
    service.trigger('write');
    // A burst of writes does not push the run back: it still comes within the second.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 100));
      recordAttempts(sqlite, 1);
      service.trigger('write');
    }
    await waitFor('the write on the server', async () => (await serverAttempts(fixture.stack, userId)).has(id!), 3_000);
    expect(Date.now() - wroteAt).toBeLessThan(1_500);
    await waitFor('the queue to drain', () => pendingOutbox(sqlite) === 0, 3_000);
  }, 60_000);

  it('does not knock on the server for each write while offline', async () => {
    // Retries ten minutes apart: any run within the test's second would be the write's.
    const { service, sqlite, runs } = await quietClient({
      engine: { push: { maxBatchCount: 50, maxBatchBytes: 1_000_000, timeoutMs: 5_000, maxAttempts: 50, backoff: { baseMs: 600_000, capMs: 600_000, maxRetryAfterMs: 600_000 } } },
    });
    await fixture.proxy.setFault({ fault: { mode: 'down' } });
    await service.syncNow();
    expect(service.status().state).toBe('offline');
    const before = runs.length;
    recordAttempts(sqlite, 1);
    service.trigger('write');
    await new Promise((r) => setTimeout(r, 1_300));
    expect(runs.length).toBe(before);
  }, 60_000);

  it('runs on the timer', async () => {
    const { runs } = await quietClient({ timerIntervalMs: 300 });
    const before = runs.length;
    await waitFor('two timer runs', () => runs.length >= before + 2, 3_000);
  }, 60_000);

  it('runs on a Realtime notice', async () => {
    let watch: ContentWatchOptions | null = null;
    const { service, sqlite, runs } = await quietClient({
      realtime: true,
      watchContent: (options) => {
        watch = options;
        return { stop: async () => undefined };
      },
    });
    expect(watch).not.toBeNull();
    await seedServerContent(fixture.stack, { domains: 1, skillsPerDomain: 1, questionsPerSkill: 3, prefix: 'rt' });
    const before = runs.length;
    watch!.onChange();
    await waitFor('the run Realtime asked for', () => runs.length > before, 3_000);
    await waitFor('the pulled content', () => (sqlite.prepare(`SELECT count(*) FROM domains WHERE slug = 'rt_1'`).pluck().get() as number) === 1);
    expect(service.status().lastError).toBeNull();
  }, 60_000);

  it('coming back online tries at once, even while the queue head backs off', async () => {
    const { service, sqlite, userId } = await quietClient({
      engine: { push: { maxBatchCount: 50, maxBatchBytes: 1_000_000, timeoutMs: 5_000, maxAttempts: 50, backoff: { baseMs: 600_000, capMs: 600_000, maxRetryAfterMs: 600_000 } } },
    });
    await fixture.proxy.setFault({ fault: { mode: 'status', status: 503 }, pathIncludes: 'sync_push', times: 1 });
    const [id] = recordAttempts(sqlite, 1);
    await service.syncNow();
    expect(service.status().state).toBe('error');
    // The head now waits ten minutes; a write or the watchdog would respect that, `online` does not.
    service.trigger('write');
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await serverAttempts(fixture.stack, userId)).has(id!)).toBe(false);
    service.trigger('online');
    await waitFor('the attempt on the server', async () => (await serverAttempts(fixture.stack, userId)).has(id!), 3_000);
  }, 60_000);

  it('"Sync now" (manual) runs at once, and the run is announced as it starts', async () => {
    const { service, runs } = await quietClient();
    const states: Array<SyncStatus['state']> = [];
    service.onStatus((s) => states.push(s.state));
    await fixture.proxy.setFault({ fault: { mode: 'delay', ms: 400 }, pathIncludes: 'content_version', times: 1 });
    const before = runs.length;
    const started = Date.now();
    service.trigger('manual');
    await waitFor('the run to start', () => runs.length > before, 200);
    // "syncing" was announced while the server still had not answered.
    expect(Date.now() - started).toBeLessThan(300);
    await waitFor('the run to end', () => states.at(-1) === 'idle', 3_000);
  }, 60_000);
});

describe('the sync worker', () => {
  it('keeps time by the injected clock, not its own', async () => {
    const dayAhead = 24 * 3600_000;
    const { service, sqlite } = await quietClient({ runInWorkerThread: true, clock: { now: () => Date.now() + dayAhead } });
    const [id] = recordAttempts(sqlite, 1);
    const sent = Date.now();
    service.trigger('write');
    await waitFor('the attempt delivered', () => pendingOutbox(sqlite) === 0, 10_000);
    const processedAt = sqlite
      .prepare(`SELECT processed_utc_ms FROM outbox WHERE table_name = 'attempts' AND row_id = ?`)
      .pluck()
      .get(id) as number;
    // Stamped by the worker: a day ahead, as the injected clock says.
    expect(processedAt - sent).toBeGreaterThan(dayAhead - 60_000);
    expect(processedAt - sent).toBeLessThan(dayAhead + 60_000);
  }, 60_000);
});

describe('close()', () => {
  it('returns within its bound while a pull waits on a 60 s request, and leaves no half-written page', async () => {
    const { service, db } = await quietClient({
      runInWorkerThread: true,
      closeTimeoutMs: 2_000,
      engine: { pullPageSize: 400, pullTimeoutMs: 60_000 },
    });
    await seedServerContent(fixture.stack, { domains: 2, skillsPerDomain: 10, questionsPerSkill: 100, prefix: 'big' });
    // The first pages arrive slowly, then the server stops answering: the pull is mid-way, its request hanging.
    await fixture.proxy.setFault({ fault: { mode: 'delay', ms: 150 }, pathIncludes: 'pull_content' });
    service.trigger('manual');
    await waitFor('some pages stored', () => {
      const status = service.status();
      if (status.state === 'error') throw new Error(status.lastError ?? 'error');
      return (status.download?.done ?? 0) >= 800;
    }, 20_000);
    await fixture.proxy.setFault({ fault: { mode: 'stall' }, pathIncludes: 'pull_content' });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await service.close();
    expect(Date.now() - started).toBeLessThan(2_500);
    db.sqlite.close();

    // Every row up to the stored cursor is here, and none past it: pages commit whole with their cursor.
    const check = new Database(db.file, { readonly: true });
    const cursor = JSON.parse(check.prepare(`SELECT value FROM sync_state WHERE key = 'content_cursor'`).pluck().get() as string) as {
      change_xid: string;
      id: string;
    };
    const local = check
      .prepare('SELECT (SELECT count(*) FROM domains) + (SELECT count(*) FROM skills) + (SELECT count(*) FROM questions)')
      .pluck()
      .get() as number;
    check.close();
    const [upToCursor] = await fixture.stack.query<{ n: string }>(
      `select count(*)::text as n from (
         select change_xid, id from public.domains union all select change_xid, id from public.skills
         union all select change_xid, id from public.questions) t
       where (t.change_xid, t.id) <= ($1::xid8, $2::uuid)`,
      [cursor.change_xid, cursor.id],
    );
    expect(local).toBeGreaterThan(0);
    expect(local).toBe(Number(upToCursor!.n));
  }, 90_000);
});
