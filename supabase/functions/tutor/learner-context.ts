/**
 * The tutor's context built on the server from the learner's synced rows (the blueprint's `sync_chat_context`), for a
 * client that sends none: the skill practised last with its progress, the recent sessions and the streak. Read through
 * PostgREST with the caller's own JWT, so row-level security limits it to their rows. It has the shape of the app's
 * TutorContext (shared/ipc/features/tutor.ts), with no current question.
 */
import { select, type RestAccess } from '../_shared/function-kit.ts';
import type { PromptContext } from '../_shared/tutor-prompt.ts';

const RECENT_SESSIONS = 5;

export interface LearnerContext extends PromptContext {
  question: null;
  skill: (NonNullable<PromptContext['skill']> & { id: string }) | null;
  builtUtcMs: number;
}

export async function buildLearnerContext(access: RestAccess, nowMs: number): Promise<LearnerContext> {
  const own = `user_id=eq.${encodeURIComponent(access.userId)}`;
  const [sessions, progress, profile] = await Promise.all([
    select<{ skill_id: string | null; mode: string; score: number | null; started_utc_ms: number }>(
      access,
      'sessions',
      `select=skill_id,mode,score,started_utc_ms&${own}&order=started_utc_ms.desc&limit=${RECENT_SESSIONS}`,
    ),
    select<{ skill_id: string; progress: number; attempt_count: number; correct_count: number }>(
      access,
      'skill_progress',
      `select=skill_id,progress,attempt_count,correct_count&${own}&order=last_attempt_ts.desc&limit=1`,
    ),
    select<{ streak_count: number }>(access, 'profile', `select=streak_count&${own}`),
  ]);
  const latest = progress[0] ?? null;
  const skillIds = [...new Set([...sessions.flatMap((s) => (s.skill_id ? [s.skill_id] : [])), ...(latest ? [latest.skill_id] : [])])];
  const skills =
    skillIds.length === 0
      ? []
      : await select<{ id: string; title: string; description: string | null }>(access, 'skills', `select=id,title,description&id=in.(${skillIds.join(',')})`);
  const skillById = new Map(skills.map((s) => [s.id, s]));
  const latestSkill = latest ? skillById.get(latest.skill_id) : undefined;
  return {
    question: null,
    skill:
      latest && latestSkill
        ? {
            id: latestSkill.id,
            title: latestSkill.title,
            description: latestSkill.description,
            progress: latest.progress,
            attemptCount: latest.attempt_count,
            correctCount: latest.correct_count,
          }
        : null,
    recentSessions: sessions.map((s) => ({
      skillTitle: (s.skill_id ? skillById.get(s.skill_id)?.title : undefined) ?? 'Unknown skill',
      mode: s.mode === 'test' ? 'test' : 'practice',
      score: s.score,
      // PostgREST sends bigint as a number (JSON); Number() also accepts a string from a stricter setting.
      startedUtcMs: Number(s.started_utc_ms),
    })),
    streak: profile[0]?.streak_count ?? 0,
    builtUtcMs: nowMs,
  };
}
