/**
 * The drill session state machine: the transition function refuses every illegal move, and SQLite (migration 0010's
 * triggers) refuses the same moves from any write that bypasses it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../shared/errors';
import { openDatabase } from '../../electron/core/db/open';
import { createDrillSessionWriter, drillStatuses, transition, type DrillStatus } from '../../electron/core/drills/state';
import { createLocalMerge } from '../../electron/core/sync/local-merge';
import { createOutboxWriter } from '../../electron/core/sync/outbox-writer';
import { useTempDirs } from '../helpers/temp';

const legal: Array<[DrillStatus, DrillStatus]> = [
  ['STARTED', 'SUBMITTED'],
  ['SUBMITTED', 'PROCESSING'],
  ['PROCESSING', 'COMPLETED'],
  ['PROCESSING', 'FAILED'],
];
const isLegal = (from: DrillStatus, to: DrillStatus) => legal.some(([f, t]) => f === from && t === to);
const illegal = drillStatuses.flatMap((from) => drillStatuses.filter((to) => !isLegal(from, to)).map((to) => [from, to] as [DrillStatus, DrillStatus]));

const tempDir = useTempDirs();

function openDb() {
  const { sqlite } = openDatabase(join(tempDir(), 'study.sqlite'), { nowMs: 1_000 });
  return sqlite;
}

const userId = '00000000-0000-4000-8000-000000000001';
const sessionId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Walks a fresh session along the legal path to `status` through the writer. */
function sessionAt(sqlite: ReturnType<typeof openDb>, n: number, status: DrillStatus): string {
  const writer = createDrillSessionWriter(sqlite, createOutboxWriter(sqlite));
  const id = sessionId(n);
  writer.start({ id, user_id: userId, question_id: 'q-1', content_pack_version: '1.0.0', started_utc_ms: 10, submitted_utc_ms: null, completed_utc_ms: null, processing_time_ms: null, metadata: null }, 10);
  const path: DrillStatus[] = status === 'FAILED' ? ['SUBMITTED', 'PROCESSING', 'FAILED'] : ['SUBMITTED', 'PROCESSING', 'COMPLETED'];
  for (const step of path.slice(0, drillStatuses.indexOf(status))) writer.move(id, step, {}, 11);
  expect(writer.load(id).status).toBe(status);
  return id;
}

describe('transition', () => {
  it.each(legal)('allows %s → %s', (from, to) => {
    expect(transition(from, to)).toBe(to);
  });

  it.each(illegal)('refuses %s → %s with a conflict naming both', (from, to) => {
    let caught: unknown;
    try {
      transition(from, to);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppFailure);
    expect((caught as AppFailure).code).toBe('conflict');
    expect((caught as AppFailure).message).toContain(`from ${from} to ${to}`);
  });

  it('starts a session only as STARTED', () => {
    expect(transition(null, 'STARTED')).toBe('STARTED');
    for (const to of drillStatuses.filter((s) => s !== 'STARTED')) expect(() => transition(null, to)).toThrow(/starts as STARTED/);
  });

  it('says a finished session cannot change', () => {
    expect(() => transition('COMPLETED', 'FAILED')).toThrow(/already COMPLETED and cannot change/);
    expect(() => transition('FAILED', 'PROCESSING')).toThrow(/already FAILED and cannot change/);
  });
});

describe('the writer and SQLite', () => {
  it('refuses an illegal move through the writer and leaves the row and the outbox as they were', () => {
    const sqlite = openDb();
    const writer = createDrillSessionWriter(sqlite, createOutboxWriter(sqlite));
    const id = sessionAt(sqlite, 1, 'STARTED');
    const outboxBefore = sqlite.prepare('SELECT count(*) FROM outbox').pluck().get();
    expect(() => writer.move(id, 'PROCESSING', {}, 12)).toThrow(/cannot move from STARTED to PROCESSING/);
    expect(writer.load(id).status).toBe('STARTED');
    expect(sqlite.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(outboxBefore);
    sqlite.close();
  });

  it('queues each status the session passes through', () => {
    const sqlite = openDb();
    const id = sessionAt(sqlite, 2, 'COMPLETED');
    const statuses = (sqlite.prepare("SELECT payload FROM outbox WHERE table_name = 'drill_sessions' AND row_id = ? ORDER BY ts_utc_ms, id").pluck().all(id) as string[]).map(
      (p) => (JSON.parse(p) as { status: string }).status,
    );
    expect(statuses).toEqual(['STARTED', 'SUBMITTED', 'PROCESSING', 'COMPLETED']);
    sqlite.close();
  });

  it.each(illegal)('SQLite refuses a direct UPDATE %s → %s', (from, to) => {
    const sqlite = openDb();
    const id = sessionAt(sqlite, 3, from);
    const update = () => sqlite.prepare('UPDATE drill_sessions SET status = ? WHERE id = ?').run(to, id);
    if (from === to) {
      // Rewriting the same values is not a move (a sync pull re-applies rows it already has).
      expect(update).not.toThrow();
    } else {
      expect(update).toThrow(/drill session/);
      expect(sqlite.prepare('SELECT status FROM drill_sessions WHERE id = ?').pluck().get(id)).toBe(from);
    }
    sqlite.close();
  });

  it.each(['COMPLETED', 'FAILED'] as const)('SQLite refuses any other column change after %s, and allows rewriting the same values (a sync pull)', (final) => {
    const sqlite = openDb();
    const id = sessionAt(sqlite, 4, final);
    expect(() => sqlite.prepare('UPDATE drill_sessions SET metadata = ? WHERE id = ?').run('{"late":true}', id)).toThrow(/cannot change/);
    expect(() => sqlite.prepare('UPDATE drill_sessions SET completed_utc_ms = 99 WHERE id = ?').run(id)).toThrow(/cannot change/);
    expect(() => sqlite.prepare('UPDATE drill_sessions SET status = status, metadata = metadata WHERE id = ?').run(id)).not.toThrow();
    sqlite.close();
  });

  it('lets a sync pull re-apply a finished session whose metadata JSON comes back in another key order', () => {
    const sqlite = openDb();
    const writer = createDrillSessionWriter(sqlite, createOutboxWriter(sqlite));
    const id = sessionAt(sqlite, 6, 'PROCESSING');
    writer.move(id, 'COMPLETED', { completed_utc_ms: 20, processing_time_ms: 5, metadata: '{"mode":"written","xp":20}' }, 20);
    // The server keeps metadata as jsonb and sends it back with its own key order: the same content.
    const pulled = { ...writer.load(id), metadata: '{"xp": 20, "mode": "written"}' };
    expect(() => createLocalMerge(sqlite, 'drill_sessions')([pulled])).not.toThrow();
    expect(writer.load(id).status).toBe('COMPLETED');
    sqlite.close();
  });

  it('SQLite refuses an unknown status on insert', () => {
    const sqlite = openDb();
    expect(() =>
      sqlite
        .prepare(`INSERT INTO drill_sessions (id, user_id, question_id, content_pack_version, status, started_utc_ms) VALUES (?, ?, 'q', '1', 'DONE', 1)`)
        .run(sessionId(5), userId),
    ).toThrow(/must be STARTED, SUBMITTED/);
    sqlite.close();
  });
});
