/** The Progress heatmap's data: reviews per study day (the streak's days) over the last year, from the real attempts table. */
import { describe, expect, it } from 'vitest';
import { createPractice } from '../../electron/core/practice/practice';
import { defaultSettings } from '../../electron/core/ports';
import { ACTIVITY_DAYS } from '../../electron/core/practice/review-activity';
import { ManualClock } from '../helpers/clock';
import { openSampleDatabase, skillWithBothTypes } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();

describe('review activity', () => {
  it('counts answers per study day of the learner’s zone (a half-hour offset included), as the streak does, and keeps only the last year', () => {
    const clock = new ManualClock(Date.UTC(2025, 9, 1, 12, 0, 0));
    const opened = openSampleDatabase(tempDir(), clock);
    // The default rollover: a study day starts at 04:00.
    let rolloverHour = defaultSettings.rolloverHour;
    const practice = createPractice(opened.sqlite, { clock, timeZone: () => 'Asia/Kolkata', studySettings: () => ({ ...defaultSettings, rolloverHour }) });
    const skill = skillWithBothTypes(opened);
    const [old, lateEvening, atTwo, afterRollover] = skill.mcq;
    expect(afterRollover).toBeDefined();

    const early = practice.startSession(skill.skillId, 'practice');
    practice.recordAttempt(early.id, old!.id, { choice: 0 }); // 1 October 2025: more than a year before "now"

    const session = practice.startSession(skill.skillId, 'practice');
    clock.set(Date.UTC(2026, 10, 2, 18, 20)); // 23:50 on 2 November in Kolkata (UTC+5:30)
    practice.recordAttempt(session.id, lateEvening!.id, { choice: 0 });
    clock.set(Date.UTC(2026, 10, 2, 20, 30)); // 02:00 on 3 November there: still the study day of 2 November
    practice.recordAttempt(session.id, atTwo!.id, { choice: 0 });
    expect(practice.overview().activity.toDay).toBe('2026-11-02');
    clock.set(Date.UTC(2026, 10, 2, 22, 35)); // 04:05 on 3 November there (still 2 November in UTC): a new study day
    practice.recordAttempt(session.id, afterRollover!.id, { choice: 1 });

    const { activity, profile } = practice.overview();
    expect(activity.toDay).toBe('2026-11-03');
    expect(Date.parse(`${activity.toDay}T00:00:00Z`) - Date.parse(`${activity.fromDay}T00:00:00Z`)).toBe((ACTIVITY_DAYS - 1) * 86_400_000);
    expect(activity.days).toEqual([
      { day: '2026-11-02', reviews: 2 },
      { day: '2026-11-03', reviews: 1 },
    ]);
    // The streak counted the same two days in a row.
    expect(profile.streak).toBe(2);

    // The rollover is the learner's setting, read when the overview is asked for: at midnight, days are calendar days.
    rolloverHour = 0;
    expect(practice.overview().activity.days).toEqual([
      { day: '2026-11-02', reviews: 1 },
      { day: '2026-11-03', reviews: 2 },
    ]);
  });

  it('is empty for a learner who never answered, and progress rows say whether their skill still exists', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 2, 9, 0, 0));
    const opened = openSampleDatabase(tempDir(), clock);
    const practice = createPractice(opened.sqlite, { clock, timeZone: () => 'UTC' });
    expect(practice.overview().activity).toEqual({ fromDay: '2025-10-28', toDay: '2026-11-02', days: [] });

    const skill = skillWithBothTypes(opened);
    const session = practice.startSession(skill.skillId, 'practice');
    practice.recordAttempt(session.id, skill.mcq[0]!.id, { choice: 0 });
    expect(practice.overview().skills.map((s) => s.skillAvailable)).toEqual([true]);
    opened.sqlite.pragma('foreign_keys = OFF');
    opened.sqlite.prepare('DELETE FROM questions WHERE skill_id = ?').run(skill.skillId);
    opened.sqlite.prepare('DELETE FROM skills WHERE id = ?').run(skill.skillId);
    expect(practice.overview().skills.map((s) => [s.skillTitle, s.skillAvailable])).toEqual([['Removed skill', false]]);
  });
});
