/** The app feature: what the host and the database are. */
import { z } from 'zod';
import { defineFeature } from '../define';

export const appInfoSchema = z.object({
  version: z.string(),
  host: z.enum(['electron', 'web']),
  dataDir: z.string(),
  questionCount: z.number().int().nonnegative(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const appContract = defineFeature({
  channels: {
    'app:info': { input: z.object({}).strict(), output: appInfoSchema },
  },
});
