/** The daily streak, counted in calendar days of the learner's time zone. */
import { daysBetween, localDay } from './calendar';

export interface Streak {
  count: number;
  /** `YYYY-MM-DD` of the last active day in the learner's zone at the time, or null before any activity. */
  lastActiveDay: string | null;
}

/** The streak after activity at `nowMs`: the next day extends it, a missed day restarts it, the same day keeps it. */
export function extendStreak(previous: Streak, nowMs: number, timeZone: string): Streak {
  const today = localDay(nowMs, timeZone);
  if (previous.lastActiveDay === null) return { count: 1, lastActiveDay: today };
  const gap = daysBetween(previous.lastActiveDay, today);
  // A negative gap means the zone moved backwards across midnight: keep the streak and the later day.
  if (gap < 0) return { count: Math.max(previous.count, 1), lastActiveDay: previous.lastActiveDay };
  if (gap === 0) return { count: Math.max(previous.count, 1), lastActiveDay: today };
  return { count: gap === 1 ? previous.count + 1 : 1, lastActiveDay: today };
}
