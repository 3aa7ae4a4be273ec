/**
 * The entitlement cache and its grace rule, on a real SQLite file, against a loopback HTTP server that answers as
 * PostgREST does for GET /rest/v1/users (the real stack's answer is covered in tests/sync/server/drills.test.ts).
 * Offline is a closed port: the real connection error.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  ENTITLEMENT_CACHE_KEY,
  ENTITLEMENT_CACHE_MS,
  entitlementLevel,
  type EntitlementLevel,
} from '../../electron/core/drills/entitlement';
import { createDrills } from '../../electron/core/drills/drills';
import { serverEvaluatorEndpoint } from '../../electron/core/drills/evaluate-server';
import { openDatabase } from '../../electron/core/db/open';
import { createLearnerWriteRunner } from '../../electron/core/ipc/learner-writes';
import type { LearnerServer } from '../../electron/core/sync/learner-request';
import { drillsContract } from '../../shared/ipc/features/drills';
import { useCleanups } from '../helpers/cleanups';
import { ManualClock } from '../helpers/clock';
import { startLoopbackHttp } from '../helpers/loopback-http';
import { fixedTokens } from '../helpers/tokens';
import { useTempDatabases, type TempDatabase } from '../content/temp-database';

const USER = '11111111-1111-4111-8111-111111111111';
const OTHER_USER = '22222222-2222-4222-8222-222222222222';

interface FakeUsersEndpoint {
  url: string;
  /** The level the server holds, or null for no row. */
  level: EntitlementLevel | null;
  /** When set, the server sends this instead of the level: a status and a raw body (malformed answers). */
  answer: { status: number; body: string } | null;
  requests: IncomingMessage[];
  /** Stops answering: the port is closed, as when the device is offline. */
  goOffline(): Promise<void>;
  close(): Promise<void>;
}

const cleanup = useCleanups();
const database = useTempDatabases();

async function usersEndpoint(): Promise<FakeUsersEndpoint> {
  const endpoint = { level: 'BASIC' as EntitlementLevel | null, answer: null as FakeUsersEndpoint['answer'], requests: [] as IncomingMessage[] };
  const http = await startLoopbackHttp((req, res) => {
    endpoint.requests.push(req);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (req.headers.authorization !== 'Bearer learner-token') {
      res.statusCode = 401;
      res.end(JSON.stringify({ code: 'PGRST301', message: 'JWT expired' }));
      return;
    }
    if (endpoint.answer) {
      res.statusCode = endpoint.answer.status;
      res.end(endpoint.answer.body);
      return;
    }
    res.end(JSON.stringify(endpoint.level === null ? [] : [{ entitlement_level: endpoint.level }]));
  });
  cleanup(http.close);
  return Object.assign(endpoint, { url: http.url, goOffline: http.close, close: http.close });
}

