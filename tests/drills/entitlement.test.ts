/**
 * The entitlement cache and its grace rule, on a real SQLite file, against a loopback HTTP server that answers as
 * PostgREST does for GET /rest/v1/users (the real stack's answer is covered in tests/sync/server/drills.test.ts).
 * Offline is a closed port: the real connection error.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ENTITLEMENT_CACHE_KEY,
  ENTITLEMENT_CACHE_MS,
  entitlementLevel,
  type EntitlementLevel,
} from '../../electron/core/drills/entitlement';
import { openDatabase } from '../../electron/core/db/open';
import type { LearnerServer } from '../../electron/core/sync/learner-request';
import { ManualClock } from '../helpers/clock';
import { openTempDatabase, type TempDatabase } from '../content/temp-database';

const USER = '11111111-1111-4111-8111-111111111111';
const OTHER_USER = '22222222-2222-4222-8222-222222222222';

interface FakeUsersEndpoint {
  url: string;
  /** The level the server holds, or null for no row. */
  level: EntitlementLevel | null;
  requests: IncomingMessage[];
  /** Stops answering: the port is closed, as when the device is offline. */
  goOffline(): Promise<void>;
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function usersEndpoint(): Promise<FakeUsersEndpoint> {
  const endpoint = { level: 'BASIC' as EntitlementLevel | null, requests: [] as IncomingMessage[] };
  const server: Server = createServer((req, res) => {
    endpoint.requests.push(req);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (req.headers.authorization !== 'Bearer learner-token') {
      res.statusCode = 401;
      res.end(JSON.stringify({ code: 'PGRST301', message: 'JWT expired' }));
      return;
    }
    res.end(JSON.stringify(endpoint.level === null ? [] : [{ entitlement_level: endpoint.level }]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let open = true;
  const close = async () => {
    if (!open) return;
    open = false;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanups.push(close);
  return Object.assign(endpoint, { url: `http://127.0.0.1:${port}`, goOffline: close, close });
}

function learnerServer(url: string, clock: ManualClock, userId = USER): LearnerServer {
  return {
    url,
    anonKey: 'anon-key',
    fetch: globalThis.fetch,
    tokens: { accessToken: async () => 'learner-token', refreshAfterRejection: async () => 'learner-token' },
    now: () => clock.now(),
    userId,
  };
}

function database(): TempDatabase {
  const db = openTempDatabase();
  cleanups.push(() => db.dispose());
  return db;
}

describe('entitlementLevel', () => {
  it('counts as BASIC with no server or nobody signed in, without any request', async () => {
    const db = database();
    const result = await entitlementLevel({ sqlite: db.sqlite, clock: new ManualClock(1_000), server: () => null });
    expect(result).toEqual({ level: 'BASIC', source: 'no-account', checkedUtcMs: null });
  });

  it("reads the level from the server, then uses it for an hour without asking again", async () => {
    const db = database();
    const clock = new ManualClock(1_000_000);
    const endpoint = await usersEndpoint();
    endpoint.level = 'PRO';
    const options = { sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock) };

    expect(await entitlementLevel(options)).toEqual({ level: 'PRO', source: 'server', checkedUtcMs: 1_000_000 });
    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.requests[0]!.url).toBe(`/rest/v1/users?select=entitlement_level&id=eq.${USER}`);
    expect(endpoint.requests[0]!.headers.apikey).toBe('anon-key');

    endpoint.level = 'LOCKED';
    clock.advance(ENTITLEMENT_CACHE_MS - 1);
    expect(await entitlementLevel(options)).toEqual({ level: 'PRO', source: 'cache', checkedUtcMs: 1_000_000 });
    expect(endpoint.requests).toHaveLength(1);

    clock.advance(1);
    expect(await entitlementLevel(options)).toEqual({ level: 'LOCKED', source: 'server', checkedUtcMs: 1_000_000 + ENTITLEMENT_CACHE_MS });
    expect(endpoint.requests).toHaveLength(2);
  });

  it('an account without a row on the server is LOCKED, as the server counts it', async () => {
    const db = database();
    const clock = new ManualClock(5_000);
    const endpoint = await usersEndpoint();
    endpoint.level = null;
    const result = await entitlementLevel({ sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock) });
    expect(result).toEqual({ level: 'LOCKED', source: 'server', checkedUtcMs: 5_000 });
  });

  it('offline, the last known level stays in force however old, and is read again on the next connection', async () => {
    const db = database();
    const clock = new ManualClock(10_000);
    const endpoint = await usersEndpoint();
    endpoint.level = 'PRO';
    const options = { sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock) };
    await entitlementLevel(options);
    const url = endpoint.url;
    await endpoint.goOffline();

    clock.advance(3 * 24 * ENTITLEMENT_CACHE_MS);
    expect(await entitlementLevel(options)).toEqual({ level: 'PRO', source: 'cache', checkedUtcMs: 10_000 });

    // Back online on the same address: the stale level is checked again at once.
    const again = createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify([{ entitlement_level: 'BASIC' }]));
    });
    await new Promise<void>((resolve) => again.listen(Number(new URL(url).port), '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => again.close(() => resolve())));
    expect(await entitlementLevel(options)).toEqual({ level: 'BASIC', source: 'server', checkedUtcMs: clock.now() });
  });

  it('keeps the cache across a restart (it is in the database), and offline uses it', async () => {
    const db = database();
    const clock = new ManualClock(20_000);
    const endpoint = await usersEndpoint();
    endpoint.level = 'PRO';
    await entitlementLevel({ sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock) });
    await endpoint.goOffline();
    db.sqlite.close();

    const reopened = openDatabase(db.file).sqlite;
    cleanups.push(() => {
      reopened.close();
    });
    clock.advance(2 * ENTITLEMENT_CACHE_MS);
    const result = await entitlementLevel({ sqlite: reopened, clock, server: () => learnerServer(endpoint.url, clock) });
    expect(result).toEqual({ level: 'PRO', source: 'cache', checkedUtcMs: 20_000 });
  });

  it('offline with no level ever read for this account counts as BASIC, never checked', async () => {
    const db = database();
    const clock = new ManualClock(30_000);
    const endpoint = await usersEndpoint();
    await endpoint.goOffline();
    const result = await entitlementLevel({ sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock) });
    expect(result).toEqual({ level: 'BASIC', source: 'cache', checkedUtcMs: null });
  });

  it("never uses another account's cached level", async () => {
    const db = database();
    const clock = new ManualClock(40_000);
    const endpoint = await usersEndpoint();
    endpoint.level = 'PRO';
    await entitlementLevel({ sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock, OTHER_USER) });
    endpoint.level = 'LOCKED';
    const result = await entitlementLevel({ sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock) });
    expect(result).toEqual({ level: 'LOCKED', source: 'server', checkedUtcMs: 40_000 });
    expect(endpoint.requests).toHaveLength(2);
  });

  it('a clock set back does not make an old cache fresh forever', async () => {
    const db = database();
    const clock = new ManualClock(50_000_000);
    const endpoint = await usersEndpoint();
    endpoint.level = 'PRO';
    const options = { sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock) };
    await entitlementLevel(options);
    endpoint.level = 'BASIC';
    const backwards = new ManualClock(1_000);
    const result = await entitlementLevel({ ...options, clock: backwards, server: () => learnerServer(endpoint.url, backwards) });
    expect(result).toEqual({ level: 'BASIC', source: 'server', checkedUtcMs: 1_000 });
  });

  it('ignores a damaged cache value and reads the server', async () => {
    const db = database();
    const clock = new ManualClock(60_000);
    db.sqlite
      .prepare('INSERT INTO sync_state (key, value, updated_utc_ms) VALUES (?, ?, 0)')
      .run(ENTITLEMENT_CACHE_KEY, '{"userId": 3');
    const endpoint = await usersEndpoint();
    endpoint.level = 'PRO';
    const result = await entitlementLevel({ sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock) });
    expect(result).toEqual({ level: 'PRO', source: 'server', checkedUtcMs: 60_000 });
  });
});
