/**
 * Merges rows of the synced tables that came back from the server into the local database, by each table's merge
 * policy in the registry: the same rules the server applies (sync_rpc.sql), so devices and server converge.
 */
import type { Sqlite } from '../db/open';
import { columnNames, tableSpec, type LocalRow, type MergePolicy, type SyncedTable } from './registry';

// The drill session's status order, as sync_drill_status_rank has it on the server.
const drillStatusRank = (value: string) =>
  `(CASE ${value} WHEN 'STARTED' THEN 1 WHEN 'SUBMITTED' THEN 2 WHEN 'PROCESSING' THEN 3 WHEN 'COMPLETED' THEN 4 WHEN 'FAILED' THEN 5 ELSE 0 END)`;
// SQLite's two-argument max() and min() return NULL if either is NULL: keep the known value instead.
const greatest = (column: string) => `max(coalesce(${column}, excluded.${column}), coalesce(excluded.${column}, ${column}))`;
const latestKnown = (column: string) => `${column} = coalesce(excluded.${column}, ${column})`;
const newerActivity = 'coalesce(excluded.last_active_utc_ms, -1) > coalesce(last_active_utc_ms, -1)';

/** The upsert action of each policy; `columns` are the non-key columns. Every policy must be handled here. */
const onConflict: Record<MergePolicy, (columns: string[]) => string> = {
  insert_once: () => 'DO NOTHING',
  replace: (columns) => `DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
  latest_wins: (columns) =>
    `DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')} WHERE excluded.updated_utc_ms >= updated_utc_ms`,
  session_span: () =>
    `DO UPDATE SET skill_id = coalesce(excluded.skill_id, skill_id), mode = excluded.mode,
       started_utc_ms = min(started_utc_ms, excluded.started_utc_ms), ended_utc_ms = ${greatest('ended_utc_ms')},
       ${latestKnown('score')}, ${latestKnown('meta')}`,
  max_wins_progress: () =>
    `DO UPDATE SET ${['progress', 'mastered_count', 'attempt_count', 'correct_count', 'last_attempt_ts', 'updated_utc_ms']
      .map((c) => `${c} = max(${c}, excluded.${c})`)
      .join(', ')}`,
  profile: () =>
    `DO UPDATE SET
       display_name = CASE WHEN excluded.updated_utc_ms >= updated_utc_ms THEN coalesce(excluded.display_name, display_name) ELSE display_name END,
       xp = max(xp, excluded.xp),
       streak_count = CASE WHEN ${newerActivity} THEN excluded.streak_count
         WHEN excluded.last_active_utc_ms = last_active_utc_ms THEN max(streak_count, excluded.streak_count) ELSE streak_count END,
       last_active_day = CASE WHEN ${newerActivity} THEN excluded.last_active_day ELSE last_active_day END,
       last_active_utc_ms = ${greatest('last_active_utc_ms')},
       created_utc_ms = min(created_utc_ms, excluded.created_utc_ms),
       updated_utc_ms = max(updated_utc_ms, excluded.updated_utc_ms)`,
  // The latest review's state wins whole (sync_apply_memory_states on the server): a row value comparison.
  newest_review: (columns) =>
    `DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}
       WHERE (excluded.last_review_utc_ms, excluded.reps, excluded.updated_utc_ms) > (last_review_utc_ms, reps, updated_utc_ms)`,
  // As the server merges: the newer state's values win, an older one fills only what is missing. A session that ended
  // here (COMPLETED or FAILED) never changes (migration 0010's trigger refuses it): the server's copy of it may differ
  // only in how its JSON is written (jsonb reorders keys).
  drill_status_rank: () => {
    const newer = `${drillStatusRank('excluded.status')} >= ${drillStatusRank('status')}`;
    const keep = (c: string) => `${c} = CASE WHEN ${newer} THEN coalesce(excluded.${c}, ${c}) ELSE coalesce(${c}, excluded.${c}) END`;
    return `DO UPDATE SET
       status = CASE WHEN ${newer} THEN excluded.status ELSE status END,
       ${['submitted_utc_ms', 'completed_utc_ms', 'processing_time_ms', 'metadata'].map(keep).join(', ')}
     WHERE status NOT IN ('COMPLETED', 'FAILED')`;
  },
};

/** Returns `merge(rows)` for one table: upserts the rows by the table's policy (the caller holds the transaction). */
export function createLocalMerge<T extends SyncedTable>(sqlite: Sqlite, table: T): (rows: ReadonlyArray<LocalRow<T>>) => void {
  const spec = tableSpec(table);
  const columns = columnNames(table);
  const keys = [[spec.rowIdColumn], ...(spec.conflictColumns ? [spec.conflictColumns] : [])];
  const keyColumns = new Set(keys.flat());
  const action = onConflict[spec.merge](columns.filter((c) => !keyColumns.has(c)));
  // insert_once ignores any uniqueness conflict (an attempt is also unique by user, question and time).
  const conflicts = spec.merge === 'insert_once' ? 'ON CONFLICT DO NOTHING' : keys.map((k) => `ON CONFLICT (${k.join(', ')}) ${action}`).join(' ');
  const upsert = sqlite.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')}) ${conflicts}`,
  );
  return (rows) => {
    for (const row of rows) upsert.run(row);
  };
}
