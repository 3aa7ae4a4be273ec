/** Writes the outbox row that describes a learner change; always called inside that change's transaction. */
import type { Sqlite } from '../db/open';
import { uuidv7 } from '../ids';
import { LEARNER_ID_KEY } from '../learner/identity';
import { rowIdOf, syncedTables, tableSpec, toServerRow, type LocalRow, type SyncedTable } from './registry';

/** A table whose rows name their learner needs nothing more; a child table's row is queued for an explicit account. */
type AccountArgs<T extends SyncedTable> = (typeof syncedTables)[T]['owner'] extends { userColumn: string }
  ? []
  : [accountId: string];

export interface OutboxWriter {
  /**
   * Queues the full row snapshot, in the server's shape, for the account that owns it; the server applies it as an
   * idempotent upsert by row id.
   */
  enqueue<T extends SyncedTable>(table: T, row: LocalRow<T>, nowMs: number, ...account: AccountArgs<T>): string;
}

export function createOutboxWriter(sqlite: Sqlite): OutboxWriter {
  const insert = sqlite.prepare(
    `INSERT INTO outbox (id, table_name, row_id, payload, ts_utc_ms, waiting_for_account)
     VALUES (@id, @table, @rowId, @payload, @ts, CASE WHEN @account IS (SELECT value FROM sync_state WHERE key = '${LEARNER_ID_KEY}') THEN NULL ELSE @account END)`,
  );
  return {
    enqueue(table, row, nowMs, ...account) {
      const owner = tableSpec(table).owner;
      const accountId = 'userColumn' in owner ? String((row as Record<string, unknown>)[owner.userColumn]) : account[0]!;
      // The id is time-ordered and monotonic, so (ts_utc_ms, id) keeps snapshots of one row in write order.
      const id = uuidv7(nowMs);
      // A row of the current learner is due at once; another account's (an old session still open) waits for it.
      insert.run({ id, table, rowId: rowIdOf(table, row), payload: JSON.stringify(toServerRow(table, row)), ts: nowMs, account: accountId });
      return id;
    },
  };
}
