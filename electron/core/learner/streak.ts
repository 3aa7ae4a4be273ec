/** The daily streak, counted in study days of the learner's time zone (days that start at the rollover hour). */
import { daysBetween, studyDay } from './calendar';

export interface Streak {
  count: number;
  /** `YYYY-MM-DD` of the last active study day in the learner's zone at the time, or null before any activity. */
  lastActiveDay: string | null;
}

/** The streak after activity at `nowMs`: the next day extends it, a missed day restarts it, the same day keeps it. */
export function extendStreak(previous: Streak, nowMs: number, timeZone: string, rolloverHour: number): Streak {
  const today = studyDay(nowMs, timeZone, rolloverHour);
  if (previous.lastActiveDay === null) return { count: 1, lastActiveDay: today };
  const gap = daysBetween(previous.lastActiveDay, today);
  // A negative gap means the zone moved backwards across midnight: keep the streak and the later day.
  if (gap < 0) return { count: Math.max(previous.count, 1), lastActiveDay: previous.lastActiveDay };
  if (gap === 0) return { count: Math.max(previous.count, 1), lastActiveDay: today };
  return { count: gap === 1 ? previous.count + 1 : 1, lastActiveDay: today };
}

/** The streak as it stands at `nowMs`: kept while the last active study day is today or yesterday, else 0. */
export function currentStreak(streak: Streak, nowMs: number, timeZone: string, rolloverHour: number): number {
  if (streak.lastActiveDay === null) return 0;
  return daysBetween(streak.lastActiveDay, studyDay(nowMs, timeZone, rolloverHour)) <= 1 ? streak.count : 0;
}
