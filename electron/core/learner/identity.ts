/**
 * The learner this device records events for: a local UUID until sign-in, then the server's user id.
 * Reading never creates it: only the first learner write does, so a device that never studied has no learner.
 */
import type { Sqlite } from '../db/open';
import { uuidv4 } from '../ids';

export const LEARNER_ID_KEY = 'learner_id';

/** The current learner's id, or null before the first learner write or sign-in. */
export function currentLearnerId(sqlite: Sqlite): string | null {
  const value = sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').pluck().get(LEARNER_ID_KEY) as string | undefined;
  return value ?? null;
}

/** The current learner's id, created (a local UUID) when there is none yet; call it inside the write's transaction. */
export function ensureLearnerId(sqlite: Sqlite, nowMs: number): string {
  const existing = currentLearnerId(sqlite);
  if (existing !== null) return existing;
  // INSERT OR IGNORE + re-read: another connection may have created it first.
  sqlite
    .prepare('INSERT OR IGNORE INTO sync_state (key, value, updated_utc_ms) VALUES (?, ?, ?)')
    .run(LEARNER_ID_KEY, uuidv4(), nowMs);
  return currentLearnerId(sqlite)!;
}
