/**
 * The learner's data against the real local stack, written by the real practice code: every synced table that has a
 * writer arrives on the server as the device has it; two devices that studied offline converge after signing in; and
 * one device shared by two accounts keeps each account's queue for that account.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSamplePackPath } from '../../../electron/core/app';
import { importPack } from '../../../electron/core/content/import';
import { openDatabase, type Sqlite } from '../../../electron/core/db/open';
import { currentLearnerId } from '../../../electron/core/learner/identity';
import { createLearnerWriteRunner } from '../../../electron/core/ipc/learner-writes';
import { createPractice, type Practice } from '../../../electron/core/practice/practice';
import { createMemoryHostStores } from '../../../electron/core/process/fork';
import { createTutor } from '../../../electron/core/tutor/tutor';
import { createAuthClient } from '../../../electron/core/sync/auth';
import { pullLearnerData } from '../../../electron/core/sync/learner-pull';
import { columnNames, fromServerRow, syncedTableNames, tableSpec, type SyncedTable } from '../../../electron/core/sync/registry';
import type { SyncService } from '../../../electron/core/sync/service';
import { createUser } from '../../../scripts/stack/stack';
import { ManualClock } from '../../helpers/clock';
import type { ContentPackInput } from '../../../shared/content/pack';
import { fixedTokens } from '../../helpers/tokens';
import { publishPackOnServer, serverAttempts, startTestStack, tempDir, testService, type TestStack } from './helpers';

let stack: TestStack;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack();
  // The devices study the embedded sample; the server takes events only on content it published.
  await publishPackOnServer(stack, JSON.parse(readFileSync(defaultSamplePackPath, 'utf8')) as ContentPackInput);
  dir = tempDir('learner-data');
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

const DAY = 86_400_000;
const PASSWORD = 'secret-pass';

interface Device {
  sqlite: Sqlite;
  clock: ManualClock;
  practice: Practice;
  service: SyncService;
}

/** A device with the embedded sample pack, its own database and clock, and sync configured for the stack. */
async function device(name: string, startMs: number): Promise<Device> {
  const clock = new ManualClock(startMs);
  const file = join(dir, `${name}.sqlite`);
  const { sqlite } = openDatabase(file, { nowMs: clock.now() });
  importPack(sqlite, readFileSync(defaultSamplePackPath), { mode: 'append', clock });
  const practice = createPractice(sqlite, { clock, timeZone: () => 'UTC' });
  const service = testService({ dbFile: file, sqlite });
  await service.configure({ url: stack.url, anonKey: stack.anonKey });
  return { sqlite, clock, practice, service };
}

async function shutDown(d: Device): Promise<void> {
  await d.service.close();
  d.sqlite.close();
}

/** One session on the first skill: `right` questions answered right, the rest of the skill wrong. */
function study(d: Device, right: number): string {
  const skillId = d.sqlite.prepare('SELECT skill_id FROM questions WHERE is_published = 1 ORDER BY skill_id LIMIT 1').pluck().get() as string;
  const session = d.practice.startSession(skillId, 'practice');
  for (let answered = 0; ; answered++) {
    d.clock.advance(1000);
    const { question } = d.practice.nextQuestion(session.id);
    if (!question) break;
    const payload = JSON.parse(
      d.sqlite.prepare('SELECT payload FROM questions WHERE id = ?').pluck().get(question.id) as string,
    ) as { solution_index?: number; solution?: number[]; choices?: string[] };
    const wantRight = answered < right;
    const answer =
      question.type === 'mcq_single'
        ? { choice: wantRight ? payload.solution_index! : (payload.solution_index! + 1) % payload.choices!.length }
        : { order: wantRight ? payload.solution! : [...payload.solution!].reverse() };
    d.practice.recordAttempt(session.id, question.id, answer);
  }
  d.practice.endSession(session.id);
  return session.id;
}

/** A device's memory states without their row ids (each device may have chosen its own), by question. */
function withoutId(row: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, user_id: _user, ...rest } = row;
  return rest;
}
function memoryStates(d: Device): Array<Record<string, unknown> & { question_id: string; due_utc_ms: number; last_review_utc_ms: number }> {
  return (d.sqlite.prepare('SELECT * FROM memory_states ORDER BY question_id').all() as Array<Record<string, unknown>>).map(
    (row) => withoutId(row) as Record<string, unknown> & { question_id: string; due_utc_ms: number; last_review_utc_ms: number },
  );
}

/** A local row with its JSON columns parsed, so text that differs only in key order or spacing compares equal. */
function comparable(table: SyncedTable, row: Record<string, unknown>): Record<string, unknown> {
  const spec = tableSpec(table);
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column,
      spec.columns[column]?.kind === 'json' && typeof value === 'string' ? (JSON.parse(value) as unknown) : value,
    ]),
  );
}

