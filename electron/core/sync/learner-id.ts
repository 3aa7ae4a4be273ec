/** On sign-in, makes the server's user id the learner id: local history recorded before sign-in becomes that user's. */
import type { Sqlite } from '../db/open';
import { LEARNER_ID_KEY } from '../learner/identity';
import { userColumns } from './registry';

/** 'server' once the learner id came from a sign-in; absent while it is the local id made on first use. */
export const LEARNER_ID_ORIGIN_KEY = 'learner_id_origin';

export interface LearnerIdChange {
  previousId: string | null;
  /** Local rows (and queued outbox payloads) moved from the local id to the server's. */
  rewrittenRows: number;
}

/**
 * Sets the learner id to `userId` in one transaction. Only a local (never signed-in) id has its rows and queued outbox
 * rows rewritten: another account's history and queue on this device stay that account's, its queued rows wait
 * (`outbox.waiting_for_account`) and become due again when it signs in again.
 */
export function adoptServerLearnerId(sqlite: Sqlite, userId: string, nowMs: number): LearnerIdChange {
  const getState = sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').pluck();
  const setState = sqlite.prepare(
    `INSERT INTO sync_state (key, value, updated_utc_ms) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_utc_ms = excluded.updated_utc_ms`,
  );
  return sqlite.transaction((): LearnerIdChange => {
    const previousId = (getState.get(LEARNER_ID_KEY) as string | undefined) ?? null;
    const origin = getState.get(LEARNER_ID_ORIGIN_KEY) as string | undefined;
    let rewrittenRows = 0;
    if (previousId !== null && previousId !== userId && origin === 'server') {
      // Another account used this device: its queued rows wait for it, neither sent under this one nor dead.
      sqlite.prepare('UPDATE outbox SET waiting_for_account = ? WHERE processed = 0 AND waiting_for_account IS NULL').run(previousId);
    } else if (previousId !== null && previousId !== userId) {
      for (const { table, userColumn, rowIdColumn } of userColumns()) {
        // OR IGNORE: a row keyed by the user (the profile) that the account already has here stays as it is; the
        // local one still merges into the account's on the server through its rewritten outbox rows.
        rewrittenRows += sqlite
          .prepare(`UPDATE OR IGNORE ${table} SET ${userColumn} = ? WHERE ${userColumn} = ?`)
          .run(userId, previousId).changes;
        rewrittenRows += sqlite
          .prepare(
            `UPDATE outbox SET payload = json_set(payload, '$.${userColumn}', ?)${rowIdColumn === userColumn ? ', row_id = ?' : ''}
              WHERE processed = 0 AND table_name = ? AND json_valid(payload) AND json_extract(payload, '$.${userColumn}') = ?`,
          )
          .run(...(rowIdColumn === userColumn ? [userId, userId] : [userId]), table, previousId).changes;
      }
    }
    // This account's rows queued while another one was signed in are due again.
    sqlite.prepare('UPDATE outbox SET waiting_for_account = NULL WHERE waiting_for_account = ?').run(userId);
    setState.run(LEARNER_ID_KEY, userId, nowMs);
    setState.run(LEARNER_ID_ORIGIN_KEY, 'server', nowMs);
    return { previousId, rewrittenRows };
  })();
}
