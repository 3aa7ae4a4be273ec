/** The progress dashboard: the learner's profile, sessions this week, per-skill progress and recent history. */
import type { ProgressOverview } from '../../../shared/ipc/contract';
import type { Sqlite } from '../db/open';
import { studyDay } from '../learner/calendar';
import { profileSummary, type LearnerProfile } from '../learner/profile';
import { createReviewActivity } from './review-activity';
import type { SessionMode } from './sessions';

const HISTORY_LENGTH = 20;
const WEEK_MS = 7 * 86_400_000;

/**
 * Returns `overview(userId, nowMs, days)`, `days` the learner's zone and rollover hour; a learner who never studied
 * (null id) gets an empty one.
 */
export function createOverview(sqlite: Sqlite, profile: LearnerProfile) {
  const sessionsSince = sqlite.prepare('SELECT COUNT(*) FROM sessions WHERE user_id = ? AND ended_utc_ms >= ?').pluck();
  const skillProgressList = sqlite.prepare(
    `SELECT sp.skill_id, sp.progress, sp.attempt_count, sp.correct_count, sp.last_attempt_ts,
            COALESCE(s.title, 'Removed skill') AS skill_title, COALESCE(d.title, '') AS domain_title,
            s.id IS NOT NULL AS skill_available
     FROM skill_progress sp LEFT JOIN skills s ON s.id = sp.skill_id LEFT JOIN domains d ON d.id = s.domain_id
     WHERE sp.user_id = ? ORDER BY sp.last_attempt_ts DESC`,
  );
  const history = sqlite.prepare(
    // A review session spans skills (no skill_id): its own title, kept in its meta, names it.
    `SELECT se.id, se.mode, se.score, se.started_utc_ms, se.ended_utc_ms,
            COALESCE(s.title, CASE WHEN se.skill_id IS NULL THEN json_extract(se.meta, '$.skill_title') END, 'Removed skill') AS skill_title
     FROM sessions se LEFT JOIN skills s ON s.id = se.skill_id
     WHERE se.user_id = ? ORDER BY se.started_utc_ms DESC LIMIT ${HISTORY_LENGTH}`,
  );

  const reviewActivity = createReviewActivity(sqlite);

  return (userId: string | null, nowMs: number, { timeZone, rolloverHour }: { timeZone: string; rolloverHour: number }): ProgressOverview => {
    const skills = skillProgressList.all(userId) as Array<{
      skill_id: string;
      progress: number;
      attempt_count: number;
      correct_count: number;
      last_attempt_ts: number;
      skill_title: string;
      domain_title: string;
      skill_available: 0 | 1;
    }>;
    const sessions = history.all(userId) as Array<{
      id: string;
      mode: SessionMode;
      score: number | null;
      started_utc_ms: number;
      ended_utc_ms: number | null;
      skill_title: string;
    }>;
    return {
      profile: profileSummary(profile.get(userId)),
      sessionsThisWeek: sessionsSince.get(userId, nowMs - WEEK_MS) as number,
      skills: skills.map((s) => ({
        skillId: s.skill_id,
        skillTitle: s.skill_title,
        domainTitle: s.domain_title,
        skillAvailable: s.skill_available === 1,
        progress: s.progress,
        attemptCount: s.attempt_count,
        correctCount: s.correct_count,
        lastAttemptUtcMs: s.last_attempt_ts,
      })),
      // Study days, as the streak counts them: a review at 2 AM fills the evening's square, which kept the streak.
      activity: reviewActivity(userId, nowMs, (utcMs) => studyDay(utcMs, timeZone, rolloverHour)),
      history: sessions.map((h) => ({
        sessionId: h.id,
        skillTitle: h.skill_title,
        mode: h.mode,
        score: h.score,
        startedUtcMs: h.started_utc_ms,
        endedUtcMs: h.ended_utc_ms,
      })),
    };
  };
}
