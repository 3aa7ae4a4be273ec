/** The Today screen: what the learner should do now (the first screen). */
import { z } from 'zod';
import { defineFeature } from '../define';
import { id, none } from './common';
import { sessionInfoSchema } from './practice';

export const todaySchema = z.object({
  /** The learner's latest session that has questions left and was not ended, to continue. */
  unfinishedSession: sessionInfoSchema.nullable(),
  reviews: z.object({
    /** Questions due before the study day ends (at the rollover hour). */
    dueToday: z.number().int().nonnegative(),
    /** What a review session started now would hold: due today, up to what is left of the daily limit. */
    availableNow: z.number().int().nonnegative(),
    reviewedToday: z.number().int().nonnegative(),
    dailyLimit: z.number().int().positive(),
  }),
  /** Skills the learner has not started yet, in library order. */
  suggestedSkills: z.array(
    z.object({ skillId: id, skillTitle: z.string(), domainTitle: z.string(), questionCount: z.number().int().positive() }),
  ),
  /** Consecutive study days up to today or yesterday (0 once a day was missed). */
  streak: z.number().int().nonnegative(),
  xpToday: z.number().int().nonnegative(),
  xp: z.number().int().nonnegative(),
  level: z.number().int().nonnegative(),
});
export type Today = z.infer<typeof todaySchema>;

export const todayContract = defineFeature({
  channels: {
    'today:get': { input: none, output: todaySchema },
  },
});
