/** The sync_state key/value table: cursors, content version, last sync time. */
import type { Sqlite } from '../db/open';

export interface SyncStateStore {
  get(key: string): string | null;
  getNumber(key: string): number | null;
  set(key: string, value: string, nowMs: number): void;
  delete(key: string): void;
}

export function createSyncStateStore(sqlite: Sqlite): SyncStateStore {
  const get = sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').pluck();
  const set = sqlite.prepare(
    `INSERT INTO sync_state (key, value, updated_utc_ms) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_utc_ms = excluded.updated_utc_ms`,
  );
  const remove = sqlite.prepare('DELETE FROM sync_state WHERE key = ?');
  const read = (key: string) => (get.get(key) as string | undefined) ?? null;
  return {
    get: read,
    getNumber(key) {
      const raw = read(key);
      return raw === null ? null : Number(raw);
    },
    set: (key, value, nowMs) => void set.run(key, value, nowMs),
    delete: (key) => void remove.run(key),
  };
}