function learnerServer(url: string, clock: ManualClock, userId = USER): LearnerServer {
  return {
    url,
    anonKey: 'anon-key',
    fetch: globalThis.fetch,
    tokens: fixedTokens('learner-token'),
    now: () => clock.now(),
    userId,
  };
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
    expect(await entitlementLevel(options)).toEqual({ level: 'PRO', source: 'cache', checkedUtcMs: 10_000, unreadable: expect.stringMatching(/^Cannot reach the server \(/) });

    // Back online on the same address: the stale level is checked again at once.
    const again = await startLoopbackHttp((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify([{ entitlement_level: 'BASIC' }]));
    }, Number(new URL(url).port));
    cleanup(again.close);
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
    cleanup(() => {
      reopened.close();
    });
    clock.advance(2 * ENTITLEMENT_CACHE_MS);
    const result = await entitlementLevel({ sqlite: reopened, clock, server: () => learnerServer(endpoint.url, clock) });
    expect(result).toEqual({ level: 'PRO', source: 'cache', checkedUtcMs: 20_000, unreadable: expect.stringMatching(/^Cannot reach the server \(/) });
  });

  it('offline with no level ever read for this account counts as BASIC, never checked', async () => {
    const db = database();
    const clock = new ManualClock(30_000);
    const endpoint = await usersEndpoint();
    await endpoint.goOffline();
    const result = await entitlementLevel({ sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock) });
    expect(result).toEqual({ level: 'BASIC', source: 'cache', checkedUtcMs: null, unreadable: expect.stringMatching(/^Cannot reach the server \(/) });
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

describe('entitlementLevel with a malformed answer from the server', () => {
  const cachedValue = (db: TempDatabase) => db.sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').pluck().get(ENTITLEMENT_CACHE_KEY);

  it.each([
    ['an unknown level', 200, JSON.stringify([{ entitlement_level: 'GOLD' }]), /\[0\]\.entitlement_level: "GOLD", not one of LOCKED, BASIC, PRO/],
    ['a row without the level', 200, JSON.stringify([{ level: 'PRO' }]), /\[0\]\.entitlement_level: missing, not one of/],
    ['an object instead of the list of rows', 200, JSON.stringify({ entitlement_level: 'PRO' }), /\(root\): .*expected array/],
    ['two rows for one account', 200, JSON.stringify([{ entitlement_level: 'PRO' }, { entitlement_level: 'BASIC' }]), /\(root\): Too big/],
    ['a body that is not JSON', 200, '<html>Bad gateway</html>', /unreadable answer \(HTTP 200\)/],
    ['HTTP 500', 500, JSON.stringify({ message: 'relation "users" is broken' }), /HTTP 500: relation "users" is broken/],
  ])('%s: says what was wrong, keeps the cached level in force and in the cache, then reads again', async (_name, status, body, problem) => {
    const db = database();
    const clock = new ManualClock(70_000);
    const endpoint = await usersEndpoint();
    endpoint.level = 'PRO';
    const options = { sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock) };
    await entitlementLevel(options);
    const saved = cachedValue(db);

    clock.advance(ENTITLEMENT_CACHE_MS);
    endpoint.answer = { status, body };
    const result = await entitlementLevel(options);
    expect(result).toEqual({ level: 'PRO', source: 'cache', checkedUtcMs: 70_000, unreadable: expect.stringMatching(problem) });
    // The cause alone: the screen already says that the plan could not be checked (drillText.ts).
    expect(result.unreadable).not.toMatch(/Reading your drill entitlement|failed:/);
    expect(cachedValue(db)).toBe(saved);

    // The server mended: the next call reads it.
    endpoint.answer = null;
    endpoint.level = 'BASIC';
    expect(await entitlementLevel(options)).toEqual({ level: 'BASIC', source: 'server', checkedUtcMs: clock.now() });
  });

  it('an account never read yet counts as BASIC, and nothing is cached from the bad answer', async () => {
    const db = database();
    const clock = new ManualClock(80_000);
    const endpoint = await usersEndpoint();
    endpoint.answer = { status: 200, body: JSON.stringify([{ entitlement_level: 'pro' }]) };
    const result = await entitlementLevel({ sqlite: db.sqlite, clock, server: () => learnerServer(endpoint.url, clock) });
    expect(result).toEqual({ level: 'BASIC', source: 'cache', checkedUtcMs: null, unreadable: expect.stringContaining('"pro", not one of LOCKED, BASIC, PRO') });
    expect(cachedValue(db)).toBeUndefined();
  });
});

describe("the entitlement on the Drills screen (drills:list, as core wires it)", () => {
  it('carries why the server could not be read and when the level in force was last confirmed, through the IPC schema', async () => {
    const db = database();
    const clock = new ManualClock(70_000);
    const endpoint = await usersEndpoint();
    endpoint.level = 'PRO';
    const server = () => learnerServer(endpoint.url, clock);
    const drills = createDrills({
      sqlite: db.sqlite,
      clock,
      runWrite: createLearnerWriteRunner(db.sqlite),
      studyDay: () => ({ timeZone: 'UTC', rolloverHour: 4 }),
      entitlement: () => entitlementLevel({ sqlite: db.sqlite, clock, server }),
      aiEndpoint: () => null,
      serverEvaluator: () => serverEvaluatorEndpoint(server()),
    });
    // What the renderer receives: the handler's answer through the channel's output schema (which drops unknown keys).
    const listed = async () => drillsContract.channels['drills:list'].output.parse(await drills.list()).access;

    expect(await listed()).toMatchObject({ level: 'PRO', source: 'server', checkedUtcMs: 70_000, unreadable: null });
    await endpoint.goOffline();
    clock.advance(2 * ENTITLEMENT_CACHE_MS);
    const offline = await listed();
    expect(offline).toMatchObject({ level: 'PRO', source: 'cache', checkedUtcMs: 70_000, unreadable: expect.stringMatching(/^Cannot reach the server \(/) });
    // PRO with no provider of its own: the server's evaluator, with what applies while the app is offline.
    expect(offline.evaluator).toMatchObject({ kind: 'ai', label: expect.stringContaining("server's AI evaluator"), offlineLabel: expect.stringContaining('offline, drills are scored with the local rules') });
  });
});
