/** The Today screen's figures: the session to continue, reviews due today, skills to start, the streak and today's XP. */
import type { Today } from '../../../shared/ipc/contract';
import { QUESTION_IS_LEARNABLE, SKILL_IS_LEARNABLE, SKILL_WITH_DOMAIN } from '../content/learnable';
import type { Sqlite } from '../db/open';
import type { LearnerProfile } from '../learner/profile';
import { currentStreak } from '../learner/streak';
import { levelOf } from '../learner/xp';
import { reviewsLeftToday, type ReviewQueue } from './review';
import type { SessionRow, Sessions } from './sessions';

const SUGGESTED_SKILLS = 3;

export interface StudyDaySettings {
  timeZone: string;
  rolloverHour: number;
  dailyReviewLimit: number;
  /** The current study day as UTC instants [startMs, endMs). */
  day: { startMs: number; endMs: number };
}

export function createToday(sqlite: Sqlite, deps: { sessions: Sessions; review: ReviewQueue; profile: LearnerProfile }) {
  const latestOpenSession = sqlite.prepare(
    'SELECT * FROM sessions WHERE user_id = ? AND ended_utc_ms IS NULL ORDER BY started_utc_ms DESC LIMIT 1',
  );
  // Learnable skills with questions that the learner has no progress row for, in library order.
  const newSkills = sqlite.prepare(
    `SELECT s.id AS skill_id, s.title AS skill_title, d.title AS domain_title,
            (SELECT COUNT(*) FROM questions q WHERE q.skill_id = s.id AND ${QUESTION_IS_LEARNABLE}) AS question_count
     FROM ${SKILL_WITH_DOMAIN}
     WHERE ${SKILL_IS_LEARNABLE} AND NOT EXISTS (SELECT 1 FROM skill_progress sp WHERE sp.user_id = ? AND sp.skill_id = s.id)
       AND question_count > 0
     ORDER BY d.sort_order, d.title, d.id, s.sort_order, s.title, s.id LIMIT ${SUGGESTED_SKILLS}`,
  );
  const xpSince = sqlite
    .prepare(
      `SELECT COALESCE(SUM(json_extract(meta, '$.xp')), 0) FROM attempts
       WHERE user_id = ? AND ts_utc_ms >= ? AND json_valid(meta)`,
    )
    .pluck();

  return (userId: string | null, nowMs: number, settings: StudyDaySettings): Today => {
    const { startMs, endMs } = settings.day;
    const open = userId === null ? undefined : (latestOpenSession.get(userId) as SessionRow | undefined);
    const openInfo = open ? deps.sessions.info(open) : null;
    const dueToday = deps.review.dueCount(userId, endMs);
    const reviewedToday = deps.review.reviewedSince(userId, startMs);
    const profile = deps.profile.get(userId);
    const xp = profile?.xp ?? 0;
    return {
      unfinishedSession: openInfo && openInfo.answeredCount < openInfo.questionCount ? openInfo : null,
      reviews: {
        dueToday,
        availableNow: reviewsLeftToday(dueToday, reviewedToday, settings.dailyReviewLimit),
        reviewedToday,
        dailyLimit: settings.dailyReviewLimit,
      },
      suggestedSkills: (
        newSkills.all(userId) as Array<{ skill_id: string; skill_title: string; domain_title: string; question_count: number }>
      ).map((row) => ({ skillId: row.skill_id, skillTitle: row.skill_title, domainTitle: row.domain_title, questionCount: row.question_count })),
      streak: currentStreak(
        { count: profile?.streak_count ?? 0, lastActiveDay: profile?.last_active_day ?? null },
        nowMs,
        settings.timeZone,
        settings.rolloverHour,
      ),
      xpToday: userId === null ? 0 : (xpSince.get(userId, startMs) as number),
      xp,
      level: levelOf(xp),
    };
  };
}
