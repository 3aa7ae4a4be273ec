/**
 * The learner's settings with the real SQLite: the ones that follow the learner are written to the synced user_settings
 * row with its outbox snapshot, device-only ones are not, and a newer row from another device wins (an older one not).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/open';
import { createLearnerSettings } from '../../electron/core/learner/user-settings';
import { createOutboxWriter } from '../../electron/core/sync/outbox-writer';
import { createLocalMerge } from '../../electron/core/sync/local-merge';
import type { LocalRow } from '../../electron/core/sync/registry';
import { memorySettings } from '../sync/client/helpers';
import { ManualClock } from '../helpers/clock';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 10, 2, 9));
  const { sqlite } = openDatabase(join(tempDir(), 'settings.sqlite'), { nowMs: clock.now() });
  const host = memorySettings();
  let writes = 0;
  const settings = createLearnerSettings(sqlite, host, createOutboxWriter(sqlite), clock, () => writes++);
  const queued = () => sqlite.prepare("SELECT payload FROM outbox WHERE table_name = 'user_settings' ORDER BY ts_utc_ms, id").pluck().all() as string[];
  return { clock, sqlite, host, settings, queued, writes: () => writes };
}

describe("the learner's settings", () => {
  it('syncs the settings that follow the learner, and keeps device-only ones on the device', () => {
    const t = setup();
    t.settings.set({ singleKeyShortcuts: false, welcomeDismissed: true });
    expect(t.queued()).toEqual([]);
    expect(t.settings.get()).toMatchObject({ singleKeyShortcuts: false, welcomeDismissed: true });

    t.clock.advance(1000);
    const saved = t.settings.set({ theme: 'dark', rolloverHour: 6, desiredRetention: 0.85, dailyReviewLimit: 40 });
    expect(saved).toMatchObject({ theme: 'dark', rolloverHour: 6, desiredRetention: 0.85, dailyReviewLimit: 40, singleKeyShortcuts: false });
    expect(t.writes()).toBe(1);
    const row = t.sqlite.prepare('SELECT * FROM user_settings').get() as LocalRow<'user_settings'>;
    expect(row).toMatchObject({ app_theme: 'dark', rollover_hour: 6, desired_retention: 0.85, daily_review_limit: 40, time_zone: 'UTC' });
    expect(t.queued().map((p) => JSON.parse(p) as Record<string, unknown>)).toEqual([{ ...row, prefers_assistive_learning: false }]);
    // Saving the same values again queues nothing new.
    t.settings.set({ theme: 'dark' });
    expect(t.queued()).toHaveLength(1);
  });

  it("takes another device's newer settings, not its older ones", () => {
    const t = setup();
    t.settings.set({ theme: 'dark' });
    const row = t.sqlite.prepare('SELECT * FROM user_settings').get() as LocalRow<'user_settings'>;
    const merge = createLocalMerge(t.sqlite, 'user_settings');
    t.sqlite.transaction(() => merge([{ ...row, app_theme: 'light', time_zone: 'Asia/Tokyo', updated_utc_ms: row.updated_utc_ms - 1 }]))();
    expect(t.settings.get()).toMatchObject({ theme: 'dark', timeZone: 'UTC' });
    t.sqlite.transaction(() => merge([{ ...row, app_theme: 'high-contrast', time_zone: 'Asia/Tokyo', rollover_hour: 2, updated_utc_ms: row.updated_utc_ms + 1 }]))();
    expect(t.settings.get()).toMatchObject({ theme: 'high-contrast', timeZone: 'Asia/Tokyo', rolloverHour: 2 });
    // The device's host store still has its own copy (used before any learner exists on a device).
    expect(t.host.get().theme).toBe('dark');
  });
});
