import { describe, expect, it } from 'vitest';
import { currentLearnerId, ensureLearnerId } from '../../electron/core/learner/identity';
import { studyDay, studyDayBounds } from '../../electron/core/learner/calendar';
import { profileAfter } from '../../electron/core/learner/profile';
import { extendStreak } from '../../electron/core/learner/streak';
import { awardXp, levelOf, xpForAnswer, XP_PER_LEVEL } from '../../electron/core/learner/xp';
import { openDatabase } from '../../electron/core/db/open';
import { useTempDirs } from '../helpers/temp';
import { join } from 'node:path';

const tempDir = useTempDirs();

describe('the learner', () => {
  it('extends the streak by calendar days of the learner time zone', () => {
    const lateUtc = Date.UTC(2026, 10, 2, 23, 30); // Nov 2 in UTC, Nov 3 in Tokyo
    expect(extendStreak({ count: 4, lastActiveDay: '2026-11-02' }, lateUtc, 'UTC', 0)).toEqual({ count: 4, lastActiveDay: '2026-11-02' });
    expect(extendStreak({ count: 4, lastActiveDay: '2026-11-02' }, lateUtc, 'Asia/Tokyo', 0)).toEqual({ count: 5, lastActiveDay: '2026-11-03' });
    expect(extendStreak({ count: 4, lastActiveDay: '2026-10-30' }, lateUtc, 'UTC', 0)).toEqual({ count: 1, lastActiveDay: '2026-11-02' });
    expect(extendStreak({ count: 0, lastActiveDay: null }, lateUtc, 'UTC', 0)).toEqual({ count: 1, lastActiveDay: '2026-11-02' });
    // Travelling west across midnight: the day already counted stays, and so does the streak.
    expect(extendStreak({ count: 3, lastActiveDay: '2026-11-03' }, lateUtc, 'America/New_York', 0)).toEqual({ count: 3, lastActiveDay: '2026-11-03' });
  });

  it('counts streak days in study days that start at the rollover hour', () => {
    // 01:30 in Paris on Nov 3 (00:30 UTC) still belongs to Nov 2 with the default 4 AM rollover.
    const earlyMorning = Date.UTC(2026, 10, 3, 0, 30);
    expect(studyDay(earlyMorning, 'Europe/Paris', 4)).toBe('2026-11-02');
    expect(studyDay(earlyMorning, 'Europe/Paris', 0)).toBe('2026-11-03');
    expect(extendStreak({ count: 4, lastActiveDay: '2026-11-02' }, earlyMorning, 'Europe/Paris', 4)).toEqual({ count: 4, lastActiveDay: '2026-11-02' });
    expect(extendStreak({ count: 4, lastActiveDay: '2026-11-02' }, earlyMorning, 'Europe/Paris', 0)).toEqual({ count: 5, lastActiveDay: '2026-11-03' });
    // The study day of Nov 2 in Paris (UTC+1 in November) runs from 03:00 UTC on Nov 2 to 03:00 UTC on Nov 3.
    expect(studyDayBounds(earlyMorning, 'Europe/Paris', 4)).toEqual({
      day: '2026-11-02',
      startMs: Date.UTC(2026, 10, 2, 3),
      endMs: Date.UTC(2026, 10, 3, 3),
    });
    // Across a DST change (Paris goes to UTC+1 on Oct 25, 2026 at 03:00), the day is 25 hours long.
    const dst = studyDayBounds(Date.UTC(2026, 9, 24, 12), 'Europe/Paris', 4);
    expect(dst).toEqual({ day: '2026-10-24', startMs: Date.UTC(2026, 9, 24, 2), endMs: Date.UTC(2026, 9, 25, 3) });
  });

  it('awards XP that never goes down, and levels from it', () => {
    expect(awardXp(90, xpForAnswer(true))).toBe(100);
    expect(awardXp(90, xpForAnswer(false))).toBe(90);
    expect(awardXp(90, -50)).toBe(90);
    expect(levelOf(XP_PER_LEVEL - 1)).toBe(0);
    expect(levelOf(XP_PER_LEVEL * 2)).toBe(2);
  });

  it('creates the profile on the first activity and keeps its creation time after', () => {
    const first = profileAfter(undefined, { userId: 'u', nowMs: Date.UTC(2026, 0, 1, 12), timeZone: 'UTC', rolloverHour: 4, xpEarned: 10 });
    expect(first).toMatchObject({ xp: 10, streak_count: 1, last_active_day: '2026-01-01', display_name: null });
    const next = profileAfter({ ...first, display_name: 'Ada' }, { userId: 'u', nowMs: Date.UTC(2026, 0, 2, 12), timeZone: 'UTC', rolloverHour: 4, xpEarned: 0 });
    expect(next).toMatchObject({ xp: 10, streak_count: 2, display_name: 'Ada', created_utc_ms: first.created_utc_ms });
  });

  it('reads the learner id without creating it; only ensureLearnerId creates, once', () => {
    const { sqlite } = openDatabase(join(tempDir(), 'learner.sqlite'));
    expect(currentLearnerId(sqlite)).toBeNull();
    expect(currentLearnerId(sqlite)).toBeNull();
    const created = ensureLearnerId(sqlite, 1);
    expect(ensureLearnerId(sqlite, 2)).toBe(created);
    expect(currentLearnerId(sqlite)).toBe(created);
    sqlite.close();
  });
});
