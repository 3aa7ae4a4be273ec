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

const dayString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-12-02');

/** Reviews (answered questions) per calendar day of the learner, from `fromDay` to `toDay`; days without reviews are left out. */
export const reviewActivitySchema = z.object({
  fromDay: dayString,
  toDay: dayString,
  days: z.array(z.object({ day: dayString, reviews: z.number().int().positive() })),
});
export type ReviewActivity = z.infer<typeof reviewActivitySchema>;

export const progressOverviewSchema = z.object({
  profile: profileSummarySchema,
  sessionsThisWeek: z.number().int().nonnegative(),
  skills: z.array(
    z.object({
      skillId: id,
      skillTitle: z.string(),
      domainTitle: z.string(),
      /** False when the skill is no longer in the library (removed by a sync or a pack): the row cannot link to it. */
      skillAvailable: z.boolean(),
      progress: z.number().min(0).max(1),
      attemptCount: z.number().int().nonnegative(),
      correctCount: z.number().int().nonnegative(),
      lastAttemptUtcMs: utcMs,
    }),
  ),
  activity: reviewActivitySchema,
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
