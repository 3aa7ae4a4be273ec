/** The settings feature: the learner's preferences (not learner data; kept by the host). */
import { z } from 'zod';
import { defineFeature } from '../define';
import { none } from './common';

export const themeSchema = z.enum(['system', 'light', 'dark', 'high-contrast']);
export const settingsSchema = z.object({
  theme: themeSchema,
  assistiveMode: z.boolean(),
  singleKeyShortcuts: z.boolean(),
  /** IANA time zone, e.g. "Europe/Paris"; used for streak days and displayed times. */
  timeZone: z.string().min(1).max(64),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsContract = defineFeature({
  channels: {
    'settings:get': { input: none, output: settingsSchema },
    'settings:set': { input: settingsSchema.partial().strict(), output: settingsSchema },
  },
});
