/**
 * The drill session's state machine: STARTED → SUBMITTED → PROCESSING → COMPLETED | FAILED. `transition` is the one
 * rule, and `createDrillSessionWriter` the one writer of drill_sessions: every insert and status change goes through
 * it, in the caller's transaction, with its outbox row. Migration 0010's CHECK and triggers refuse the same illegal
 * moves in SQLite itself, so no other write path (or a bug) can move a session backwards or change a finished one.
 */
import { AppFailure } from '../../../shared/errors';
import { drillStatuses, type DrillStatus } from '../../../shared/ipc/features/drills';
import type { Sqlite } from '../db/open';
import type { OutboxWriter } from '../sync/outbox-writer';
import type { LocalRow } from '../sync/registry';

export { drillStatuses, type DrillStatus };

/** The one next status each status may move to; COMPLETED and FAILED are final. */
const nextStatuses: Readonly<Record<DrillStatus, readonly DrillStatus[]>> = {
  STARTED: ['SUBMITTED'],
  SUBMITTED: ['PROCESSING'],
  PROCESSING: ['COMPLETED', 'FAILED'],
  COMPLETED: [],
  FAILED: [],
};

/** A session is born STARTED (`from` null); throws a `conflict` naming both statuses on any other move. */
export function transition(from: DrillStatus | null, to: DrillStatus): DrillStatus {
  if (from === null) {
    if (to === 'STARTED') return to;
    throw new AppFailure('conflict', `A drill session starts as STARTED, not ${to}.`, { from, to });
  }
  if (nextStatuses[from].includes(to)) return to;
  const why =
    nextStatuses[from].length === 0
      ? `the session is already ${from} and cannot change any more`
      : `from ${from} it can only move to ${nextStatuses[from].join(' or ')}`;
  throw new AppFailure('conflict', `A drill session cannot move from ${from} to ${to}: ${why}.`, { from, to });
}

export type DrillSessionRow = LocalRow<'drill_sessions'>;

/** The columns a status change may set with it. */
export type DrillSessionPatch = Partial<Pick<DrillSessionRow, 'submitted_utc_ms' | 'completed_utc_ms' | 'processing_time_ms' | 'metadata'>>;

export interface DrillSessionWriter {
  /** Inserts a new STARTED session and queues it. */
  start(row: Omit<DrillSessionRow, 'status'>, nowMs: number): DrillSessionRow;
  /** Moves a session to `to` (checked by `transition`), sets `patch`, queues the new row; returns it. */
  move(sessionId: string, to: DrillStatus, patch: DrillSessionPatch, nowMs: number): DrillSessionRow;
  load(sessionId: string): DrillSessionRow;
}

export function createDrillSessionWriter(sqlite: Sqlite, outbox: OutboxWriter): DrillSessionWriter {
  const select = sqlite.prepare('SELECT * FROM drill_sessions WHERE id = ?');
  const insert = sqlite.prepare(
    `INSERT INTO drill_sessions (id, user_id, question_id, content_pack_version, status, started_utc_ms, submitted_utc_ms, completed_utc_ms, processing_time_ms, metadata)
     VALUES (@id, @user_id, @question_id, @content_pack_version, @status, @started_utc_ms, @submitted_utc_ms, @completed_utc_ms, @processing_time_ms, @metadata)`,
  );
  const update = sqlite.prepare(
    `UPDATE drill_sessions SET status = @status, submitted_utc_ms = @submitted_utc_ms, completed_utc_ms = @completed_utc_ms,
       processing_time_ms = @processing_time_ms, metadata = @metadata WHERE id = @id`,
  );
  const load = (sessionId: string): DrillSessionRow => {
    const row = select.get(sessionId) as DrillSessionRow | undefined;
    if (!row) throw new AppFailure('not_found', `No drill session has the id ${sessionId}.`, { path: 'sessionId' });
    return row;
  };
  return {
    load,
    start(row, nowMs) {
      const started: DrillSessionRow = { ...row, status: transition(null, 'STARTED') };
      insert.run(started);
      outbox.enqueue('drill_sessions', started, nowMs);
      return started;
    },
    move(sessionId, to, patch, nowMs) {
      const current = load(sessionId);
      const next: DrillSessionRow = { ...current, ...patch, status: transition(current.status as DrillStatus, to) };
      update.run(next);
      outbox.enqueue('drill_sessions', next, nowMs);
      return next;
    },
  };
}
