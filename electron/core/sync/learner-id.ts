/** On sign-in, makes the server's user id the learner id: local history recorded before sign-in becomes that user's. */
import type { Sqlite } from '../db/open';
import { LEARNER_ID_KEY } from '../practice/learner';

/** 'server' once the learner id came from a sign-in; absent while it is the local id made on first use. */
export const LEARNER_ID_ORIGIN_KEY = 'learner_id_origin';

const tablesWithUserId = ['sessions', 'attempts', 'skill_progress', 'chat_sessions', 'drill_sessions'] as const;

export interface LearnerIdChange {
  previousId: string | null;
  /** Local rows (and pending outbox payloads) moved from the local id to the server's. */
  rewrittenRows: number;
}

/**
 * Sets the learner id to `userId` in one transaction. Only a local (never signed-in) id has its rows and pending outbox
 * payloads rewritten: history of another account that used this device is never handed to the new one.
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
    if (previousId !== null && previousId !== userId && origin !== 'server') {
      for (const table of tablesWithUserId) {
        rewrittenRows += sqlite.prepare(`UPDATE ${table} SET user_id = ? WHERE user_id = ?`).run(userId, previousId).changes;
      }
      // The profile is keyed by user id; if the account already has one here, the local one merges into it on the server.
      const accountProfile = sqlite.prepare('SELECT 1 FROM profile WHERE user_id = ?').get(userId);
      if (!accountProfile) {
        rewrittenRows += sqlite.prepare('UPDATE profile SET user_id = ? WHERE user_id = ?').run(userId, previousId).changes;
      }
      rewrittenRows += sqlite
        .prepare(
          `UPDATE outbox SET payload = json_set(payload, '$.user_id', ?)
            WHERE processed = 0 AND json_valid(payload) AND json_extract(payload, '$.user_id') = ?`,
        )
        .run(userId, previousId).changes;
      sqlite
        .prepare(`UPDATE outbox SET row_id = ? WHERE processed = 0 AND table_name = 'profile' AND row_id = ?`)
        .run(userId, previousId);
    }
    setState.run(LEARNER_ID_KEY, userId, nowMs);
    setState.run(LEARNER_ID_ORIGIN_KEY, 'server', nowMs);
    return { previousId, rewrittenRows };
  })();
}