describe('learner data through the real stack', () => {
  it('pushes a real row of every synced table that has a writer, arriving as the device has it', async () => {
    const user = await createUser(stack, { email: 'writer@example.test', password: PASSWORD });
    const d = await device('writer', Date.UTC(2026, 10, 2, 9));
    study(d, 2);
    // A conversation with the (offline) tutor, started before the learner ever signed in.
    const stores = createMemoryHostStores();
    const tutor = createTutor({ sqlite: d.sqlite, clock: d.clock, settings: stores.settings, secrets: stores.secrets, runWrite: createLearnerWriteRunner(d.sqlite) });
    const chat = await tutor.create({ title: 'Offline chat' });
    await tutor.send(chat.id, 'What is condensation?', () => undefined, new AbortController().signal);
    const written = d.sqlite.prepare('SELECT DISTINCT table_name FROM outbox ORDER BY 1').pluck().all() as SyncedTable[];
    // Practice and the tutor write these today; the drills and study-loop features add theirs to this test as they land.
    expect(written).toEqual(['attempts', 'chat_messages', 'chat_sessions', 'memory_states', 'profile', 'sessions', 'skill_progress']);
    expect(written.every((t) => syncedTableNames.includes(t))).toBe(true);

    const status = await d.service.signIn({ email: 'writer@example.test', password: PASSWORD });
    expect(status).toMatchObject({ pendingCount: 0, deadCount: 0, lastError: null });
    for (const table of written) {
      const rowId = tableSpec(table).rowIdColumn;
      const local = d.sqlite.prepare(`SELECT ${columnNames(table).join(', ')} FROM ${table} ORDER BY ${rowId}`).all() as Array<Record<string, unknown>>;
      const owner = tableSpec(table).owner;
      const ownRows =
        'userColumn' in owner
          ? `${owner.userColumn} = $1`
          : `${owner.parentColumn} in (select id from public.${owner.parentTable} where user_id = $1)`;
      const server = await stack.query<{ row: Record<string, unknown> }>(
        `select to_jsonb(t) as row from public.${table} t where ${ownRows} order by ${rowId}`,
        [user.id],
      );
      expect(local.length, table).toBeGreaterThan(0);
      expect(server.map((s) => comparable(table, fromServerRow(table, s.row))), table).toEqual(local.map((l) => comparable(table, l)));
    }
    await shutDown(d);
  });

  it('converges two devices that both studied offline: same XP, streak, progress and history', async () => {
    const email = 'two-devices@example.test';
    await createUser(stack, { email, password: PASSWORD });
    const start = Date.UTC(2026, 10, 2, 9);
    const laptop = await device('laptop', start);
    const desktop = await device('desktop', start + 2 * 3_600_000);
    // Offline: the laptop studies two days in a row, the desktop once, later on the second day.
    const laptopSessions = [study(laptop, 3)];
    laptop.clock.advance(DAY);
    laptopSessions.push(study(laptop, 1));
    desktop.clock.advance(DAY);
    const desktopSessions = [study(desktop, 2)];
    const xpBefore = { laptop: laptop.practice.overview().profile.xp, desktop: desktop.practice.overview().profile.xp };
    // Both reviewed the same questions; the desktop's reviews are the latest, so its memory states must win everywhere.
    const desktopStatesBefore = memoryStates(desktop);
    expect(desktopStatesBefore.length).toBeGreaterThan(0);
    expect(memoryStates(laptop).map((m) => m.question_id)).toEqual(desktopStatesBefore.map((m) => m.question_id));
    expect(memoryStates(laptop)).not.toEqual(desktopStatesBefore);

    await laptop.service.signIn({ email, password: PASSWORD });
    await desktop.service.signIn({ email, password: PASSWORD });
    // The laptop signed in before the desktop's rows reached the server: they come down at its next sign-in.
    await laptop.service.signOut();
    await laptop.service.signIn({ email, password: PASSWORD });

    const a = laptop.practice.overview();
    const b = desktop.practice.overview();
    expect(a.profile).toEqual(b.profile);
    // The server's profile policy: XP only grows (the greater total wins), the streak follows the latest activity.
    expect(a.profile.xp).toBe(Math.max(xpBefore.laptop, xpBefore.desktop));
    expect(a.profile.streak).toBe(1);
    expect(a.skills).toEqual(b.skills);
    expect(a.history).toEqual(b.history);
    // The same questions reviewed on two devices end in one sane state each: the latest review's, whole (not a mix),
    // on both devices and on the server (one row per question whatever id each device chose).
    expect(memoryStates(laptop)).toEqual(desktopStatesBefore);
    expect(memoryStates(desktop)).toEqual(desktopStatesBefore);
    const serverStates = await stack.query<{ row: Record<string, unknown> }>(
      'select to_jsonb(m) as row from public.memory_states m where user_id = $1 order by question_id',
      [currentLearnerId(laptop.sqlite)!],
    );
    expect(serverStates.map((s) => withoutId(fromServerRow('memory_states', s.row)))).toEqual(desktopStatesBefore);
    for (const state of memoryStates(laptop)) expect(state.due_utc_ms).toBeGreaterThan(state.last_review_utc_ms);
    expect(a.history.map((h) => h.sessionId).sort()).toEqual([...laptopSessions, ...desktopSessions].sort());
    const attempts = (d: Device) => d.sqlite.prepare('SELECT id FROM attempts ORDER BY id').pluck().all();
    expect(attempts(laptop)).toEqual(attempts(desktop));
    expect(attempts(laptop).length).toBe(
      (await serverAttempts(stack, currentLearnerId(laptop.sqlite)!)).size,
    );

    // A reinstall (a fresh database) gets it all back at sign-in, not 0 XP and no history.
    const reinstalled = await device('reinstalled', start + 3 * DAY);
    expect(reinstalled.practice.overview().profile.xp).toBe(0);
    await reinstalled.service.signIn({ email, password: PASSWORD });
    // What depends on the device's own clock (this week's count, the heatmap's year window) is the reinstall's own.
    const restored = reinstalled.practice.overview();
    expect(restored).toEqual({
      ...a,
      sessionsThisWeek: restored.sessionsThisWeek,
      activity: { ...a.activity, fromDay: restored.activity.fromDay, toDay: restored.activity.toDay },
    });
    expect(attempts(reinstalled)).toEqual(attempts(laptop));

    // Pulled in pages of two rows, the same rows arrive (the keyset paging loses and repeats nothing).
    const paged = await device('paged', start);
    const session = await createAuthClient({ url: stack.url, anonKey: stack.anonKey, fetch, timeoutMs: 10_000, now: Date.now }).signIn(email, PASSWORD);
    const tokens = fixedTokens(session.accessToken);
    const pulled = await pullLearnerData({ sqlite: paged.sqlite, url: stack.url, anonKey: stack.anonKey, fetch, tokens, now: Date.now, pageSize: 2 });
    expect(pulled.rows.attempts).toBe(attempts(laptop).length);
    expect(attempts(paged)).toEqual(attempts(laptop));
    const sessionIds = (d: Device) => d.sqlite.prepare('SELECT id FROM sessions ORDER BY id').pluck().all();
    expect(sessionIds(paged)).toEqual(sessionIds(laptop));
    for (const d of [laptop, desktop, reinstalled, paged]) await shutDown(d);
  });

  it("keeps an account's queued rows for that account when another signs in, and sends them when it is back", async () => {
    const [first, second] = await Promise.all([
      createUser(stack, { email: 'first@example.test', password: PASSWORD }),
      createUser(stack, { email: 'second@example.test', password: PASSWORD }),
    ]);
    const shared = await device('shared', Date.UTC(2026, 10, 2, 9));
    await shared.service.signIn({ email: 'first@example.test', password: PASSWORD });
    await shared.service.signOut();
    // Signed out, the device still studies as the first account; its rows wait in the outbox.
    study(shared, 2);
    const queuedForFirst = shared.sqlite
      .prepare(
        `SELECT count(*) FROM outbox WHERE processed = 0 AND dead_utc_ms IS NULL
           AND coalesce(waiting_for_account, (SELECT value FROM sync_state WHERE key = 'learner_id')) = ?`,
      )
      .pluck();
    const queued = queuedForFirst.get(first.id) as number;
    expect(queued).toBeGreaterThan(0);

    const asSecond = await shared.service.signIn({ email: 'second@example.test', password: PASSWORD });
    expect(asSecond).toMatchObject({ pendingCount: 0, deadCount: 0, lastError: null });
    expect(shared.practice.overview().profile.xp).toBe(0);
    study(shared, 1);
    await shared.service.syncNow();
    expect((await serverAttempts(stack, second.id)).size).toBeGreaterThan(0);
    // The first account's rows were neither sent under the second nor dead-lettered.
    expect(queuedForFirst.get(first.id)).toBe(queued);
    expect((await serverAttempts(stack, first.id)).size).toBe(0);

    await shared.service.signOut();
    const asFirst = await shared.service.signIn({ email: 'first@example.test', password: PASSWORD });
    expect(asFirst).toMatchObject({ pendingCount: 0, deadCount: 0, lastError: null });
    expect(queuedForFirst.get(first.id)).toBe(0);
    const localAttempts = shared.sqlite.prepare('SELECT count(*) FROM attempts WHERE user_id = ?').pluck().get(first.id) as number;
    expect((await serverAttempts(stack, first.id)).size).toBe(localAttempts);
    await shutDown(shared);
  });
});
