/** The learner this device records events for: a local UUID until sign-in, then the server's user id. */
import { uuidv4 } from '../ids';
import type { Sqlite } from '../db/open';

export const LEARNER_ID_KEY = 'learner_id';

export function learnerId(sqlite: Sqlite, nowMs: number): string {
  const row = sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').get(LEARNER_ID_KEY) as { value: string } | undefined;
  if (row) return row.value;
  const id = uuidv4();
  // INSERT OR IGNORE + re-read: another connection may have created it first.
  sqlite
    .prepare('INSERT OR IGNORE INTO sync_state (key, value, updated_utc_ms) VALUES (?, ?, ?)')
    .run(LEARNER_ID_KEY, id, nowMs);
  return (sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').get(LEARNER_ID_KEY) as { value: string }).value;
}
