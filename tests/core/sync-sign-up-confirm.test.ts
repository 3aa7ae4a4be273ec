/**
 * Create account on a server that wants the address confirmed first (GoTrue answers the sign-up with a user and no
 * session): the real core as the web host makes it, against a loopback server. That is a notice for the account form,
 * not a sync error: the status bar read "Last error: Account created for …".
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/ipc/contract';
import { startLoopbackHttp, type LoopbackHttp } from '../helpers/loopback-http';
import { useTempDirs } from '../helpers/temp';
import { callCore, startWebCore } from '../helpers/web-core';

const tempDir = useTempDirs();
let server: LoopbackHttp | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('sync:signUp when the server asks to confirm the address', () => {
  it('leaves nobody signed in and the status as it was: no "Last error" for an account that was created', async () => {
    const signUps: string[] = [];
    server = await startLoopbackHttp((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/auth/v1/signup') {
        signUps.push(req.url);
        res.end(JSON.stringify({ id: '6f1c2a4e-0000-4000-8000-000000000001', email: 'learner@example.com', confirmation_sent_at: '2026-12-02T07:00:00Z' }));
        return;
      }
      // Every sync request fails the same way, so the status before and after the sign-up can be compared.
      res.statusCode = 503;
      res.end(JSON.stringify({ message: 'down for the test' }));
    });
    const core = startWebCore(tempDir(), { sync: { runInWorkerThread: false } });
    try {
      const before = await callCore<SyncStatus>(core, 'sync:configure', { url: server.url, anonKey: 'anon-key' });
      expect(before).toMatchObject({ signedInEmail: null, lastError: 'HTTP 503: down for the test' });
      const after = await callCore<SyncStatus>(core, 'sync:signUp', { email: 'learner@example.com', password: 'a long password' });
      expect(signUps).toHaveLength(1);
      expect(after).toMatchObject({ signedInEmail: null, state: before.state, lastError: before.lastError });
    } finally {
      await core.close();
    }
  });
});
