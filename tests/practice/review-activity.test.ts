/** The Progress heatmap's data: reviews per learner day over the last year, from the real attempts table. */
import { describe, expect, it } from 'vitest';
import { createPractice } from '../../electron/core/practice/practice';
import { ACTIVITY_DAYS } from '../../electron/core/practice/review-activity';
import { ManualClock } from '../helpers/clock';
import { openSampleDatabase, skillWithBothTypes } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();

describe('review activity', () => {
  it('counts answers per day of the learner’s zone (a half-hour offset included) and keeps only the last year', () => {
    const clock = new ManualClock(Date.UTC(2025, 9, 1, 12, 0, 0));
    const opened = openSampleDatabase(tempDir(), clock);
    const practice = createPractice(opened.sqlite, { clock, timeZone: () => 'Asia/Kolkata' });
    const skill = skillWithBothTypes(opened);
    const [old, lateEvening, afterMidnight, alsoAfterMidnight] = skill.mcq;
    expect(alsoAfterMidnight).toBeDefined();

    const early = practice.startSession(skill.skillId, 'practice');
    practice.recordAttempt(early.id, old!.id, { choice: 0 }); // 1 October 2025: more than a year before "now"

    const session = practice.startSession(skill.skillId, 'practice');
    clock.set(Date.UTC(2026, 10, 2, 18, 20)); // 23:50 on 2 November in Kolkata (UTC+5:30)
    practice.recordAttempt(session.id, lateEvening!.id, { choice: 0 });
    clock.set(Date.UTC(2026, 10, 2, 18, 35)); // 00:05 on 3 November there, still 2 November in UTC
    practice.recordAttempt(session.id, afterMidnight!.id, { choice: 0 });
    clock.set(Date.UTC(2026, 10, 2, 20, 0));
    practice.recordAttempt(session.id, alsoAfterMidnight!.id, { choice: 1 });

    const { activity } = practice.overview();
    expect(activity.toDay).toBe('2026-11-03');
    expect(Date.parse(`${activity.toDay}T00:00:00Z`) - Date.parse(`${activity.fromDay}T00:00:00Z`)).toBe((ACTIVITY_DAYS - 1) * 86_400_000);
    expect(activity.days).toEqual([
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
