/** The settings feature: the learner's preferences (not learner data; kept by the host). */
import { z } from 'zod';
import { defineFeature } from '../define';
import { dailyReviewLimitRange } from '../../review-limit';
import { none } from './common';

export const themeSchema = z.enum(['system', 'light', 'dark', 'high-contrast']);
export const settingsSchema = z.object({
  theme: themeSchema,
  assistiveMode: z.boolean(),
  singleKeyShortcuts: z.boolean(),
  /** IANA time zone, e.g. "Europe/Paris"; used for streak days and displayed times. */
  timeZone: z.string().min(1).max(64),
  /** The study day starts at this hour (0-23) of the learner's zone: review days and streak days roll over then. */
  rolloverHour: z.number().int().min(0).max(23),
  /** FSRS's requested retention: the chance of recall at which a question falls due (0.70-0.99). */
  desiredRetention: z.number().min(0.7).max(0.99),
  /** At most this many reviews a study day. */
  dailyReviewLimit: z.number().int().min(dailyReviewLimitRange.min).max(dailyReviewLimitRange.max),
  /** The first-run welcome on Today was dismissed on this device. */
  welcomeDismissed: z.boolean(),
  /**
   * "Show the instructor tools" (the Content workspace). Null until the learner chooses: then the tools show when the
   * signed-in account is a content editor (content:editorStatus). Device-only, like welcomeDismissed.
   */
  showInstructorTools: z.boolean().nullable(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsContract = defineFeature({
  channels: {
    'settings:get': { input: none, output: settingsSchema },
    'settings:set': { input: settingsSchema.partial().strict(), output: settingsSchema },
  },
});
