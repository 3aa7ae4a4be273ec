/**
 * Why the tutor's edge function could not be used, with the real sync service and session (core/sync) against a loopback
 * auth server or a closed port: the learner reads one cause, signed out (sign in under Settings → Sync) or the sync
 * server could not be reached (in the connection failure's words), never both.
 */
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLearnerWriteRunner } from '../../electron/core/ipc/learner-writes';
import { systemClock } from '../../electron/core/ports';
import { createMemoryHostStores } from '../../electron/core/process/fork';
import { SYNC_ANON_KEY_SETTING, SYNC_URL_SETTING } from '../../electron/core/sync/config';
import { createSyncService } from '../../electron/core/sync/service';
import { REFRESH_TOKEN_SECRET } from '../../electron/core/sync/session';
import { createTutor, edgeAccessVia } from '../../electron/core/tutor/tutor';
import { startLoopbackHttp } from '../helpers/loopback-http';
import { openSampleDatabase } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const SIGNED_OUT = { code: 'not_signed_in', message: 'The tutor service needs your account, and you are not signed in: sign in under Settings → Sync.' };

/** A tutor set to the edge function, reaching it through a sync service configured for `url`, signed in when `refreshToken` is given (as after a restart: no session yet). */
function setup(url: string, refreshToken: string | null) {
  const dir = tempDir();
  const { sqlite } = openSampleDatabase(dir, systemClock);
  const { settings, secrets } = createMemoryHostStores();
  settings.setValue(SYNC_URL_SETTING, url);
  settings.setValue(SYNC_ANON_KEY_SETTING, 'anon-key');
  if (refreshToken) secrets.set(REFRESH_TOKEN_SECRET, refreshToken);
  const sync = createSyncService({
    dbFile: join(dir, 'study.sqlite'),
    sqlite,
    settings,
    secrets,
    clock: systemClock,
    runInWorkerThread: false,
    realtime: false,
    authTimeoutMs: 2000,
  });
  onTestFinished(async () => {
    await sync.close();
    sqlite.close();
  });
  const tutor = createTutor({ sqlite, clock: systemClock, settings, secrets, runWrite: createLearnerWriteRunner(sqlite), edgeAccess: edgeAccessVia(sync) });
  tutor.setProviderSettings({ kind: 'edge-function' });
  const ask = async () => {
    const chat = await tutor.create({ title: 'Fractions' });
    return (await tutor.send(chat.id, 'What is a fraction?', () => undefined, AbortSignal.timeout(10_000))).reply;
  };
  return { tutor, sync, secrets, ask };
}

describe('the edge function when it cannot be used', () => {
  it('says the learner is signed out, and where to sign in, when nobody is', async () => {
    const requests: string[] = [];
    const auth = await startLoopbackHttp((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(500).end();
    });
    onTestFinished(() => auth.close());
    const { tutor, ask } = setup(auth.url, null);
    expect(await ask()).toMatchObject({ status: 'complete', source: 'offline', error: SIGNED_OUT });
    expect(await tutor.testConnection()).toMatchObject({ ok: false, error: SIGNED_OUT });
    expect(requests).toEqual([]);
  });

  it('says the learner is signed out when the server ends the session (its refresh token refused)', async () => {
    const auth = await startLoopbackHttp((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid Refresh Token: Refresh Token Not Found' }));
    });
    onTestFinished(() => auth.close());
    const { ask, secrets, sync } = setup(auth.url, 'refresh-token-1');
    expect(await ask()).toMatchObject({ source: 'offline', error: SIGNED_OUT });
    expect(secrets.get(REFRESH_TOKEN_SECRET)).toBeNull();
    expect(sync.accountServer()).toBeNull();
  });

  it("says the sync server could not be reached, in the connection failure's words, when a signed-in learner's session cannot be renewed", async () => {
    const closed = await startLoopbackHttp(() => undefined);
    await closed.close();
    const { tutor, ask, secrets } = setup(closed.url, 'refresh-token-1');
    const reason = {
      code: 'network',
      message: `The tutor service could not be used: Refreshing the session failed: Cannot reach the server (connection refused): nothing answers at 127.0.0.1:${closed.port}; check that the server is running and the address is right.`,
    };
    expect(await ask()).toMatchObject({ status: 'complete', source: 'offline', error: reason });
    expect(await tutor.testConnection()).toMatchObject({ ok: false, error: reason });
    // Still signed in: the next reply tries the server again.
    expect(secrets.get(REFRESH_TOKEN_SECRET)).toBe('refresh-token-1');
  });
});
