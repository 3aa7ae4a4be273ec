/** Writes the outbox row that describes a learner change; always called inside that change's transaction. */
import type { Sqlite } from '../db/open';
import { uuidv7 } from '../ids';

export type SyncedTable =
  | 'sessions'
  | 'attempts'
  | 'skill_progress'
  | 'profile'
  | 'chat_sessions'
  | 'chat_messages'
  | 'drill_sessions'
  | 'drill_responses'
  | 'evaluation_results';

export interface OutboxWriter {
  /** Queues the full row snapshot; the server applies it as an idempotent upsert by id. */
  enqueue(table: SyncedTable, rowId: string, row: Record<string, unknown>, nowMs: number): string;
}

export function createOutboxWriter(sqlite: Sqlite): OutboxWriter {
  const insert = sqlite.prepare(
    'INSERT INTO outbox (id, table_name, row_id, payload, ts_utc_ms) VALUES (?, ?, ?, ?, ?)',
  );
  return {
    enqueue(table, rowId, row, nowMs) {
      // The id is time-ordered and monotonic, so (ts_utc_ms, id) keeps snapshots of one row in write order.
      const id = uuidv7(nowMs);
      insert.run(id, table, rowId, JSON.stringify(row), nowMs);
      return id;
    },
  };
}
