/**
 * The learner's profile row: XP, level and streak. Practice, drills and the tutor record activity through
 * `recordActivity`, so every feature awards XP and extends the streak the same way, with the same outbox row.
 */
import type { ProfileSummary } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import type { OutboxWriter } from '../sync/outbox-writer';
import type { LocalRow } from '../sync/registry';
import { extendStreak } from './streak';
import { awardXp, levelOf } from './xp';

export type ProfileRow = LocalRow<'profile'>;

export interface LearnerActivity {
  userId: string;
  nowMs: number;
  /** The learner's IANA time zone now, and the hour their study day starts: streak days are their study days. */
  timeZone: string;
  rolloverHour: number;
  xpEarned: number;
}

/** The profile after one activity: XP awarded, streak extended, the first activity creating the row. */
export function profileAfter(previous: ProfileRow | undefined, activity: LearnerActivity): ProfileRow {
  const streak = extendStreak(
    { count: previous?.streak_count ?? 0, lastActiveDay: previous?.last_active_day ?? null },
    activity.nowMs,
    activity.timeZone,
    activity.rolloverHour,
  );
  return {
    user_id: activity.userId,
    display_name: previous?.display_name ?? null,
    xp: awardXp(previous?.xp ?? 0, activity.xpEarned),
    streak_count: streak.count,
    last_active_day: streak.lastActiveDay,
    last_active_utc_ms: activity.nowMs,
    created_utc_ms: previous?.created_utc_ms ?? activity.nowMs,
    updated_utc_ms: activity.nowMs,
  };
}

export function profileSummary(row: ProfileRow | undefined): ProfileSummary {
  const xp = row?.xp ?? 0;
  return { xp, level: levelOf(xp), streak: row?.streak_count ?? 0, lastActiveUtcMs: row?.last_active_utc_ms ?? null };
}

export interface LearnerProfile {
  get(userId: string | null): ProfileRow | undefined;
  /** Records one activity and queues the new profile; call it inside the learner write's transaction. */
  recordActivity(activity: LearnerActivity): ProfileRow;
}

export function createLearnerProfile(sqlite: Sqlite, outbox: OutboxWriter): LearnerProfile {
  const select = sqlite.prepare('SELECT * FROM profile WHERE user_id = ?');
  const upsert = sqlite.prepare(
    `INSERT INTO profile (user_id, display_name, xp, streak_count, last_active_day, last_active_utc_ms, created_utc_ms, updated_utc_ms)
     VALUES (@user_id, @display_name, @xp, @streak_count, @last_active_day, @last_active_utc_ms, @created_utc_ms, @updated_utc_ms)
     ON CONFLICT (user_id) DO UPDATE SET xp = excluded.xp, streak_count = excluded.streak_count,
       last_active_day = excluded.last_active_day, last_active_utc_ms = excluded.last_active_utc_ms, updated_utc_ms = excluded.updated_utc_ms`,
  );
  const get = (userId: string | null) => (userId === null ? undefined : (select.get(userId) as ProfileRow | undefined));
  return {
    get,
    recordActivity(activity) {
      const next = profileAfter(get(activity.userId), activity);
      upsert.run(next);
      outbox.enqueue('profile', next, activity.nowMs);
      return next;
    },
  };
}
