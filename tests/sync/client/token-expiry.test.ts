/** Access tokens that expire mid-sync are refreshed and the batch resent, without counting a failure; the worker thread runs the same engine. */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../scripts/stack/stack';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import {
  openClientDb,
  pendingOutbox,
  recordAttempts,
  serverAttempts,
  startTestStack,
  tempDir,
  testService,
  type TestStack,
} from './helpers';

let stack: TestStack;
let proxy: FaultProxy;
let dir: string;

beforeAll(async () => {
  // PostgREST accepts a token up to 30 s past its exp; -28 s makes the gateway's tokens live about 2 s for real.
  stack = await startTestStack({ accessTokenTtlSeconds: -28 });
  proxy = await startFaultProxy(stack.url);
  dir = tempDir('sync-token');
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('token expiry', () => {
  it('refreshes an access token that expires in the middle of a push and loses nothing', async () => {
    const db = openClientDb(dir, 'token.sqlite');
    const user = await createUser(stack, { email: 'token@example.test', password: 'secret-pass' });
    const service = testService({ dbFile: db.file, sqlite: db.sqlite, push: { maxBatchCount: 20 } });
    await service.configure({ url: proxy.url, anonKey: stack.anonKey });
    await service.signIn({ email: 'token@example.test', password: 'secret-pass' });
    recordAttempts(db.sqlite, 400);
    // Slow batches make the push outlive the 2 s token.
    await proxy.setFault({ fault: { mode: 'delay', ms: 150 }, pathIncludes: 'sync_push' });
    const status = await service.syncNow();
    expect(status).toMatchObject({ state: 'idle', pendingCount: 0, deadCount: 0, lastError: null });
    expect(proxy.log.some((e) => e.path.includes('sync_push') && e.outcome === 401)).toBe(true);
    expect(proxy.log.some((e) => e.path.includes('grant_type=refresh_token') && e.outcome === 200)).toBe(true);
    expect(db.sqlite.prepare('SELECT max(attempt_count) FROM outbox').pluck().get()).toBe(0);
    const server = await serverAttempts(stack, user.id);
    expect(server.size).toBe(400);
    await service.close();
    db.sqlite.close();
  }, 60_000);

  it('runs the same sync in a worker thread with its own connection', async () => {
    await proxy.setFault({ fault: { mode: 'pass' } });
    const db = openClientDb(dir, 'worker.sqlite');
    const user = await createUser(stack, { email: 'worker@example.test', password: 'secret-pass' });
    const service = testService({ dbFile: db.file, sqlite: db.sqlite, runInWorkerThread: true });
    await service.configure({ url: proxy.url, anonKey: stack.anonKey });
    await service.signIn({ email: 'worker@example.test', password: 'secret-pass' });
    recordAttempts(db.sqlite, 120);
    const status = await service.syncNow();
    expect(status).toMatchObject({ lastError: null, state: 'idle', pendingCount: 0, deadCount: 0 });
    expect(pendingOutbox(db.sqlite)).toBe(0);
    expect((await serverAttempts(stack, user.id)).size).toBe(120);
    await service.close();
    db.sqlite.close();
  }, 60_000);
});
