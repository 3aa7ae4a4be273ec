/** The sync worker's queries on the outbox: the queue head, outcomes of a push, counts and the dead-letter list. */
import type { Sqlite } from '../db/open';
import type { DeadLetter } from '../../../shared/ipc/contract';

export interface QueuedRow {
  id: string;
  table_name: string;
  row_id: string;
  payload: string;
  ts_utc_ms: number;
  attempt_count: number;
  next_attempt_utc_ms: number;
}

export interface FailedDelivery {
  error: string;
  /** False when the request never reached the server (offline): that says nothing against the rows. */
  countsAsAttempt: boolean;
  nextAttemptUtcMs: number;
  /** Rows whose attempt count reaches this go to the dead letters. */
  maxAttempts: number;
  nowMs: number;
}

// Pending = not processed, not dead, and not kept on this device only (content the server never published).
export const pendingWhere = 'processed = 0 AND dead_utc_ms IS NULL AND device_only_utc_ms IS NULL';
/** The server's reason for an event on content it never published: the row stays on this device, it is no failure. */
export const UNKNOWN_CONTENT = 'unknown_content';
/** The server's reason for a drill row from an account whose entitlement is LOCKED: kept on this device likewise. */
export const ENTITLEMENT_LOCKED = 'locked';
/** Refusals that keep a row on this device only (shown as such), never as a dead letter. */
export const DEVICE_ONLY_REASONS: ReadonlySet<string> = new Set([UNKNOWN_CONTENT, ENTITLEMENT_LOCKED]);
// Due = pending rows of the current learner; the partial index outbox_due_idx holds exactly these in (ts, id) order.
// One outbox per account: another account's rows wait, untouched, until it signs in again (see learner-id.ts).
const dueWhere = `${pendingWhere} AND waiting_for_account IS NULL`;

export interface OutboxQueries {
  /** The current account's next rows to send in queue order, bounded by count and by the bytes of their payloads (at least one row). */
  nextBatch(maxCount: number, maxBytes: number): QueuedRow[];
  /** When the head of the queue may be sent again (its backoff), or null when the queue is empty. */
  headDueAtMs(): number | null;
  /**
   * The server's answers for one batch, in one transaction: `delivered` rows are processed, `rejected` ones dead, and
   * `deviceOnly` ones (content the server never published, a LOCKED account's drills) stay on this device, with the
   * server's reason.
   */
  recordAnswers(
    delivered: readonly string[],
    rejected: ReadonlyArray<{ id: string; reason: string }>,
    deviceOnly: ReadonlyArray<{ id: string; reason: string }>,
    nowMs: number,
  ): void;
  markDead(rows: ReadonlyArray<{ id: string; reason: string }>, nowMs: number): void;
  /** Records a failed delivery of these rows; returns how many went to the dead letters for running out of attempts. */
  recordFailure(ids: readonly string[], failure: FailedDelivery): number;
  /** The current account's rows waiting to be sent. */
  pendingCount(): number;
  deadCount(): number;
  /** Rows kept on this device only: the server never published their content, or refused a LOCKED account's drills. */
  deviceOnlyCount(): number;
  deadLetters(limit?: number): DeadLetter[];
  /** Puts dead rows back at their place in the queue with a fresh attempt budget. */
  retryDead(ids: readonly string[]): number;
  /** Gives up on dead rows for good; they stay in the table as processed, for the record, until pruned. */
  discardDead(ids: readonly string[], nowMs: number): number;
  /** Deletes up to `limit` rows processed before `beforeUtcMs`, so the table does not grow forever. */
  pruneProcessed(beforeUtcMs: number, limit: number): number;
}

