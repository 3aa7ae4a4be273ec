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
  const latestTs = sqlite
    .prepare('SELECT MAX(ts_utc_ms) AS ts FROM outbox WHERE table_name = ? AND row_id = ?')
    .pluck();
  return {
    enqueue(table, rowId, row, nowMs) {
      // (table_name, row_id, ts_utc_ms) is unique: two snapshots of one row within a millisecond get consecutive ts.
      const previous = latestTs.get(table, rowId) as number | null;
      const ts = previous !== null && previous >= nowMs ? previous + 1 : nowMs;
      const id = uuidv7(ts);
      insert.run(id, table, rowId, JSON.stringify(row), ts);
      return id;
    },
  };
}
