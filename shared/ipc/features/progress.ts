/** The progress feature: the learner's profile, per-skill progress and history. */
import { z } from 'zod';
import { defineFeature } from '../define';
import { id, none, utcMs } from './common';

export const sessionModeSchema = z.enum(['practice', 'test', 'review']);
/** The modes a session on one skill can have; review sessions span every skill and are started on their own. */
export const skillSessionModeSchema = sessionModeSchema.exclude(['review']);
export type SkillSessionMode = z.infer<typeof skillSessionModeSchema>;

export const profileSummarySchema = z.object({
  xp: z.number().int().nonnegative(),
  level: z.number().int().nonnegative(),
  streak: z.number().int().nonnegative(),
  lastActiveUtcMs: utcMs.nullable(),
});

export const progressOverviewSchema = z.object({
  profile: profileSummarySchema,
  sessionsThisWeek: z.number().int().nonnegative(),
  skills: z.array(
    z.object({
      skillId: id,
      skillTitle: z.string(),
      domainTitle: z.string(),
      progress: z.number().min(0).max(1),
      attemptCount: z.number().int().nonnegative(),
      correctCount: z.number().int().nonnegative(),
      lastAttemptUtcMs: utcMs,
    }),
  ),
  history: z.array(
    z.object({
      sessionId: id,
      skillTitle: z.string(),
      mode: sessionModeSchema,
      score: z.number().min(0).max(1).nullable(),
      startedUtcMs: utcMs,
      endedUtcMs: utcMs.nullable(),
    }),
  ),
});
export type ProfileSummary = z.infer<typeof profileSummarySchema>;
export type ProgressOverview = z.infer<typeof progressOverviewSchema>;

export const progressContract = defineFeature({
  channels: {
    'progress:overview': { input: none, output: progressOverviewSchema },
  },
});
