/**
 * The learner's settings as core reads and writes them: the host's store for everything, with the settings that follow
 * the learner (the blueprint's user_settings: theme, assistive mode, time zone, rollover hour, desired retention, daily
 * limit) also kept in the synced user_settings row, which wins when present (it may come from another device).
 * Device-only settings (single-key shortcuts, the welcome, window bounds, the sync server, provider keys) stay local.
 */
import type { Settings } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import type { Clock, SettingsStore } from '../ports';
import type { OutboxWriter } from '../sync/outbox-writer';
import type { LocalRow } from '../sync/registry';
import { currentLearnerId, ensureLearnerId } from './identity';

type UserSettingsRow = LocalRow<'user_settings'>;
type SyncedSetting = 'theme' | 'assistiveMode' | 'timeZone' | 'rolloverHour' | 'desiredRetention' | 'dailyReviewLimit';
const syncedSettings: readonly SyncedSetting[] = ['theme', 'assistiveMode', 'timeZone', 'rolloverHour', 'desiredRetention', 'dailyReviewLimit'];

function fromRow(row: UserSettingsRow): Pick<Settings, SyncedSetting> {
  return {
    theme: row.app_theme as Settings['theme'],
    assistiveMode: row.prefers_assistive_learning === 1,
    timeZone: row.time_zone,
    rolloverHour: row.rollover_hour,
    desiredRetention: row.desired_retention,
    dailyReviewLimit: row.daily_review_limit,
  };
}

/** `afterWrite` runs after the synced row was written and queued (the app schedules a push with it). */
export function createLearnerSettings(
  sqlite: Sqlite,
  host: SettingsStore,
  outbox: OutboxWriter,
  clock: Clock,
  afterWrite: () => void,
): SettingsStore {
  const select = sqlite.prepare('SELECT * FROM user_settings WHERE user_id = ?');
  const upsert = sqlite.prepare(
    `INSERT INTO user_settings (user_id, app_theme, prefers_assistive_learning, time_zone, rollover_hour, desired_retention,
       daily_review_limit, created_utc_ms, updated_utc_ms)
     VALUES (@user_id, @app_theme, @prefers_assistive_learning, @time_zone, @rollover_hour, @desired_retention,
       @daily_review_limit, @created_utc_ms, @updated_utc_ms)
     ON CONFLICT (user_id) DO UPDATE SET app_theme = excluded.app_theme,
       prefers_assistive_learning = excluded.prefers_assistive_learning, time_zone = excluded.time_zone,
       rollover_hour = excluded.rollover_hour, desired_retention = excluded.desired_retention,
       daily_review_limit = excluded.daily_review_limit, updated_utc_ms = excluded.updated_utc_ms`,
  );
  const row = (userId: string | null) => (userId === null ? undefined : (select.get(userId) as UserSettingsRow | undefined));
  const get = (): Settings => {
    const synced = row(currentLearnerId(sqlite));
    return synced ? { ...host.get(), ...fromRow(synced) } : host.get();
  };
  const write = sqlite.transaction((settings: Settings, nowMs: number) => {
    const userId = ensureLearnerId(sqlite, nowMs);
    const next: UserSettingsRow = {
      user_id: userId,
      app_theme: settings.theme,
      prefers_assistive_learning: settings.assistiveMode ? 1 : 0,
      time_zone: settings.timeZone,
      rollover_hour: settings.rolloverHour,
      desired_retention: settings.desiredRetention,
      daily_review_limit: settings.dailyReviewLimit,
      created_utc_ms: row(userId)?.created_utc_ms ?? nowMs,
      updated_utc_ms: nowMs,
    };
    upsert.run(next);
    outbox.enqueue('user_settings', next, nowMs);
  });

  return {
    get,
    set(patch) {
      // The host keeps every setting (so a device that never synced has them all); the synced row follows the learner.
      const before = get();
      host.set(patch);
      const settings = { ...before, ...patch };
      if (syncedSettings.some((name) => patch[name] !== undefined && patch[name] !== before[name])) {
        write.immediate(settings, clock.now());
        afterWrite();
      }
      return get();
    },
    getValue: (key) => host.getValue(key),
    setValue: (key, value) => host.setValue(key, value),
  };
}
