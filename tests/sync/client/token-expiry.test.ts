/** Access tokens that expire mid-sync are refreshed and the batch resent, without counting a failure; the worker thread runs the same engine. */
import { describe, expect, it } from 'vitest';
import { createUser } from '../../../scripts/stack/stack';
import {
  openClientDb,
  pendingOutbox,
  recordAttempts,
  serverAttempts,
  testService,
} from './helpers';
import { useStackWithProxy } from './stack-fixture';

const fixture = useStackWithProxy('sync-token', { accessTokenTtlSeconds: -28 });

describe('token expiry', () => {
  it('refreshes an access token that expires in the middle of a push and loses nothing', async () => {
    const db = openClientDb(fixture.dir, 'token.sqlite');
    const user = await createUser(fixture.stack, { email: 'token@example.test', password: 'secret-pass' });
    const service = testService({ dbFile: db.file, sqlite: db.sqlite, push: { maxBatchCount: 20 } });
    await service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    await service.signIn({ email: 'token@example.test', password: 'secret-pass' });
    recordAttempts(db.sqlite, 400);
    // Slow batches make the push outlive the 2 s token.
    await fixture.proxy.setFault({ fault: { mode: 'delay', ms: 150 }, pathIncludes: 'sync_push' });
    const status = await service.syncNow();
    expect(status).toMatchObject({ state: 'idle', pendingCount: 0, deadCount: 0, lastError: null });
    expect(fixture.proxy.log.some((e) => e.path.includes('sync_push') && e.outcome === 401)).toBe(true);
    expect(fixture.proxy.log.some((e) => e.path.includes('grant_type=refresh_token') && e.outcome === 200)).toBe(true);
    expect(db.sqlite.prepare('SELECT max(attempt_count) FROM outbox').pluck().get()).toBe(0);
    const server = await serverAttempts(fixture.stack, user.id);
    expect(server.size).toBe(400);
    await service.close();
    db.sqlite.close();
  }, 60_000);

  it('runs the same sync in a worker thread with its own connection', async () => {
    await fixture.proxy.setFault({ fault: { mode: 'pass' } });
    const db = openClientDb(fixture.dir, 'worker.sqlite');
    const user = await createUser(fixture.stack, { email: 'worker@example.test', password: 'secret-pass' });
    const service = testService({ dbFile: db.file, sqlite: db.sqlite, runInWorkerThread: true });
    await service.configure({ url: fixture.proxy.url, anonKey: fixture.stack.anonKey });
    await service.signIn({ email: 'worker@example.test', password: 'secret-pass' });
    recordAttempts(db.sqlite, 120);
    const status = await service.syncNow();
    expect(status).toMatchObject({ lastError: null, state: 'idle', pendingCount: 0, deadCount: 0 });
    expect(pendingOutbox(db.sqlite)).toBe(0);
    expect((await serverAttempts(fixture.stack, user.id)).size).toBe(120);
    await service.close();
    db.sqlite.close();
  }, 60_000);
});
