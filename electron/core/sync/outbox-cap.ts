/**
 * The outbox cap (sync seed: configurable, so local storage cannot run away). Near the cap, queued snapshots of the
 * same row collapse to the newest; insert-once events are never dropped, so the queue may pass the cap with them,
 * and the Sync screen warns (status.outboxNearLimit).
 */
import type { Sqlite } from '../db/open';
import { pendingWhere } from './outbox';
import { syncedTableNames, tableSpec } from './registry';

export interface OutboxCap {
  /** Queued rows this device aims to stay under. */
  limit: number;
  /** Share of the limit at which the queue is compacted and the Sync screen warns. */
  warnAtShare: number;
}

export const defaultOutboxCap: OutboxCap = { limit: 50_000, warnAtShare: 0.8 };

export const isNearLimit = (pending: number, cap: OutboxCap): boolean => pending >= cap.limit * cap.warnAtShare;

/** Tables whose queued rows are full snapshots of a mutable row: only the newest matters to the server's merge. */
const collapsibleTables = syncedTableNames.filter((name) => tableSpec(name).merge !== 'insert_once');

/** Rows deleted per transaction while compacting. */
const GROUPS_PER_TRANSACTION = 500;

export function createOutboxCompactor(sqlite: Sqlite, cap: OutboxCap): { compactIfNearLimit(): number } {
  const tableList = collapsibleTables.map((t) => `'${t}'`).join(', ');
  const pending = sqlite.prepare(`SELECT count(*) FROM outbox WHERE ${pendingWhere}`).pluck();
  const duplicated = sqlite.prepare(
    `SELECT table_name, row_id FROM outbox WHERE ${pendingWhere} AND table_name IN (${tableList})
      GROUP BY table_name, row_id HAVING count(*) > 1`,
  );
  const snapshots = sqlite
    .prepare(`SELECT id FROM outbox WHERE ${pendingWhere} AND table_name = ? AND row_id = ? ORDER BY ts_utc_ms, id`)
    .pluck();
  const firstTs = sqlite
    .prepare(`SELECT min(ts_utc_ms) FROM outbox WHERE ${pendingWhere} AND table_name = ? AND row_id = ?`)
    .pluck();
  const moveTo = sqlite.prepare('UPDATE outbox SET ts_utc_ms = ? WHERE id = ?');
  const remove = sqlite.prepare(`DELETE FROM outbox WHERE id = ? AND ${pendingWhere}`);

  // The newest snapshot keeps its own id (a fresh idempotency key: an older one may already be on the server) and
  // takes the oldest one's place in the queue, so a parent still goes before the children queued after it.
  const collapse = sqlite.transaction((groups: ReadonlyArray<{ table_name: string; row_id: string }>): number => {
    let removed = 0;
    for (const group of groups) {
      const ids = snapshots.all(group.table_name, group.row_id) as string[];
      const newest = ids.pop();
      if (newest === undefined || ids.length === 0) continue;
      moveTo.run(firstTs.get(group.table_name, group.row_id), newest);
      for (const id of ids) removed += remove.run(id).changes;
    }
    return removed;
  });

  return {
    compactIfNearLimit() {
      if (!isNearLimit(pending.get() as number, cap)) return 0;
      const groups = duplicated.all() as Array<{ table_name: string; row_id: string }>;
      let removed = 0;
      for (let i = 0; i < groups.length; i += GROUPS_PER_TRANSACTION) removed += collapse(groups.slice(i, i + GROUPS_PER_TRANSACTION));
      return removed;
    },
  };
}