export function createOutboxQueries(sqlite: Sqlite): OutboxQueries {
  const head = sqlite.prepare(
    `SELECT id, table_name, row_id, payload, ts_utc_ms, attempt_count, next_attempt_utc_ms
       FROM outbox WHERE ${dueWhere} ORDER BY ts_utc_ms, id LIMIT ?`,
  );
  const headDue = sqlite
    .prepare(`SELECT next_attempt_utc_ms FROM outbox WHERE ${dueWhere} ORDER BY ts_utc_ms, id LIMIT 1`)
    .pluck();
  const delivered = sqlite.prepare(
    `UPDATE outbox SET processed = 1, processed_utc_ms = ?, last_error = NULL WHERE id = ? AND processed = 0`,
  );
  const dead = sqlite.prepare(
    `UPDATE outbox SET dead_utc_ms = ?, last_error = ?, attempt_count = attempt_count + 1 WHERE id = ? AND ${pendingWhere}`,
  );
  const failed = sqlite.prepare(
    `UPDATE outbox SET attempt_count = attempt_count + ?, next_attempt_utc_ms = ?, last_error = ?,
            dead_utc_ms = CASE WHEN attempt_count + ? >= ? THEN ? ELSE NULL END
      WHERE id = ? AND ${pendingWhere} RETURNING dead_utc_ms`,
  );
  const keptOnDevice = sqlite.prepare(
    `UPDATE outbox SET device_only_utc_ms = ?, last_error = ? WHERE id = ? AND ${pendingWhere}`,
  );
  const pending = sqlite.prepare(`SELECT count(*) FROM outbox WHERE ${dueWhere}`).pluck();
  const deviceOnlyTotal = sqlite
    .prepare('SELECT count(*) FROM outbox WHERE device_only_utc_ms IS NOT NULL AND processed = 0')
    .pluck();
  const deadTotal = sqlite.prepare('SELECT count(*) FROM outbox WHERE dead_utc_ms IS NOT NULL AND processed = 0').pluck();
  const deadList = sqlite.prepare(
    `SELECT id, table_name, row_id, last_error, attempt_count, ts_utc_ms, dead_utc_ms
       FROM outbox WHERE dead_utc_ms IS NOT NULL AND processed = 0 ORDER BY dead_utc_ms DESC, id LIMIT ?`,
  );
  const revive = sqlite.prepare(
    `UPDATE outbox SET dead_utc_ms = NULL, attempt_count = 0, next_attempt_utc_ms = 0
      WHERE id = ? AND dead_utc_ms IS NOT NULL AND processed = 0`,
  );
  const discard = sqlite.prepare(
    `UPDATE outbox SET processed = 1, processed_utc_ms = ? WHERE id = ? AND dead_utc_ms IS NOT NULL AND processed = 0`,
  );

  const prune = sqlite.prepare(
    `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE processed = 1 AND processed_utc_ms < ? LIMIT ?)`,
  );

  const markEachDead = (rows: ReadonlyArray<{ id: string; reason: string }>, nowMs: number) => {
    for (const row of rows) dead.run(nowMs, row.reason.slice(0, 2000), row.id);
  };
  const markDead = sqlite.transaction(markEachDead);
  // One commit (one fsync under synchronous=FULL) per answered batch, however its rows fared.
  const recordAnswers = sqlite.transaction(
    (
      ids: readonly string[],
      rejected: ReadonlyArray<{ id: string; reason: string }>,
      deviceOnly: ReadonlyArray<{ id: string; reason: string }>,
      nowMs: number,
    ) => {
      for (const id of ids) delivered.run(nowMs, id);
      markEachDead(rejected, nowMs);
      for (const row of deviceOnly) keptOnDevice.run(nowMs, row.reason, row.id);
    },
  );
  const recordFailure = sqlite.transaction((ids: readonly string[], f: FailedDelivery): number => {
    const increment = f.countsAsAttempt ? 1 : 0;
    let deadCount = 0;
    for (const id of ids) {
      const row = failed.get(increment, f.nextAttemptUtcMs, f.error.slice(0, 2000), increment, f.maxAttempts, f.nowMs, id) as
        | { dead_utc_ms: number | null }
        | undefined;
      if (row?.dead_utc_ms != null) deadCount++;
    }
    return deadCount;
  });
  const changeEach = (statement: (id: string) => number) =>
    sqlite.transaction((ids: readonly string[]) => ids.reduce((sum, id) => sum + statement(id), 0));
  const retryDead = changeEach((id) => revive.run(id).changes);

  return {
    nextBatch(maxCount, maxBytes) {
      const rows = head.all(maxCount) as QueuedRow[];
      let bytes = 0;
      for (let i = 0; i < rows.length; i++) {
        bytes += Buffer.byteLength(rows[i]!.payload) + 200;
        if (bytes > maxBytes && i > 0) return rows.slice(0, i);
      }
      return rows;
    },
    headDueAtMs: () => (headDue.get() as number | undefined) ?? null,
    recordAnswers: (ids, rejected, deviceOnly, nowMs) => recordAnswers(ids, rejected, deviceOnly, nowMs),
    markDead: (rows, nowMs) => markDead(rows, nowMs),
    recordFailure: (ids, failure) => recordFailure(ids, failure),
    pendingCount: () => pending.get() as number,
    deadCount: () => deadTotal.get() as number,
    deviceOnlyCount: () => deviceOnlyTotal.get() as number,
    deadLetters(limit = 1000) {
      const rows = deadList.all(limit) as Array<{
        id: string;
        table_name: string;
        row_id: string;
        last_error: string | null;
        attempt_count: number;
        ts_utc_ms: number;
        dead_utc_ms: number;
      }>;
      return rows.map((r) => ({
        id: r.id,
        tableName: r.table_name,
        rowId: r.row_id,
        lastError: r.last_error,
        attemptCount: r.attempt_count,
        tsUtcMs: r.ts_utc_ms,
        deadUtcMs: r.dead_utc_ms,
      }));
    },
    retryDead: (ids) => retryDead(ids),
    discardDead: (ids, nowMs) => changeEach((id) => discard.run(nowMs, id).changes)(ids),
    pruneProcessed: (beforeUtcMs, limit) => prune.run(beforeUtcMs, limit).changes,
  };
}

/**
 * Puts the current account's rows kept on this device for `reason` back in the queue, at their place, with a fresh
 * attempt budget: once an entitlement is granted, drills the server refused as `locked` go up after all.
 * Returns how many rows were queued again.
 */
export function requeueDeviceOnly(sqlite: Sqlite, reason: string): number {
  return sqlite
    .prepare(
      `UPDATE outbox SET device_only_utc_ms = NULL, last_error = NULL, attempt_count = 0, next_attempt_utc_ms = 0
        WHERE device_only_utc_ms IS NOT NULL AND processed = 0 AND waiting_for_account IS NULL AND last_error = ?`,
    )
    .run(reason).changes;
}
